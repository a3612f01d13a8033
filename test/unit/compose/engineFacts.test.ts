// What the compose analysis takes from the connected engine: whether it reports the userland proxy (`/info`), and the
// host ports its containers hold (host-port-conflict), with the compose project's identity to skip what `up` replaces.
// Recorded facts; test/engine/engineInfo.test.ts and engineModelFacts.test.ts check them on each engine of the rig.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { analyzeComposeText } from '../../../src/core/compose/analyzeCompose';
import type { ComposeAnalysisOptions } from '../../../src/core/compose/analyzeCompose';
import { composeProjectName, normalizeProjectName } from '../../../src/core/compose/projectName';
import { runningBindingsOf } from '../../../src/core/compose/runningBindings';
import type { RunningBinding } from '../../../src/core/compose/runningBindings';
import { costOfPortCounts, userlandProxyNote } from '../../../src/core/cost/dockerProxyCost';
import { buildEngineModel } from '../../../src/core/engine/buildModel';
import { userlandProxyFromInfo } from '../../../src/core/engine/engineInfo';
import { engineFixture } from '../engine/testFixtures';

const info2010 = engineFixture('info-20.10.24-api1.41.json') as Record<string, unknown>;
/**
 * Engine 29's /info, derived (no 29.x engine runs here): the 20.10 capture with the FirewallBackend object as
 * `docker info --format '{{json .FirewallBackend}}'` prints it on 29.x (moby/moby#52321, which added the pairs).
 */
const info29 = (proxy: string) => ({
  ...info2010,
  FirewallBackend: { Driver: 'iptables', Info: [['EnableUserlandProxy', proxy], ['UserlandProxyPath', '/usr/bin/docker-proxy']] },
});

describe('userland proxy from /info', () => {
  it('is not reported by Engine 20.10 (captured)', () => {
    assert.equal('FirewallBackend' in info2010, false);
    assert.equal(userlandProxyFromInfo(info2010), undefined);
  });

  it('is not reported by Engine 28.5 either: FirewallBackend without Info (checked live by test/engine/engineInfo.test.ts)', () => {
    const info285 = { ...info2010, ServerVersion: '28.5.2+dfsg4', FirewallBackend: { Driver: 'iptables' } };
    assert.equal(userlandProxyFromInfo(info285), undefined);
  });

  it('is read from FirewallBackend.Info on Engine 29 (derived shape)', () => {
    assert.equal(userlandProxyFromInfo(info29('true')), true);
    assert.equal(userlandProxyFromInfo(info29('false')), false);
  });

  it('reads anything else as not reported', () => {
    for (const bad of [null, undefined, 'x', {}, { FirewallBackend: null }, { FirewallBackend: { Driver: 'nftables' } },
      { FirewallBackend: { Info: 'EnableUserlandProxy true' } }, { FirewallBackend: { Info: [['EnableUserlandProxy']] } },
      { FirewallBackend: { Info: [['EnableUserlandProxy', 'maybe']] } }, { FirewallBackend: { Info: [null, 3, ['ReloadedAt', 'x']] } }]) {
      assert.equal(userlandProxyFromInfo(bad), undefined, JSON.stringify(bad));
    }
  });

  it('says in the figures who said it: the engine, the default assumed, or a setting', () => {
    assert.equal(userlandProxyNote(costOfPortCounts(10, 20, { userlandProxy: true, userlandProxyReported: true })), 'the engine reports the userland proxy on');
    assert.equal(userlandProxyNote(costOfPortCounts(10, 20, { userlandProxy: false, userlandProxyReported: true })),
      'the engine reports the userland proxy off');
    assert.equal(userlandProxyNote(costOfPortCounts(10, 20, {})), 'assumes the userland proxy is on, the engine default');
    assert.equal(userlandProxyNote(costOfPortCounts(10, 20, { userlandProxy: false })), undefined);
    // a report without a state says nothing of the engine
    assert.equal(costOfPortCounts(10, 20, { userlandProxyReported: true }).reportedByEngine, false);
  });

  it('reaches the finding and the lens', () => {
    const text = 'services:\n  turn:\n    ports:\n      - "40000-40199:40000-40199/udp"\n';
    const a = analyzeComposeText(text, 'compose.yaml', { userlandProxy: true, userlandProxyReported: true });
    const f = a.findings.find((x) => x.code === 'port-range-proxy-cost');
    assert.match(f!.message, /400 docker-proxy .*; the engine reports the userland proxy on\./);
    assert.doesNotMatch(f!.message, /assumes/);
  });
});

describe('compose project name', () => {
  it('normalizes as compose does', () => {
    assert.equal(normalizeProjectName('My App.v2'), 'myappv2');
    assert.equal(normalizeProjectName('_-web_1'), 'web_1');
    assert.equal(normalizeProjectName('..'), undefined);
  });

  it('takes COMPOSE_PROJECT_NAME, then name:, then the folder', () => {
    assert.equal(composeProjectName({ COMPOSE_PROJECT_NAME: 'FromEnv' }, 'top', '/srv/Folder'), 'fromenv');
    assert.equal(composeProjectName({}, 'top', '/srv/Folder'), 'top');
    assert.equal(composeProjectName({}, undefined, '/srv/My Folder/'), 'myfolder');
    assert.equal(composeProjectName({}, undefined, 'C:\\work\\Shop'), 'shop');
    assert.equal(composeProjectName({}, undefined, undefined), undefined);
  });

  it('reads the top-level name: (interpolated; a later file overrides)', () => {
    const a = analyzeComposeText('name: ${APP:-shop}\nservices: {}\n', 'compose.yaml', {});
    assert.equal(a.project.name, 'shop');
  });
});

describe('running containers from the engine model (captured Engine 20.10 containers)', () => {
  const model = buildEngineModel(engineFixture('networks-with-containers-20.10.24-api1.41.json'), engineFixture('containers-20.10.24-api1.41.json'));
  const running = runningBindingsOf(model);

  it('gives one binding per host address of each started container, ranges kept whole', () => {
    const range = running.filter((r) => r.container === 'dnd-fx-range');
    assert.deepEqual(range.map((r) => `${r.hostIp} ${r.protocol} ${r.hostPorts.start}-${r.hostPorts.end}`).sort(),
      ['0.0.0.0 udp 40000-40099', '127.0.0.1 tcp 18080-18080', ':: udp 40000-40099']);
    assert.equal(running.some((r) => r.container === 'dnd-fx-stopped'), false, 'a created, never started container holds no port');
  });

  it('is what host-port-conflict checks a service against', () => {
    const text = 'services:\n  media:\n    image: x\n    ports:\n      - "40050:40050/udp"\n';
    const [f] = analyzeComposeText(text, 'compose.yaml', { runningBindings: running }).findings.filter((x) => x.code === 'host-port-conflict');
    assert.match(f!.message, /host port 40050\/udp on 0\.0\.0\.0 is already published by running container "dnd-fx-range"/);
  });
});

describe('the project\'s own running containers', () => {
  const text = 'services:\n  web:\n    image: x\n    ports:\n      - "8080:80"\n';
  const holder = (labels: Partial<RunningBinding>): RunningBinding[] => [{ container: 'shop-web-1', hostIp: '0.0.0.0', protocol: 'tcp',
    hostPorts: { start: 8080, end: 8080 }, ...labels }];
  const conflicts = (running: RunningBinding[], options: ComposeAnalysisOptions = {}) =>
    analyzeComposeText(text, '/srv/shop/compose.yaml', { runningBindings: running, ...options }).findings.filter((x) => x.code === 'host-port-conflict').length;

  it('are skipped when their working_dir is the project folder (`up` replaces them)', () => {
    assert.equal(conflicts(holder({ composeProject: 'other-name', composeService: 'web', composeWorkingDir: '/srv/shop' }), { projectDir: '/srv/shop' }), 0);
  });

  it('are skipped when their project is this project by name (the folder\'s, name:, or COMPOSE_PROJECT_NAME)', () => {
    assert.equal(conflicts(holder({ composeProject: 'shop', composeService: 'web' }), { projectDir: '/srv/shop' }), 0);
    assert.equal(conflicts(holder({ composeProject: 'ci', composeService: 'web' }), { projectDir: '/srv/shop', env: { COMPOSE_PROJECT_NAME: 'ci' } }), 0);
  });

  it('still clash when they belong to another project, folder or service', () => {
    assert.equal(conflicts(holder({ composeProject: 'blog', composeService: 'web', composeWorkingDir: '/srv/blog' }), { projectDir: '/srv/shop' }), 1);
    assert.equal(conflicts(holder({ composeProject: 'shop', composeService: 'api', composeWorkingDir: '/srv/shop' }), { projectDir: '/srv/shop' }), 1);
    assert.equal(conflicts(holder({})), 1);
  });
});

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { analyzeComposeText } from '../../../src/core/compose/analyzeCompose';
import type { ComposeAnalysis } from '../../../src/core/compose/analyzeCompose';
import type { FindingCode } from '../../../src/core/compose/findings';
import { portsLenses } from '../../../src/core/compose/present/lenses';
import { bindingGroupOf, publishedEntries, serviceCost } from '../../../src/core/compose/publishedPorts';
import { costOfBindings } from '../../../src/core/cost/dockerProxyCost';
import { corpusPath } from '../../paths';

const corpusDir = corpusPath('compose');
const all = { severities: { 'published-on-all-interfaces': 'info' as const } };
const analyses = new Map<string, { text: string; a: ComposeAnalysis }>();
for (const file of fs.readdirSync(corpusDir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
  const text = fs.readFileSync(path.join(corpusDir, file), 'utf8');
  analyses.set(file, { text, a: analyzeComposeText(text, file, all) });
}
const get = (file: string) => analyses.get(file)!;
const codes = (file: string, code: FindingCode) => get(file).a.findings.filter((f) => f.code === code);
const lens = (file: string, service: string) => portsLenses(get(file).a, file).find((l) => l.service === service)!;

describe('every corpus compose file', () => {
  it('is there (24 files)', () => assert.equal(analyses.size, 24));
  for (const [file, { a, text }] of analyses) {
    it(`${file}: analysed, no YAML errors, every finding inside the file`, () => {
      assert.ok(a.project.services.size > 0);
      // 006 is compose-go's own example of every key: compose 2.40.3 refuses it as a project ("service foo declares
      // mutually exclusive `network_mode` and `networks`"; test/engine/composeReference.test.ts)
      const refused = file.startsWith('006-')
        ? ['foo declares mutually exclusive `network_mode` and `networks`: compose refuses the project (remove one of them)'] : [];
      assert.deepEqual(a.findings.filter((f) => f.code === 'invalid-compose-file').map((f) => f.message), refused);
      for (const f of a.findings) assert.ok(f.range.start >= 0 && f.range.end <= text.length && f.range.start < f.range.end, `${f.code} ${f.range.start}`);
    });
  }
});

describe('serviceCost (summed in place) is costOfBindings over the binding groups', () => {
  it('for every service of every corpus file, with the userland proxy on, off and unknown', () => {
    let withPorts = 0;
    for (const { a } of analyses.values()) {
      for (const svc of a.project.services.values()) {
        if (publishedEntries(svc).length) withPorts++;
        for (const userlandProxy of [undefined, true, false]) {
          assert.deepStrictEqual(serviceCost(svc, { userlandProxy }), costOfBindings(publishedEntries(svc).map(bindingGroupOf), { userlandProxy }), svc.name);
        }
      }
    }
    assert.ok(withPorts > 30, `${withPorts} services with ports`);
  });
});

describe('what the interesting corpus files should show', () => {
  it('018 LiveKit: each SFU publishes 104 ports (range 50100-50200/udp + 3 tcp) over the threshold', () => {
    const f = codes('018-element-call-livekit.yml', 'port-range-proxy-cost');
    assert.deepEqual(f.map((x) => x.service), ['livekit', 'livekit-1']);
    assert.match(f[0]!.message, /104 host ports → 208 docker-proxy · ~\d+ MB · ~208 iptables rules/); // Engine 28.5: 2 rules a port
    assert.equal(lens('018-element-call-livekit.yml', 'livekit').cost.proxyProcesses, 208);
    assert.equal(codes('018-element-call-livekit.yml', 'host-port-conflict').length, 0);
  });

  it('015 pure-ftpd: 21 plus the passive range 30000-30009 = 11 ports, 22 processes, under the threshold', () => {
    const l = lens('015-pure-ftpd-passive.yml', 'ftpd_server');
    assert.deepEqual([l.cost.hostPorts, l.cost.proxyProcesses, l.overThreshold], [11, 22, false]);
    assert.equal(codes('015-pure-ftpd-passive.yml', 'port-range-proxy-cost').length, 0);
  });

  it('014/035 coturn: the same port on tcp and udp is no conflict; the relay range is commented out', () => {
    for (const f of ['014-coturn-all.yml', '035-coturn-redis.yml']) {
      assert.equal(codes(f, 'host-port-conflict').length, 0);
      assert.equal(lens(f, 'coturn').cost.hostPorts, 12);
    }
    // coturn is on frontend and the internal backend: reachable through frontend
    assert.equal(codes('014-coturn-all.yml', 'published-port-unreachable').length, 0);
  });

  it('004/025 ELK: 5000 (and 50000) on tcp and udp is no conflict', () => {
    assert.equal(codes('004-awesome-elk.yml', 'host-port-conflict').length, 0);
    assert.equal(codes('025-docker-elk.yml', 'host-port-conflict').length, 0);
  });

  it('016 Valheim: the udp range 2456-2458 counts 3 ports, plus 9001/tcp', () => {
    const l = lens('016-valheim-game.yml', 'valheim');
    assert.deepEqual([l.cost.hostPorts, l.cost.proxyProcesses], [4, 8]);
  });

  it('002 plex and 013 spreed: network_mode host without ports is fine', () => {
    for (const f of ['002-awesome-plex-hostnet.yml', '013-nextcloud-spreed-signaling-hpb.yml']) {
      assert.equal(codes(f, 'ports-ignored-by-network-mode').length, 0);
      assert.ok([...get(f).a.project.services.values()].some((s) => s.networkMode?.value === 'host'));
      assert.deepEqual(portsLenses(get(f).a, f), []);
    }
  });

  it('006 compose-go full example: container: network mode with ports is an error; all the port forms parse', () => {
    const [f] = codes('006-compose-go-full-example.yml', 'ports-ignored-by-network-mode');
    assert.equal(f!.severity, 'error');
    assert.match(f!.message, /network_mode: container:0cfeab0f/);
    const foo = get('006-compose-go-full-example.yml').a.project.services.get('foo')!;
    assert.deepEqual(foo.ports.map((p) => [p.hostIp ?? '', p.published ? `${p.published.start}-${p.published.end}` : '', `${p.target.start}-${p.target.end}`]),
      [
      ['', '', '3000-3000'], ['', '', '3001-3005'], ['', '8000-8000', '8000-8000'], ['', '9090-9091', '8080-8081'],
      ['', '49100-49100', '22-22'], ['127.0.0.1', '8001-8001', '8001-8001'], ['127.0.0.1', '5000-5010', '5000-5010'],
    ]);
    assert.equal(codes('006-compose-go-full-example.yml', 'invalid-port').length, 0);
  });

  it('020 compose e2e: service: mode without ports is fine; container-only ports are ephemeral, no conflict', () => {
    assert.equal(codes('020-compose-e2e-network-service-mode.yml', 'ports-ignored-by-network-mode').length, 0);
    assert.equal(get('020-compose-e2e-network-service-mode.yml').a.project.services.get('mydb')!.networkMode?.value, 'service:db');
    assert.equal(codes('020-compose-e2e-network-service-mode.yml', 'host-port-conflict').length, 0);
    assert.equal(lens('020-compose-e2e-network-service-mode.yml', 'words').cost.proxyProcesses, 2);
  });

  it('007 Jitsi: unset HTTP_PORT/HTTPS_PORT are reported, never guessed; defaults are used', () => {
    const f = codes('007-jitsi-meet.yml', 'unresolved-variable');
    assert.deepEqual(f.map((x) => x.message.split(' ')[0]), ['HTTP_PORT', 'HTTPS_PORT']);
    const jvb = get('007-jitsi-meet.yml').a.project.services.get('jvb')!;
    assert.deepEqual(jvb.ports.map((p) => [p.published?.start, p.protocol, p.defaultsUsed.map((d) => d.name).join()]),
      [[10000, 'udp', 'JVB_PORT,JVB_PORT'], [8080, 'tcp', 'JVB_COLIBRI_PORT']]);
    assert.equal(lens('007-jitsi-meet.yml', 'web').unresolvedEntries, 2);
  });

  it('010 Sentry: multi-merge anchors resolve; the single port depends on SENTRY_BIND', () => {
    const a = get('010-sentry-self-hosted.yml').a;
    assert.equal(a.project.services.size, 57);
    const withPorts = [...a.project.services.values()].filter((s) => s.unresolvedPorts.length || s.ports.length);
    assert.deepEqual(withPorts.map((s) => [s.name, s.unresolvedPorts[0]?.variables]), [['nginx', ['SENTRY_BIND']]]);
    assert.ok([...a.project.services.values()].filter((s) => s.profiles.length).length > 5);
  });

  it('021: a loopback publish is not on all interfaces; 030: the backend publishes 8000 everywhere', () => {
    assert.equal(codes('021-compose-e2e-expose-loopback.yml', 'published-on-all-interfaces').length, 0);
    assert.ok(codes('030-awesome-nginx-wsgi-flask.yml', 'published-on-all-interfaces').some((f) => f.service === 'flask-app' || /8000/.test(f.message)));
  });

  it('expose-only services (021, 031, 032) publish nothing', () => {
    const svc = get('021-compose-e2e-expose-loopback.yml').a.project.services.get('ps-test')
      ?? [...get('021-compose-e2e-expose-loopback.yml').a.project.services.values()].find((s) => s.expose.length)!;
    assert.ok(svc.expose.length >= 3);
    assert.equal(svc.ports.length, 0);
  });
});

// Every error the product reports is something compose or the engine refuses: for each finding code
// whose default severity is `error`, and each case a rule raises to error, a small project the product flags at error
// is given to docker-compose 2.40.3 (`config`, or `up` on the engine under test), which must refuse it. And the other
// way round for what was an error before: an `expose` entry the product cannot read is accepted by compose and the
// engine (so it is a warning).
import { strict as assert } from 'node:assert';
import * as fs from 'fs';
import { after, describe, it } from 'node:test';
import { defaultSeverities, findingCodes } from '../../src/core/compose/findings';
import type { FindingCode } from '../../src/core/compose/findings';
import { composeVersion, productAnalysis, runCompose, writeTree } from './composeCli';
import type { ComposeRun } from './composeCli';
import { ENGINE, engineDocker, fact, RUN_ID, TEST_IMAGE, TEST_LABEL, uniqueName } from './support';

const service = (name: string, body = '') =>
  `  ${name}:\n    image: ${TEST_IMAGE}\n    command: ["sleep", "300"]\n    labels: {${TEST_LABEL}: "${RUN_ID}"}\n${body}`;

interface Refusal {
  code: FindingCode;
  what: string;
  files: Record<string, string>;
  via: 'config' | 'up';
  /** What compose or the engine says. */
  refusal: RegExp;
}

const refusals: Refusal[] = [
  {
    code: 'host-port-conflict', what: 'two services publish host port 30480', via: 'up',
    files: { 'compose.yaml': `services:\n${service('a', '    ports: ["30480:80"]\n')}${service('b', '    ports: ["30480:80"]\n')}` },
    refusal: /port is already allocated|address already in use/,
  },
  {
    code: 'port-range-length-mismatch', what: '8000-8002:80-81', via: 'config',
    files: { 'compose.yaml': `services:\n${service('a', '    ports: ["8000-8002:80-81"]\n')}` },
    refusal: /Invalid ranges specified for container and host Ports: 80-81 and 8000-8002/,
  },
  {
    code: 'invalid-port', what: 'host port 70000', via: 'config',
    files: { 'compose.yaml': `services:\n${service('a', '    ports: ["70000:80"]\n')}` },
    refusal: /Invalid hostPort: 70000/,
  },
  {
    code: 'invalid-port', what: 'protocol sctpx', via: 'config',
    files: { 'compose.yaml': `services:\n${service('a', '    ports: ["80/sctpx"]\n')}` },
    refusal: /Invalid proto: sctpx/,
  },
  {
    code: 'invalid-port', what: 'long syntax published range that ends before it starts', via: 'up',
    files: { 'compose.yaml': `services:\n${service('a', '    ports:\n      - target: 80\n        published: "30490-30480"\n')}` },
    refusal: /invalid|Invalid/,
  },
  {
    code: 'invalid-compose-file', what: 'a key written twice', via: 'config',
    files: { 'compose.yaml': `services:\n${service('a')}${service('a')}` },
    refusal: /mapping key "a" already defined at line 2/,
  },
  {
    code: 'invalid-compose-file', what: 'include: a service defined twice, differently', via: 'config',
    files: { 'compose.yaml': `include:\n  - other.yaml\nservices:\n${service('a')}`, 'other.yaml': `services:\n${service('a', '    ports: ["8000:80"]\n')}` },
    refusal: /services\.a conflicts with imported resource/,
  },
  {
    code: 'invalid-compose-file', what: 'network_mode with networks', via: 'config',
    files: { 'compose.yaml': `services:\n${service('a', '    network_mode: host\n    networks: [default]\n')}` },
    refusal: /declares mutually exclusive `network_mode` and `networks`/,
  },
  {
    code: 'unresolved-variable', what: '${NEEDED:?…} unset (an error only in this case)', via: 'config',
    files: { 'compose.yaml': `services:\n${service('a', '    ports: ["${NEEDED:?set NEEDED}:80"]\n')}` },
    refusal: /required variable NEEDED is missing a value: set NEEDED/,
  },
  {
    code: 'undefined-network', what: 'a service on a network the project does not define', via: 'config',
    files: { 'compose.yaml': `services:\n${service('a', '    networks: [front]\n')}` },
    refusal: /service "a" refers to undefined network front/,
  },
  {
    code: 'invalid-network-config', what: 'iprange for ip_range in ipam.config', via: 'config',
    files: { 'compose.yaml': `services:\n${service('a', '    networks: [n]\n')}networks:\n  n:\n    ipam:\n      config:\n        - subnet: ` +
      `10.252.0.0/16\n          iprange: 10.252.5.0/24\n` },
    refusal: /networks\.n\.ipam\.config\.0 additional properties 'iprange' not allowed/,
  },
  {
    code: 'subnet-overlap', what: 'two networks of the project with overlapping subnets', via: 'up',
    files: { 'compose.yaml': `services:\n${service('a', '    networks: [n, m]\n')}networks:\n  n:\n    ipam:\n      config:\n        - subnet: ` +
      `10.251.0.0/16\n  m:\n    ipam:\n      config:\n        - subnet: 10.251.5.0/24\n` },
    refusal: /Pool overlaps with other one on this address space/,
  },
  {
    code: 'ports-ignored-by-network-mode', what: 'ports with network_mode service: (an error only for service:/container:)', via: 'up',
    files: { 'compose.yaml': `services:\n${service('a')}${service('b', '    network_mode: "service:a"\n    ports: ["30481:80"]\n')}` },
    refusal: /conflicting options: port publishing and the container type network mode/,
  },
];

describe(`error findings against docker-compose ${composeVersion()} and ${ENGINE}`, () => {
  const docker = engineDocker();
  const dirs: string[] = [];
  after(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

  /** The project, run through compose with the engine under test; `down` afterwards for `up`. */
  function tryCompose(files: Record<string, string>, via: 'config' | 'up'): { run: ComposeRun; status: number | null; said: string } {
    const cwd = writeTree(files);
    dirs.push(cwd);
    const run: ComposeRun = { cwd, files: [], env: { DOCKER_HOST: process.env.DOCKER_HOST ?? '' } };
    const project = uniqueName('dnd-ref');
    const r = runCompose(run, via === 'config' ? ['config', '-q'] : ['-p', project, 'up', '-d']);
    if (via === 'up') runCompose(run, ['-p', project, 'down', '-t', '0', '--remove-orphans']);
    return { run, status: r.status, said: `${r.stderr}\n${r.stdout}`.trim() };
  }

  it('has a case for every code whose default severity is error', () => {
    const errorCodes = findingCodes.filter((c) => defaultSeverities[c] === 'error');
    assert.deepEqual(errorCodes.filter((c) => !refusals.some((r) => r.code === c)), []);
  });

  for (const r of refusals) {
    it(`${ENGINE}: ${r.code} (${r.what}): the product reports an error, compose ${r.via} refuses`, (t) => {
      const { run, status, said } = tryCompose(r.files, r.via);
      const { analysis } = productAnalysis(run);
      const errors = analysis.findings.filter((f) => f.code === r.code && f.severity === 'error');
      assert.ok(errors.length, `no ${r.code} error: ${analysis.findings.map((f) => `${f.severity} ${f.code}: ${f.message}`).join('; ')}`);
      fact(t, `docker-compose ${r.via}: exit ${status}: ${said.split('\n').filter((l) => !l.includes('level=warning')).slice(-1)[0]}`);
      assert.notEqual(status, 0, `compose ${r.via} accepted it:\n${said}`);
      assert.match(said, r.refusal);
    });
  }

  it(`${ENGINE}: expose entries the product cannot read are accepted by compose up; the engine records them (and a range) as port 0`, async (t) => {
    const entries = ['8000:8000', 'abc', '70000'];
    // and a range the product reads: compose passes it as written too, and the engine does not expand it either
    const written = [...entries, '9000-9001'];
    const { run, status, said } = tryCompose({ 'compose.yaml': `services:\n${service('a', `    expose: [${written.map((e) => `"${e}"`).join(', ')}]\n`)}` },
      'config');
    assert.equal(status, 0, said);
    const project = uniqueName('dnd-ref');
    try {
      const up = runCompose(run, ['-p', project, 'up', '-d']);
      assert.equal(up.status, 0, up.stderr);
      const [c] = await docker.listContainers({ filters: { label: [`com.docker.compose.project=${project}`] } });
      assert.ok(c, 'the container is running');
      const inspect = await docker.getContainer(c.Id).inspect();
      const exposed = Object.keys(inspect.Config.ExposedPorts ?? {}).sort();
      const ports = Object.keys(inspect.NetworkSettings.Ports ?? {});
      fact(t, `compose up ran it; Config.ExposedPorts ${JSON.stringify(exposed)}, NetworkSettings.Ports ${JSON.stringify(ports)}`);
      assert.deepEqual(exposed, [...written].sort());
      assert.deepEqual(ports, ['0/tcp']);
    } finally {
      runCompose(run, ['-p', project, 'down', '-t', '0', '--remove-orphans']);
    }
    const { analysis } = productAnalysis(run);
    const found = analysis.findings.filter((f) => f.code === 'invalid-port');
    assert.equal(found.length, entries.length);
    assert.ok(found.every((f) => f.severity === 'warning'), found.map((f) => `${f.severity} ${f.message}`).join('; '));
  });
});

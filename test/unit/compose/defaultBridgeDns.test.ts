import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { analyzeCompose, analyzeComposeText } from '../../../src/core/compose/analyzeCompose';
import { applyEdits } from '../../../src/core/compose/fixes';

// What the engine does (Engine 20.10, checked by hand; see src/core/compose/rules/default-bridge-no-dns.ts): no name resolution on
// the default bridge without links; names resolve on user-defined networks; networks are isolated from each other.
const findings = (text: string) => analyzeComposeText(text, 'compose.yaml').findings.filter((f) => f.code === 'default-bridge-no-dns');
const at = (text: string, f: { range: { start: number; end: number } }) => text.slice(f.range.start, f.range.end);

describe('default-bridge-no-dns', () => {
  const both = (extra = '', deps = '    depends_on:\n      - db\n') =>
    `services:\n  web:\n    image: nginx\n    network_mode: bridge\n${deps}${extra}  db:\n    image: postgres\n    network_mode: bridge\n`;

  it('fires when a service depends on another and both sit on the default bridge, at the depends_on entry', () => {
    const text = both();
    const [f, ...rest] = findings(text);
    assert.equal(rest.length, 0);
    assert.equal(f?.severity, 'warning');
    assert.equal(at(text, f!), 'db');
    assert.match(f!.message, /web and db are on Docker's default bridge .* no DNS: web cannot reach db by the name "db"/);
    assert.match(f!.message, /add links: \[db\] to web/);
    assert.deepEqual(f!.related.map((r) => at(text, r)), ['bridge', 'bridge']);
  });

  it('reads the map form of depends_on and network_mode: default', () => {
    const text = both('', '    depends_on:\n      db:\n        condition: service_healthy\n').replace('network_mode: bridge\n    depends_on',
      'network_mode: default\n    depends_on');
    assert.equal(findings(text).length, 1);
    assert.equal(at(text, findings(text)[0]!), 'db');
  });

  it('is quiet when links name the service (with or without an alias)', () => {
    assert.deepEqual(findings(both('    links:\n      - db\n')), []);
    assert.deepEqual(findings(both('    links: ["db:database"]\n')), []);
    // a link to another service does not help
    assert.equal(findings(both('    links: [cache]\n')).length, 1);
  });

  it('fires across the default bridge and the project network: neither name nor address reaches', () => {
    const text = 'services:\n  web:\n    image: nginx\n    depends_on: [db]\n  db:\n    image: postgres\n    network_mode: bridge\n';
    const [f] = findings(text);
    assert.match(f!.message, /db is on Docker's default bridge .* and web on the project's network: web cannot reach db by name .* nor by address/);
    assert.match(f!.message, /only through ports db publishes on the host/);
    const reverse = 'services:\n  web:\n    network_mode: bridge\n    depends_on: [db]\n  db:\n    image: postgres\n';
    assert.match(findings(reverse)[0]!.message, /web is on Docker's default bridge .* and db on the project's network/);
  });

  it('is quiet on project networks, for host mode, for unknown services and when switched off', () => {
    assert.deepEqual(findings('services:\n  web:\n    depends_on: [db]\n  db:\n    image: postgres\n'), []);
    assert.deepEqual(findings('services:\n  web:\n    network_mode: host\n    depends_on: [db]\n  db:\n    network_mode: bridge\n'), []);
    assert.deepEqual(findings('services:\n  web:\n    network_mode: bridge\n    depends_on: [nothere]\n'), []);
    assert.deepEqual(analyzeComposeText(both(), 'compose.yaml',
      { severities: { 'default-bridge-no-dns': 'off' } }).findings.filter((f) => f.code === 'default-bridge-no-dns'), []);
  });

  it('follows override files: links added by an override silence it, a mode set by one starts it', () => {
    const base = 'services:\n  web:\n    network_mode: bridge\n    depends_on: [db]\n  db:\n    network_mode: bridge\n';
    const run = (override: string) => analyzeCompose([{ fileName: 'compose.yaml', text: base }, { fileName: 'compose.override.yaml', text: override }])
      .findings.filter((f) => f.code === 'default-bridge-no-dns');
    assert.deepEqual(run('services:\n  web:\n    links: [db]\n'), []);
    assert.equal(run('services:\n  web:\n    image: nginx\n').length, 1);
    const projectBase = 'services:\n  web:\n    depends_on: [db]\n  db:\n    image: postgres\n';
    const started = analyzeCompose([{ fileName: 'compose.yaml', text: projectBase },
      { fileName: 'compose.override.yaml', text: 'services:\n  db:\n    network_mode: bridge\n' }])
      .findings.filter((f) => f.code === 'default-bridge-no-dns');
    assert.equal(started.length, 1);
  });

  it('offers "Use the project\'s network", which removes only the network_mode lines and silences the finding', () => {
    const text = both().replace('    network_mode: bridge\n    depends_on', '    network_mode: bridge # legacy\n    depends_on');
    const [fix, ...others] = findings(text)[0]!.fixes;
    assert.equal(others.length, 0);
    assert.equal(fix!.title, 'Use the project\'s network for web and db');
    assert.equal(fix!.isPreferred, true);
    const fixed = applyEdits(text, fix!.edits);
    assert.equal(fixed, 'services:\n  web:\n    image: nginx\n    depends_on:\n      - db\n  db:\n    image: postgres\n');
    assert.deepEqual(findings(fixed), []);
    // across networks: only the service on the default bridge changes
    const cross = 'services:\n  web:\n    image: nginx\n    depends_on: [db]\n  db:\n    image: postgres\n    network_mode: "bridge"\n';
    const crossFix = findings(cross)[0]!.fixes[0]!;
    assert.equal(crossFix.title, 'Use the project\'s network for db');
    assert.equal(applyEdits(cross, crossFix.edits), 'services:\n  web:\n    image: nginx\n    depends_on: [db]\n  db:\n    image: postgres\n');
  });

  it('offers no fix it could only half apply: a mode set in another file, or a service that is only its mode', () => {
    const base = 'services:\n  web:\n    image: nginx\n    network_mode: bridge\n    depends_on: [db]\n  db:\n    image: postgres\n';
    const viaOverride = analyzeCompose([{ fileName: 'compose.yaml', text: base },
      { fileName: 'compose.override.yaml', text: 'services:\n  db:\n    network_mode: bridge\n' }])
      .findings.filter((f) => f.code === 'default-bridge-no-dns');
    assert.equal(viaOverride.length, 1);
    assert.deepEqual(viaOverride[0]!.fixes, []);
    const bare = 'services:\n  web:\n    network_mode: bridge\n    depends_on: [db]\n  db:\n    network_mode: bridge\n';
    assert.deepEqual(findings(bare)[0]!.fixes, []);
  });
});


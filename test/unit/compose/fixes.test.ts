import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { analyzeComposeText } from '../../../src/core/compose/analyzeCompose';
import { applyEdits, bindToLoopbackEdits, removePortEntryEdits, useHostNetworkEdits } from '../../../src/core/compose/fixes';
import type { TextEdit } from '../../../src/core/compose/findings';
import { corpusPath } from '../../paths';

const corpusDir = corpusPath('compose');

/** The text with the edited spans cut out: what must stay byte for byte. */
function untouched(text: string, edits: TextEdit[]): string {
  return applyEdits(text, edits.map((e) => ({ ...e, newText: '' })));
}

describe('Use host network for SERVICE', () => {
  const text = [
    'services:',
    '  web:   # the front end',
    '    image: nginx',
    '    ports:',
    '      - "8080:80"  # http',
    '      - "40000-50000:40000-50000/udp"',
    '    # a comment that stays',
    '    environment:',
    '      A: "1"',
    '    networks:',
    '      - front',
    '    expose: [9000]',
    '  db:',
    '    image: postgres',
    '',
  ].join('\n');

  it('adds network_mode: host and removes ports:, networks: and expose:, nothing else', () => {
    const out = applyEdits(text, useHostNetworkEdits(text, 'web')!);
    assert.equal(out, [
      'services:',
      '  web:   # the front end',
      '    image: nginx',
      '    network_mode: host',
      '    # a comment that stays',
      '    environment:',
      '      A: "1"',
      '  db:',
      '    image: postgres',
      '',
    ].join('\n'));
  });

  it('replaces an existing network_mode value', () => {
    const t = 'services:\n  a:\n    network_mode: bridge # was\n    ports:\n      - 80:80\n';
    assert.equal(applyEdits(t, useHostNetworkEdits(t, 'a')!), 'services:\n  a:\n    network_mode: host # was\n');
  });

  it('keeps a 4-space indent and flow lists', () => {
    const t = 'services:\n    a:\n        ports: ["80:80", 81]\n        image: x\n';
    assert.equal(applyEdits(t, useHostNetworkEdits(t, 'a')!), 'services:\n    a:\n        network_mode: host\n        image: x\n');
  });

  it('has nothing for an unknown service or a flow-style service', () => {
    assert.equal(useHostNetworkEdits(text, 'nope'), undefined);
    assert.equal(useHostNetworkEdits('services:\n  a: { ports: ["80:80"] }\n', 'a'), undefined);
  });
});

describe('Bind to 127.0.0.1', () => {
  const cases: [string, string][] = [
    ['- "8080:80"', '- "127.0.0.1:8080:80"'],
    ['- 3000', '- 127.0.0.1::3000'],
    ["- '0.0.0.0:53:53/udp'", "- '127.0.0.1:53:53/udp'"],
    ['- "[::]:80:80"', '- "127.0.0.1:80:80"'],
    ["- '${HTTP_PORT}:8000'", "- '127.0.0.1:${HTTP_PORT}:8000'"],
    ['- { target: 80, published: 8080 }', '- { host_ip: 127.0.0.1, target: 80, published: 8080 }'],
    ['- target: 80\n        published: 8080', '- host_ip: 127.0.0.1\n        target: 80\n        published: 8080'],
    ['- target: 80\n        host_ip: 0.0.0.0', '- target: 80\n        host_ip: 127.0.0.1'],
  ];
  for (const [before, after] of cases) {
    it(`${before.split('\n')[0]} -> ${after.split('\n')[0]}`, () => {
      const t = `services:\n  a:\n    ports:\n      ${before}\n`;
      const entry = analyzeComposeText(t, 'c.yaml').project.services.get('a')!;
      const start = entry.ports[0]?.range.start ?? entry.unresolvedPorts[0]!.range.start;
      const out = applyEdits(t, bindToLoopbackEdits(t, start)!);
      assert.equal(out, `services:\n  a:\n    ports:\n      ${after}\n`);
      const reparsed = analyzeComposeText(out, 'c.yaml', { env: { HTTP_PORT: '80' } }).project.services.get('a')!;
      assert.equal(reparsed.ports[0]!.hostIp, '127.0.0.1');
    });
  }
});

describe('Remove the duplicate port', () => {
  it('removes the whole line of a block entry, comment included', () => {
    const t = 'services:\n  a:\n    ports:\n      - "80:80"\n      - "80:80" # dup\n    image: x\n';
    const a = analyzeComposeText(t, 'c.yaml');
    const fix = a.findings.find((f) => f.code === 'host-port-conflict')!.fixes[0]!;
    assert.equal(applyEdits(t, fix.edits), 'services:\n  a:\n    ports:\n      - "80:80"\n    image: x\n');
  });
  it('removes an entry of a flow list with its comma', () => {
    const t = 'services:\n  a:\n    ports: ["80:80", "80:80", "81:81"]\n';
    const [, second, third] = analyzeComposeText(t, 'c.yaml').project.services.get('a')!.ports;
    assert.equal(applyEdits(t, removePortEntryEdits(t, second!.range.start)!), 'services:\n  a:\n    ports: ["80:80", "81:81"]\n');
    assert.equal(applyEdits(t, removePortEntryEdits(t, third!.range.start)!), 'services:\n  a:\n    ports: ["80:80", "80:80"]\n');
  });
});

describe('Use host network on every service with ports in the corpus', () => {
  const files = fs.readdirSync(corpusDir).filter((f) => /\.ya?ml$/.test(f));
  let applied = 0;
  for (const file of files) {
    const text = fs.readFileSync(path.join(corpusDir, file), 'utf8');
    const analysis = analyzeComposeText(text, file);
    const withPorts = [...analysis.project.services.values()].filter((s) => s.portsKeyRange);
    for (const svc of withPorts) {
      it(`${file}: ${svc.name}`, () => {
        const edits = useHostNetworkEdits(text, svc.name, file);
        assert.ok(edits && edits.length, 'the fix applies');
        const out = applyEdits(text, edits);
        // every byte outside the edited spans is as it was
        assert.equal(untouched(out, shiftEdits(edits)), untouched(text, edits));
        for (const e of edits) {
          const removed = text.slice(e.offset, e.offset + e.length);
          assert.ok(e.length === 0 || /^[ \t]*(ports|networks|expose):/.test(removed) || /^[^\n]*$/.test(removed),
            `only keys of ${svc.name} removed: ${removed}`);
        }
        const re = analyzeComposeText(out, file).project.services.get(svc.name)!;
        assert.equal(re.networkMode?.value, 'host');
        assert.equal(re.ports.length + re.unresolvedPorts.length, 0);
        assert.equal(re.networks, undefined);
        assert.equal(re.expose.length, 0);
        // the other services are unchanged
        for (const other of analysis.project.services.values()) {
          if (other.name === svc.name) continue;
          assert.equal(analyzeComposeText(out, file).project.services.get(other.name)!.ports.length, other.ports.length);
        }
        applied++;
      });
    }
  }
  it('applied to a real number of services', () => {
    assert.ok(applied >= 40, `applied to ${applied}`);
  });
});

/** The spans the edits produce in the new text, for comparing what is left around them. */
function shiftEdits(edits: TextEdit[]): TextEdit[] {
  let delta = 0;
  return [...edits].sort((a, b) => a.offset - b.offset).map((e) => {
    const out = { ...e, offset: e.offset + delta, length: e.newText.length };
    delta += e.newText.length - e.length;
    return out;
  });
}

describe('Use host network for SERVICE when ports come through a << merge key', () => {
  const shared = [
    'x-defaults: &defaults  # shared by web and api',
    '  restart: always',
    '  ports:',
    '    - "8080:80"',
    '  networks: [front]',
    'services:',
    '  web:',
    '    <<: *defaults',
    '    image: nginx # the web',
    '  api:',
    '    <<: *defaults',
    '    image: api',
    'networks:',
    '  front: {}',
    '',
  ].join('\n');
  const anchorText = shared.slice(0, shared.indexOf('services:'));

  /** The service after the fix, as the analysis (merges applied) sees it. */
  const serviceAfter = (text: string, name: string) => analyzeComposeText(text, 'c.yaml').project.services.get(name)!;

  it('overrides the inherited ports: and networks: with [] in the service, never touching the anchor', () => {
    const edits = useHostNetworkEdits(shared, 'web')!;
    const out = applyEdits(shared, edits);
    assert.equal(out,
      shared.replace('    <<: *defaults\n    image: nginx', '    network_mode: host\n    ports: []\n    networks: []\n    <<: *defaults\n    image: nginx'));
    assert.ok(out.startsWith(anchorText), 'the anchor is unchanged');
    for (const e of edits) assert.ok(e.offset >= shared.indexOf('  web:') && e.offset < shared.indexOf('  api:'), 'edits stay inside web');
    const web = serviceAfter(out, 'web');
    assert.equal(web.networkMode?.value, 'host');
    assert.deepEqual(web.ports, []);
    assert.deepEqual(web.networks, []);
    // the other service keeps what the anchor gives it
    const api = serviceAfter(out, 'api');
    assert.equal(api.ports.length, 1);
    assert.equal(api.networkMode, undefined);
    assert.deepEqual(analyzeComposeText(out, 'c.yaml').findings.filter((f) => f.service === 'web' && f.code !== 'published-on-all-interfaces'), []);
  });

  it('the yaml package reads the result the same way: the service own keys win over the merged ones', () => {
    const out = applyEdits(shared, useHostNetworkEdits(shared, 'web')!);
    const web = (parse(out, { merge: true }) as { services: Record<string, Record<string, unknown>> }).services.web!;
    assert.deepEqual({ mode: web.network_mode, ports: web.ports, networks: web.networks, restart: web.restart },
      { mode: 'host', ports: [], networks: [], restart: 'always' });
  });

  it('puts the overrides in place of a removed own key, and after an existing network_mode', () => {
    const own = shared.replace('    image: nginx # the web', '    image: nginx # the web\n    expose: ["9000"]');
    assert.equal(applyEdits(own, useHostNetworkEdits(own, 'web')!),
      shared.replace('    image: nginx # the web', '    image: nginx # the web\n    network_mode: host\n    ports: []\n    networks: []'));
    const mode = shared.replace('    image: nginx # the web', '    network_mode: bridge # was\n    image: nginx # the web');
    assert.equal(applyEdits(mode, useHostNetworkEdits(mode, 'web')!),
      shared.replace('    image: nginx # the web', '    network_mode: host # was\n    ports: []\n    networks: []\n    image: nginx # the web'));
  });

  it('the quick fix says what it overrides', () => {
    const text = shared.replace('    - "8080:80"', '    - "40000-40200:40000-40200"');
    const fix = analyzeComposeText(text, 'c.yaml').findings.find((f) => f.code === 'port-range-proxy-cost' && f.service === 'web')!.fixes[0]!;
    assert.equal(fix.title, 'Use host network for web');
    assert.match(fix.note!, /ports:, networks: inherited through << are overridden with \[\] in web \(the shared anchor is left as it is\)/);
    assert.deepEqual(serviceAfter(applyEdits(text, fix.edits), 'web').ports, []);
  });

  it('adds no override when nothing is inherited, or the inherited list is empty, or the service has its own key', () => {
    const t = 'x: &d\n  ports: []\n  restart: always\nservices:\n  a:\n    <<: *d\n    ports:\n      - "80:80"\n';
    assert.equal(applyEdits(t, useHostNetworkEdits(t, 'a')!), 'x: &d\n  ports: []\n  restart: always\nservices:\n  a:\n    <<: *d\n    network_mode: host\n');
    const plain = 'services:\n  a:\n    image: x\n';
    assert.equal(applyEdits(plain, useHostNetworkEdits(plain, 'a')!), 'services:\n  a:\n    network_mode: host\n    image: x\n');
  });

  it('offers no edit for a service that is itself an alias (the edit would change the anchor)', () => {
    const t = 'x: &svc\n  image: x\n  ports: ["80:80"]\nservices:\n  a: *svc\n  b: *svc\n';
    assert.equal(useHostNetworkEdits(t, 'a'), undefined);
  });
});

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { after, describe, it } from 'node:test';
import { runCli } from '../../../src/cli/main';
import { lineColumn } from '../../../src/cli/lineColumn';
import { parseDotEnv } from '../../../src/core/compose/dotEnv';
import { findCalibration } from '../../../src/core/cost/calibration';
import { fixturePath } from '../../paths';

const fixtures = fixturePath('compose');

async function check(args: string[], cwd: string, env: Record<string, string> = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks: string[] = [];
  stdout.on('data', (c) => chunks.push(String(c)));
  const code = await runCli(['check', ...args], { stdout, stderr, stdin: new PassThrough(), cwd, env });
  return { code, out: chunks.join('') };
}

describe('docker-network-doctor check', () => {
  it('reads the default files (compose.yaml + override), follows extends, exits 1 on errors', async () => {
    const { code, out } = await check([], path.join(fixtures, 'extends'));
    assert.equal(code, 1);
    assert.match(out, /^compose\.yaml:9:5: error host-port-conflict: /m);
    assert.match(out, /compose\.override\.yaml:3:5: warning port-range-proxy-cost: api publishes 202 host ports/);
    // common.yaml attaches base-api to `back`, which no file defines: compose 2.40.3 refuses compose.yaml with
    // `service "api" refers to undefined network back` (worker gets the same line through extends: one finding)
    assert.match(out, /^common\.yaml:7:9: error undefined-network: service "api" refers to undefined network back/m);
    // api sets network_mode in the override and networks through extends: compose 2.40.3 refuses that project
    assert.match(out, /compose\.override\.yaml:5:19: error invalid-compose-file: api declares mutually exclusive `network_mode` and `networks`/);
    assert.match(out, /4 errors, 2 warnings, 0 notes/);
  });

  it('exits 0 on warnings, 1 with --fail-on warning', async () => {
    const warned = await check(['media-server.compose.yaml'], fixtures);
    assert.equal(warned.code, 0);
    assert.match(warned.out, /^0 errors, 1 warning, 0 notes$/m);
    assert.equal((await check(['media-server.compose.yaml', '--fail-on', 'warning'], fixtures)).code, 1);
  });

  it('--engine-version picks that engine\'s calibration: rules per port, memory and start-up are its own', async () => {
    const figures: Record<string, string> = {};
    for (const v of ['20.10', '26.1', '28.5']) {
      const { code, out } = await check(['media-server.compose.yaml', '--engine-version', v], fixtures);
      assert.equal(code, 0);
      const row = findCalibration(v)!;
      const rules = row.rulesPerPort.userlandProxy!.iptables!.total * 10_003;
      figures[v] = /turn publishes 10,003 host ports → ([^;]+); Engine/.exec(out)?.[1] ?? out;
      assert.match(out,
        new RegExp(`10,003 host ports → 20,006 docker-proxy .*~${rules.toLocaleString('en-US')} iptables rules.*; Engine ${v.replace('.', '\\.')} figures ` +
        `\\(chosen\\)`), out);
    }
    assert.notEqual(figures['20.10'], figures['28.5'], 'the two engines\' figures differ');
    const none = await check(['media-server.compose.yaml'], fixtures);
    assert.match(none.out, /Engine \d+\.\d+ figures \(newest calibration; no engine connected\)/);
    const bad = await check(['media-server.compose.yaml', '--engine-version', '23.0'], fixtures);
    assert.equal(bad.code, 2);
  });

  it('writes SARIF 2.1.0 with rule ids, levels and regions', async () => {
    const { out } = await check(['media-server.compose.yaml', '--format=sarif'], fixtures);
    const sarif = JSON.parse(out);
    assert.equal(sarif.version, '2.1.0');
    const [result] = sarif.runs[0].results;
    assert.equal(result.ruleId, 'port-range-proxy-cost');
    assert.equal(result.level, 'warning');
    assert.deepEqual([result.locations[0].physicalLocation.region.startLine, result.locations[0].physicalLocation.region.startColumn], [5, 5]);
  });

  it('writes JSON with line and column', async () => {
    const out = JSON.parse((await check(['media-server.compose.yaml', '--format', 'json'], fixtures)).out);
    assert.equal(out[0].code, 'port-range-proxy-cost');
    assert.deepEqual(out[0].start, { line: 5, column: 5 });
  });

  it('--host-rules: the engine host\'s rules (real ufw and firewalld captures) make published-on-all-interfaces a warning naming the firewall', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dnd-host-rules-'));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    fs.writeFileSync(path.join(dir, 'compose.yaml'), 'services:\n  db:\n    image: postgres\n    ports: ["5432:5432"]\n');
    const plain = await check([], dir);
    assert.doesNotMatch(plain.out, /published-on-all-interfaces/);
    const firewall = fixturePath('firewall');
    for (const [dump, name] of [['e28.5-firewalld-1.nft-ruleset.txt', 'firewalld'], ['e20.10-ufw-1.iptables-save-c.txt', 'ufw']] as const) {
      const { code, out } = await check(['--host-rules', path.join(firewall, dump)], dir);
      assert.equal(code, 0);
      assert.match(out,
        new RegExp(`^compose\\.yaml:4:13: warning published-on-all-interfaces: .*this engine's host runs ${name}; Docker's rules bypass it`, 'm'));
    }
    // rules without ufw or firewalld (Docker's own only) change nothing; a file that is no dump is exit 2
    assert.doesNotMatch((await check(['--host-rules', path.join(firewall, 'e20.10-1-default-publish.iptables-save-c.txt')], dir)).out,
      /published-on-all-interfaces/);
    assert.equal((await check(['--host-rules', path.join(dir, 'compose.yaml')], dir)).code, 2);
  });

  it('exits 2 on a bad option or a missing file', async () => {
    assert.equal((await check(['--format', 'xml'], fixtures)).code, 2);
    assert.equal((await check(['nope.yaml'], fixtures)).code, 2);
  });
});

describe('compose inputs', () => {
  it('parses .env lines as compose does', () => {
    assert.deepEqual(parseDotEnv('# c\nA=1\nexport B="x y"\nC=\'q\' \nD=v # comment\nbad line\n'), { A: '1', B: 'x y', C: 'q', D: 'v' });
  });
  it('turns offsets into 1-based lines and columns', () => {
    assert.deepEqual(lineColumn('ab\ncd\n', 4), { line: 2, column: 2 });
    assert.deepEqual(lineColumn('ab', 0), { line: 1, column: 1 });
  });
  it('gives every offset of several texts the line and column counted by hand (its line index is cached per text)', () => {
    for (const text of ['a\nbb\n\nccc', '\n', 'x\ny\n', 'ab\ncd\n']) {
      for (let offset = 0; offset <= text.length; offset++) {
        const before = text.slice(0, offset).split('\n');
        assert.deepEqual(lineColumn(text, offset), { line: before.length, column: before[before.length - 1]!.length + 1 },
          `${JSON.stringify(text)} @${offset}`);
      }
    }
  });
});

describe('check reads what docker compose reads', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dnd-check-inputs-'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const project = (name: string, files: Record<string, string>) => {
    const dir = path.join(tmp, name);
    for (const [f, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.writeFileSync(path.join(dir, f), text);
    }
    return dir;
  };

  it('--env-file replaces .env; --profile and COMPOSE_PROFILES leave out services of other profiles', async () => {
    const dir = project('env-file', {
      'compose.yaml': 'services:\n  a:\n    image: x\n    ports: ["${A}:80"]\n  b:\n    image: x\n    ports: ["${B}:80"]\n',
      '.env': 'A=8001\nB=8002\n',
      'ci.env': 'A=8000\nB=8000\n',
    });
    assert.equal((await check([], dir)).code, 0);
    const clash = await check(['--env-file', 'ci.env'], dir);
    assert.equal(clash.code, 1);
    assert.match(clash.out, /^compose\.yaml:7:\d+: error host-port-conflict: host port 8000\/tcp/m);
    assert.equal((await check(['--env-file', 'missing.env'], dir)).code, 2);

    const profiles = project('profiles', {
      'compose.yaml': 'services:\n  a:\n    image: x\n    ports: ["8000:80"]\n  tools:\n    image: x\n    profiles: [debug]\n    ports: ["8000:80"]\n',
    });
    // no profile named: every service is checked (the editor's and the CLI's default)
    assert.equal((await check([], profiles)).code, 1);
    assert.equal((await check(['--profile', 'web'], profiles)).code, 0);
    assert.equal((await check([], profiles, { COMPOSE_PROFILES: 'web' })).code, 0);
    assert.equal((await check([], profiles, { COMPOSE_PROFILES: 'debug' })).code, 1);
  });

  it('COMPOSE_FILE from the environment names the files; an include conflict is an error', async () => {
    const dir = project('compose-file', {
      'base.yaml': 'include:\n  - lib.yaml\nservices:\n  web:\n    image: x\n',
      'lib.yaml': 'services:\n  web:\n    image: y\n',
    });
    const r = await check([], dir, { COMPOSE_FILE: 'base.yaml' });
    assert.equal(r.code, 1);
    assert.match(r.out, /^base\.yaml:4:3: error invalid-compose-file: services\.web conflicts with imported resource/m);
    assert.equal((await check([], dir)).code, 2, 'without COMPOSE_FILE there is no default file here');
  });
});

describe('check with files of two folders: two projects (test/fixtures/compose/projects)', () => {
  const projects = fixturePath('compose', 'projects');

  it('each project gets host-port-conflict naming the other project\'s file and service; one folder stays one project', async () => {
    const { code, out } = await check(['shop/compose.yaml', 'shop/compose.override.yaml', 'blog/compose.yaml'], projects);
    assert.equal(code, 1);
    const clashes = out.split('\n').filter((l) => l.includes('host-port-conflict'));
    assert.deepEqual(clashes, [
      'shop/compose.yaml:7:9: error host-port-conflict: host port 18080/tcp on 0.0.0.0 is also published by web of project "blog" (blog/compose.yaml): ' +
        'whichever project starts second fails with "port is already allocated".',
      'shop/compose.override.yaml:5:9: error host-port-conflict: host port 18091/tcp on 0.0.0.0 is also published by admin of project "blog" ' +
        '(blog/compose.yaml): whichever project starts second fails with "port is already allocated".',
      'blog/compose.yaml:10:9: error host-port-conflict: host port 18080/tcp on 0.0.0.0 is also published by web of project "shop" (shop/compose.yaml): ' +
        'whichever project starts second fails with "port is already allocated".',
      'blog/compose.yaml:15:9: error host-port-conflict: host port 18091/tcp on 0.0.0.0 is also published by api of project "shop" ' +
        '(shop/compose.override.yaml): whichever project starts second fails with "port is already allocated".',
    ]);
    assert.match(out, /^4 errors, 0 warnings, 0 notes$/m);
    // the related place in the other file, in JSON
    const json = JSON.parse((await check(['shop/compose.yaml', 'blog/compose.yaml', '--format', 'json'],
      projects)).out) as { range: { file: string }; related: { range: { file: string } }[] }[];
    assert.deepEqual(json.map((f) => [f.range.file, f.related.map((r) => r.range.file)]),
      [['shop/compose.yaml', ['blog/compose.yaml']], ['blog/compose.yaml', ['shop/compose.yaml']]]);
    // shop's two files alone: one project, no clash; a file blog includes, named too, is blog's (not written twice)
    assert.equal((await check(['shop/compose.yaml', 'shop/compose.override.yaml'], projects)).code, 0);
    const withIncluded = await check(['blog/compose.yaml', 'blog/stats/compose.yaml'], projects);
    assert.equal(withIncluded.code, 0, withIncluded.out);
    // name: shop in another folder is project shop: not checked against shop
    assert.equal((await check(['shop/compose.yaml', 'shop-copy/compose.yaml'], projects)).code, 0);
  });
});

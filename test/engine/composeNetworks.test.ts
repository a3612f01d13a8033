// undefined-network, invalid-network-config and subnet-overlap against the real thing: each file of
// test/fixtures/compose/networks goes through docker-compose 2.40.3 (from the sid engine cache) on the engine under
// test, which must refuse it (`config` or `up`), and the product must report an error finding on the same file. The
// words of the refusal are checked on Engine 28.5 (the messages the findings quote); other engines only have to
// refuse, and what they said is stated as a fact.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { analyzeComposeText } from '../../src/core/compose/analyzeCompose';
import type { ComposeAnalysisOptions } from '../../src/core/compose/analyzeCompose';
import { engineNetworksOf } from '../../src/core/compose/engineNetworks';
import { buildEngineModel } from '../../src/core/engine/buildModel';
import { fixturePath } from '../paths';
import { ENGINE, engineDocker, engineMinor, fact, rig, RUN_ID } from './support';

const composeBinary = path.join(process.env.DND_CACHE || path.join(os.homedir(), '.cache', 'docker-network-doctor'), 'engines', 'sid', 'bin', 'docker-compose');
const dir = fixturePath('compose', 'networks');

/** Runs docker-compose with an argument array (no shell) on the engine under test; resolves when it exits. */
function compose(args: string[], timeoutMs = 120_000): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(composeBinary, args, { env: { ...process.env, DOCKER_HOST: process.env.DOCKER_HOST }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (b: Buffer) => { output += b.toString('utf8'); });
    child.stderr.on('data', (b: Buffer) => { output += b.toString('utf8'); });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`docker-compose ${args.join(' ')} did not end within ${timeoutMs} ms`)); },
      timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, output }); });
  });
}

/**
 * name: the fixture; stage: what refuses it; words: the refusal as Engine 28.5 / compose 2.40.3 gave it; refusedFrom:
 * the first engine major that refuses it (older ones accept it, and the product then warns instead).
 */
const cases: {
  file: string; code: 'undefined-network' | 'invalid-network-config' | 'subnet-overlap'; stage: 'config' | 'up'; words: RegExp; refusedFrom?: number;
}[] = [
  { file: 'undef.yaml', code: 'undefined-network', stage: 'config', words: /service "a" refers to undefined network front/ },
  { file: 'undefmode.yaml', code: 'undefined-network', stage: 'config', words: /service "a" depends on undefined service "nosuch"/ },
  { file: 'iprange.yaml', code: 'invalid-network-config', stage: 'config', words: /networks\.n\.ipam\.config\.0 additional properties 'iprange' not allowed/ },
  { file: 'netkey.yaml', code: 'invalid-network-config', stage: 'config', words: /networks\.n additional properties 'drivr' not allowed/ },
  { file: 'attkey.yaml', code: 'invalid-network-config', stage: 'config', words: /services\.a\.networks\.n additional properties 'ipv4address' not allowed/ },
  { file: 'ipamkey.yaml', code: 'invalid-network-config', stage: 'config', words: /networks\.n\.ipam additional properties 'drivr' not allowed/ },
  { file: 'hostbits.yaml', code: 'invalid-network-config', stage: 'up', words: /invalid subnet 172\.16\.4\.0\/16: it should be 172\.16\.0\.0\/16/,
    refusedFrom: 26 },
  { file: 'subnetbad.yaml', code: 'invalid-network-config', stage: 'up', words: /invalid subnet 172\.29\.0\.0\/33: invalid CIDR block notation/ },
  { file: 'gwout.yaml', code: 'invalid-network-config', stage: 'up',
    words: /invalid gateway 172\.30\.0\.1: parent subnet 172\.29\.0\.0\/16 doesn't contain this address/ },
  { file: 'auxout.yaml', code: 'invalid-network-config', stage: 'up',
    words: /invalid auxiliary address host1: parent subnet 172\.29\.0\.0\/16 doesn't contain this address/ },
  { file: 'staticout.yaml', code: 'invalid-network-config', stage: 'up', words: /no configured subnet or ip-range contain the IP address 172\.31\.0\.5/ },
  { file: 'staticnoipam.yaml', code: 'invalid-network-config', stage: 'up',
    words: /user specified IP address is supported only when connecting to networks with user configured subnets/ },
  { file: 'staticdup.yaml', code: 'invalid-network-config', stage: 'up', words: /Address already in use/ },
  { file: 'overlap.yaml', code: 'subnet-overlap', stage: 'up', words: /Pool overlaps with other one on this address space/ },
  { file: 'engineov.yaml', code: 'subnet-overlap', stage: 'up', words: /Pool overlaps with other one on this address space/ },
  // last: Engine 20.10.24 accepts it, and removing the network then fails ("no matching subnet for range") and keeps
  // 172.29.0.0/16 taken until the daemon restarts, so every later 172.29 network would be refused for that
  { file: 'rangeout.yaml', code: 'invalid-network-config', stage: 'up',
    words: /invalid ip-range 172\.31\.0\.0\/24: parent subnet 172\.29\.0\.0\/16 doesn't contain ip-range/, refusedFrom: 26 },
];

describe(`the networks section as docker-compose 2.40.3 and ${ENGINE} refuse it`, () => {
  const docker = engineDocker();

  it(`finds docker-compose 2.40.3 in the engine cache (${ENGINE})`, async () => {
    assert.ok(fs.existsSync(composeBinary), `no ${composeBinary}: run DND_ENGINE=sid node scripts/lib/engine.js once to fetch it`);
    const { output } = await compose(['version', '--short']);
    assert.match(output.trim(), /^2\.40\.3/);
  });

  for (const c of cases) {
    it(`${c.file}: compose ${c.stage} is refused and the product reports ${c.code} as an error (${ENGINE})`, async (t) => {
      const file = path.join(dir, c.file);
      const project = `dnd-nets-${RUN_ID}-${path.basename(c.file, '.yaml')}`.toLowerCase().replace(/[^a-z0-9_-]/g, '-');
      const config = await compose(['-f', file, '-p', project, 'config', '-q']);
      // each project is taken down before the next: most fixtures use 172.29.0.0/16, and a network left behind
      // (created before its container was refused) would make the next one's failure an overlap
      let refused = config;
      if (c.stage === 'up') {
        try {
          refused = await compose(['-f', file, '-p', project, 'up', '-d', '--timeout', '0']);
        } finally {
          await compose(['-f', file, '-p', project, 'down', '--timeout', '0']);
        }
      }
      if (c.stage === 'up') assert.equal(config.code, 0, `compose config accepts ${c.file}: ${config.output}`);
      if (c.refusedFrom !== undefined && Number(engineMinor().split('.')[0]) < c.refusedFrom) {
        // an older engine accepts it: the product, told the engine's version, warns and says so
        assert.equal(refused.code, 0, `${ENGINE} refused ${c.file}: ${refused.output}`);
        fact(t, `${c.file}: compose up accepted (Engine ${c.refusedFrom}+ refuses it)`);
        const warned = analyzeComposeText(fs.readFileSync(file, 'utf8'), file, { engineVersion: rig.version }).findings.filter((f) => f.code === c.code);
        assert.ok(warned.length && warned.every((f) => f.severity === 'warning'), warned.map((f) => `${f.severity}: ${f.message}`).join(' | '));
        assert.ok(warned.every((f) => f.message.includes(`the connected Engine ${rig.version} accepts it`)));
        return;
      }
      assert.notEqual(refused.code, 0, `compose ${c.stage} accepted ${c.file}: ${refused.output}`);
      fact(t, `${c.file}: compose ${c.stage}: ${refused.output.trim().split('\n').slice(-2).join(' / ')}`);
      if (c.stage === 'config' || engineMinor() === '28.5') assert.match(refused.output, c.words);
      const options: ComposeAnalysisOptions = {};
      if (c.file === 'engineov.yaml') {
        // the engine's own networks, read as the extension and `check --engine` read them
        options.engineNetworks = engineNetworksOf(buildEngineModel(await docker.listNetworks(), []));
      }
      const found = analyzeComposeText(fs.readFileSync(file, 'utf8'), file, options).findings.filter((f) => f.code === c.code);
      assert.ok(found.length, `no ${c.code} finding for ${c.file}`);
      assert.ok(found.every((f) => f.severity === 'error'));
      // the finding quotes what refuses it
      const quoted = c.words.source.replace(/\\/g, '').slice(0, 30);
      assert.ok(found.some((f) => f.message.includes(quoted)) , `${found.map((f) => f.message).join(' | ')} does not quote "${quoted}"`);
    });
  }

  it(`own.yaml: a project's own network from an earlier up is not an overlap; another project's is (${ENGINE})`, async (t) => {
    const file = path.join(dir, 'own.yaml');
    const project = `dnd-nets-${RUN_ID}-own`.toLowerCase().replace(/[^a-z0-9_-]/g, '-');
    try {
      const up = await compose(['-f', file, '-p', project, 'up', '-d', '--timeout', '0']);
      assert.equal(up.code, 0, up.output);
      const engineNetworks = engineNetworksOf(buildEngineModel(await docker.listNetworks(), []));
      const mine = engineNetworks.find((n) => n.name === `${project}_n`);
      assert.deepEqual(mine && { ...mine }, { name: `${project}_n`, subnets: ['10.198.0.0/16'], composeProject: project, composeNetwork: 'n' });
      const overlaps = (projectName: string) => analyzeComposeText(fs.readFileSync(file, 'utf8'), file, { engineNetworks, projectName })
        .findings.filter((f) => f.code === 'subnet-overlap');
      assert.deepEqual(overlaps(project), []);
      assert.equal(overlaps('another').length, 1);
      const second = await compose(['-f', file, '-p', `${project}-2`, 'up', '-d', '--timeout', '0']);
      assert.notEqual(second.code, 0);
      assert.match(second.output, /Pool overlaps with other one on this address space/);
      fact(t, `own.yaml up again as another project: ${second.output.trim().split('\n').pop()}`);
    } finally {
      await compose(['-f', file, '-p', project, 'down', '--timeout', '0']);
      await compose(['-f', file, '-p', `${project}-2`, 'down', '--timeout', '0']);
    }
  });
});

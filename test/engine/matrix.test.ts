// `docker-network-doctor matrix` against the engine under test: two containers on a user network, two on a network
// with ICC off, one on the default bridge; every cell (a trace through the host's real rules) is compared with a
// real connection from that container's network namespace to the other's address.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runBuiltCli } from '../unit/cli/runBuiltCli';
import { ENGINE, engineDocker, fact, inEngineNetns, Made, runToEnd, startContainer, testLabels, uniqueName } from './support';

interface Cell { from: string; to: string; path: string; reach: string; verdict: { text: string } }

describe(`reachability matrix on ${ENGINE}`, () => {
  const docker = engineDocker();
  const made = new Made();
  const prefix = uniqueName('dnd-mx');
  const names: string[] = [];
  let dumpDir = '';

  before(async () => {
    const user = `${prefix}-user`;
    const noIcc = `${prefix}-noicc`;
    made.network(await docker.createNetwork({ Name: user, Labels: testLabels() }));
    made.network(await docker.createNetwork({ Name: noIcc, Labels: testLabels(), Options: { 'com.docker.network.bridge.enable_icc': 'false' } }));
    for (const [n, net] of [['a', user], ['b', user], ['c', noIcc], ['d', noIcc], ['e', 'bridge']] as const) {
      const s = await startContainer(docker, made, { name: `${prefix}-${n}`, networkMode: net });
      assert.equal(s.error, undefined, `${ENGINE}: ${s.error}`);
      names.push(`${prefix}-${n}`);
    }
    const save = inEngineNetns(['iptables-save']);
    assert.equal(save.status, 0, save.stderr);
    dumpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dnd-mx-'));
    fs.writeFileSync(path.join(dumpDir, 'rules.txt'), save.stdout);
  });
  after(async () => {
    await made.removeAll();
    if (dumpDir) fs.rmSync(dumpDir, { recursive: true, force: true });
  });

  it('every cell among its five containers matches a real connection', async (t) => {
    const r = runBuiltCli(['matrix', path.join(dumpDir, 'rules.txt')],
      { env: { PATH: process.env.PATH, HOME: process.env.HOME, DOCKER_HOST: process.env.DOCKER_HOST } });
    assert.equal(r.code, 0, r.stderr);
    const cells = (JSON.parse(r.stdout) as { cells: Cell[] }).cells.filter((c) => names.includes(c.from) && names.includes(c.to));
    assert.equal(cells.length, 20, 'every ordered pair of the five');
    const mismatches: string[] = [];
    const summary: string[] = [];
    for (const c of cells) {
      const [address, port] = c.path.split(' → ')[1]!.split(':');
      const real = await runToEnd(docker, made, ['nc', '-w', '2', address!, port!], { networkMode: `container:${c.from}` });
      const reached = real.output.includes('dnd-hello');
      const short = (n: string) => n.slice(prefix.length + 1);
      summary.push(`${short(c.from)}→${short(c.to)} ${reached ? 'reached' : 'not'}`);
      if (reached !== (c.reach === 'reachable')) mismatches.push(`${c.from} → ${c.to} (${c.path}): matrix ${c.reach} (${c.verdict.text}); ` +
        `real ${reached ? 'reached' : real.output.trim() || 'no answer'}`);
    }
    fact(t, `real connections: ${summary.join(', ')}`);
    assert.deepEqual(mismatches, []);
    // the cases that make the matrix worth having: a user network lets its two talk, ICC off does not
    assert.equal(cells.find((c) => c.from.endsWith('-a') && c.to.endsWith('-b'))!.reach, 'reachable');
    assert.equal(cells.find((c) => c.from.endsWith('-c') && c.to.endsWith('-d'))!.reach, 'blocked');
  });
});

// `docker-network-doctor reach` against the engine under test, each verdict next to what a real connection does:
// an app listening only on 127.0.0.1 inside its container (published, yet unreachable), one listening on every
// address, and from another container: the default bridge (no DNS) and a user network with ICC off.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connectFromEngineHost } from '../support/engineRig';
import { runBuiltCli } from '../unit/cli/runBuiltCli';
import { ENGINE, engineDocker, fact, inEngineNetns, Made, rig, runToEnd, startContainer, testLabels, TEST_IMAGE, uniqueName } from './support';

describe(`reach on ${ENGINE}`, () => {
  const docker = engineDocker();
  const made = new Made();
  const base = 33100 + Math.floor(Math.random() * 800);
  const loName = uniqueName('dnd-reach-lo');
  const allName = uniqueName('dnd-reach-all');
  const noIcc = uniqueName('dnd-reach-noicc');
  let dumpDir = '';
  let dump = '';

  const reach = (args: string[]) => runBuiltCli(['reach', ...args, '--probe-image', TEST_IMAGE, '--format', 'json'], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DOCKER_HOST: process.env.DOCKER_HOST },
  });
  const steps = (r: { stdout: string; stderr: string }) => {
    assert.ok(r.stdout, `reach printed nothing: ${r.stderr}`);
    return JSON.parse(r.stdout) as { steps: Array<{ title: string; result: string; evidence: string }>; cause?: { title: string } };
  };

  before(async () => {
    const lo = await startContainer(docker, made, { name: loName, ports: [`${base}:80`], cmd: ['httpd', '-f', '-p', '127.0.0.1:80'] });
    assert.equal(lo.error, undefined, `${ENGINE}: ${lo.error}`);
    const all = await startContainer(docker, made, { name: allName, ports: [`${base + 1}:80`] });
    assert.equal(all.error, undefined, `${ENGINE}: ${all.error}`);
    made.network(await docker.createNetwork({ Name: noIcc, Labels: testLabels(), Options: { 'com.docker.network.bridge.enable_icc': 'false' } }));
    for (const n of ['a', 'b']) {
      const s = await startContainer(docker, made, { name: `${noIcc}-${n}`, networkMode: noIcc });
      assert.equal(s.error, undefined, `${ENGINE}: ${s.error}`);
    }
    // the host's rules, as a user would give them
    const save = inEngineNetns(['iptables-save']);
    assert.equal(save.status, 0, save.stderr);
    dumpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dnd-reach-'));
    dump = path.join(dumpDir, 'iptables-save.txt');
    fs.writeFileSync(dump, save.stdout);
  });
  after(async () => {
    await made.removeAll();
    if (dumpDir) fs.rmSync(dumpDir, { recursive: true, force: true });
  });

  it('an app on 127.0.0.1 inside: the listener step fails with that address, and a real connection gets nothing', async (t) => {
    const r = reach([`${loName}:80`, '--from', 'host', '--dump', dump]);
    assert.equal(r.code, 1, r.stderr);
    const out = steps(r);
    const listen = out.steps.find((s) => /listens on 80\/tcp/.test(s.title))!;
    assert.equal(listen.result, 'fail', listen.evidence);
    assert.match(listen.evidence, /listens on 127\.0\.0\.1:80 only/);
    assert.equal(out.cause?.title, listen.title);
    assert.equal(out.steps.find((s) => /published/.test(s.title))!.result, 'ok');
    // busybox httpd answers an HTTP request (a 404 here); through docker-proxy to the container's own address it is
    // never reached, so the request gets no HTTP answer at all (busybox nc; its wget crashed in this image)
    const request = 'GET / HTTP/1.0\r\n\r\n';
    const argv = rig.engineNetns ? ['nsenter', `--net=${rig.engineNetns}`, '--', 'busybox', 'nc', '-w', '3', '127.0.0.1', String(base)]
      : ['busybox', 'nc', '-w', '3', '127.0.0.1', String(base)];
    const real = spawnSync(argv[0]!, argv.slice(1), { input: request, encoding: 'utf8', timeout: 10_000 });
    assert.doesNotMatch(real.stdout, /HTTP\/1\.\d \d{3}/, `${ENGINE}: host port ${base} got an HTTP answer`);
    // and the app does answer inside its own namespace (it is only the address): a 404 from busybox httpd
    const inside = await runToEnd(docker, made, ['sh', '-c', 'printf "GET / HTTP/1.0\\r\\n\\r\\n" | nc 127.0.0.1 80 | head -1'],
      { networkMode: `container:${loName}` });
    assert.match(inside.output, /HTTP\/1\.\d 404/, `${ENGINE}: the app answers on its loopback: ${inside.output}`);
    fact(t, `an app listening on 127.0.0.1:80 in a container published as ${base}:80: an HTTP request from the host gets no answer ` +
      `(${JSON.stringify(real.stdout)}), while inside its namespace it answers (${inside.output.trim()}); reach says why`);
  });

  it('an app on every address: every step passes, the rules step is a trace, and a real connection answers', async (t) => {
    const r = reach([`${allName}:80`, '--from', 'host', '--dump', dump]);
    const out = steps(r);
    assert.equal(r.code, 0, JSON.stringify(out.steps, null, 1));
    assert.deepEqual(out.steps.map((s) => s.result), ['ok', 'ok', 'ok', 'ok']);
    assert.match(out.steps[3]!.evidence, /^trace from the host: (reaches|handled by docker-proxy)/);
    const real = await connectFromEngineHost('127.0.0.1', base + 1, rig);
    assert.ok(real.ok && real.data.includes('dnd-hello'), `${ENGINE}: ${real.error}`);
    fact(t, `published ${base + 1}:80, app on 0.0.0.0: answered from the host; reach passes every step`);
  });

  it('--live from the host: docker-proxy accepts the 127.0.0.1-only app\'s port and closes it; the other app answers', async (t) => {
    const lo = steps(reach([`${loName}:80`, '--from', 'host', '--live']));
    const loLive = lo.steps.find((s) => /^a real connection from the host to 127\.0\.0\.1:/.test(s.title))!;
    assert.equal(loLive.result, 'fail', loLive.evidence);
    assert.match(loLive.evidence, /closed by the other end with nothing said/);
    // already explained by the listener step: no disagreement step
    assert.ok(!lo.steps.some((s) => /agree/.test(s.title)));
    const all = steps(reach([`${allName}:80`, '--from', 'host', '--live', '--dump', dump]));
    const allLive = all.steps.find((s) => /^a real connection from the host/.test(s.title))!;
    assert.equal(allLive.result, 'ok', allLive.evidence);
    assert.match(allLive.evidence, /answered "dnd-hello"/);
    assert.ok(!all.steps.some((s) => /agree/.test(s.title)), 'the trace and the live test agree');
    fact(t, `a live telnet from the host: 127.0.0.1-only app ${loLive.evidence}; the other ${allLive.evidence}`);
  });

  it('--live between containers on an icc=false network: timed out, as the checklist says', async (t) => {
    const out = steps(reach([`${noIcc}-a:80`, '--from', `${noIcc}-b`, '--live']));
    const live = out.steps.find((s) => /^a real connection from/.test(s.title))!;
    assert.equal(live.result, 'fail', live.evidence);
    assert.match(live.evidence, /timed out/);
    fact(t, `a live telnet between two containers of an icc=false network: ${live.evidence}`);
  });

  it('from a container on the default bridge: the name does not resolve, as a real lookup shows', async (t) => {
    const src = await startContainer(docker, made, { name: uniqueName('dnd-reach-src'), cmd: ['sleep', '300'] });
    assert.equal(src.error, undefined);
    const r = reach([`${allName}:80`, '--from', (await src.container.inspect()).Name.replace(/^\//, '')]);
    const out = steps(r);
    const dns = out.steps.find((s) => /resolves/.test(s.title))!;
    assert.equal(dns.result, 'fail');
    assert.match(dns.evidence, /only the default bridge, which has no DNS/);
    assert.equal(out.steps.find((s) => /share a network/.test(s.title))!.result, 'ok');
    const lookup = await runToEnd(docker, made, ['nslookup', allName]);
    assert.notEqual(lookup.exitCode, 0, `${ENGINE}: ${allName} resolved on the default bridge: ${lookup.output}`);
    fact(t, `nslookup ${allName} on the default bridge failed (exit ${lookup.exitCode}); reach says the default bridge has no DNS`);
  });

  it('on a network with ICC off: the name resolves but the network step fails, and a real connection times out', async (t) => {
    const r = reach([`${noIcc}-a:80`, '--from', `${noIcc}-b`]);
    assert.equal(r.code, 1);
    const out = steps(r);
    assert.equal(out.steps.find((s) => /resolves/.test(s.title))!.result, 'ok');
    const net = out.steps.find((s) => /may talk|share a network/.test(s.title))!;
    assert.equal(net.result, 'fail');
    assert.match(net.evidence, /inter-container communication is off \(icc=false\)/);
    const real = await runToEnd(docker, made, ['nc', '-w', '2', `${noIcc}-a`, '80'], { networkMode: noIcc });
    assert.ok(!real.output.includes('dnd-hello'), `${ENGINE}: answered across icc=false: ${real.output}`);
    fact(t, `nc from one container to another on an icc=false network: ${real.output.trim() || `no answer (exit ${real.exitCode})`}`);
  });
});

// `docker-network-doctor exposure` as a process, on the ufw captures of Engine 28.5.2 and 20.10.24
// (test/fixtures/firewall/e<version>-ufw-1.*, real connections of that moment in e<version>-ufw-1-truth.txt: 5432 on
// 0.0.0.0 answered from outside although ufw denies incoming; 127.0.0.1:6379 did not).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { fixturePath } from '../../paths';
import { runBuiltCli } from './runBuiltCli';

const dump = (engine: string) => ['iptables-save-c', 'ip6tables-save-c']
  .map((f) => fs.readFileSync(fixturePath('firewall', `e${engine}-ufw-1.${f}.txt`), 'utf8')).join('\n');

describe('exposure (CLI)', () => {
  for (const [engine, version] of [['28.5', 'Engine 28.5.2'], ['20.10', 'Engine 20.10.24']] as const) {
    it(`${version} behind ufw, from the dump alone: 5432 reachable from outside with the bypass warning, 6379 blocked`, () => {
      const r = runBuiltCli(['exposure', '-', '--host', '198.51.100.2'], { input: dump(engine) });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^host firewall: ufw\n/);
      const blocks = r.stdout.split('\n\n');
      const p5432 = blocks.find((b) => b.startsWith('5432/tcp -> 10.207.0.2:80'));
      const p6379 = blocks.find((b) => b.startsWith('127.0.0.1:6379/tcp -> 10.207.0.3:80'));
      assert.ok(p5432 && p6379, r.stdout);
      assert.match(p5432, /from outside +reachable +reaches the container at 10\.207\.0\.2:80/);
      assert.match(p5432, /ufw on its own +blocked +dropped in filter INPUT/);
      assert.match(p5432, /warning: ufw denies 5432\/tcp, but Docker publishes it on every address/);
      assert.match(p6379, /from outside +blocked/);
      assert.match(p6379, /from the host +reachable +handled by docker-proxy/);
      assert.doesNotMatch(p6379, /warning/);
      assert.match(r.stdout, /\n2 published ports, 1 firewall bypass\n$/);
    });
  }

  it('--format json carries each source\'s verdict and the disagreement', () => {
    const r = runBuiltCli(['exposure', '-', '--format', 'json'], { input: dump('28.5') });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Array<{ binding: { hostPort: number }; verdicts: Array<{ source: string; reach: string }>; disagreement?: string }>;
    const p5432 = out.find((e) => e.binding.hostPort === 5432)!;
    assert.deepEqual(p5432.verdicts.map((v) => `${v.source} ${v.reach}`), ['outside reachable', 'host reachable']);
    assert.match(p5432.disagreement ?? '', /^ufw denies 5432\/tcp/);
    // without --host the stand-in address is said
    assert.ok(out.some((e) => JSON.stringify(e).includes('stand-in')));
  });

  it('bad input: a --host of the wrong family and a text with no dump are exit 2 with one message', () => {
    const bad = runBuiltCli(['exposure', '-', '--host', '2001:db8::1'], { input: dump('28.5') });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--host takes an IPv4 address \(got "2001:db8::1"\)/);
    const none = runBuiltCli(['exposure', '-'], { input: 'hello\nworld\n' });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no iptables-save, iptables -S, iptables -L or nft text found/);
  });
});

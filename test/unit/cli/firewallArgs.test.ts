// `firewall --trace/--from/--to`: what the trace cannot use is a usage error (exit 2), not a "dropped" verdict.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { fixturePath } from '../../paths';
import { runBuiltCli } from './runBuiltCli';

const dump = fixturePath('firewall', 'e28.5-4-all.iptables-save.txt');
const traceOf = (args: string[]) => {
  const r = runBuiltCli(['firewall', dump, '--format', 'json', '--trace', 'tcp:8080', ...args]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout).trace as { steps: { hook: string }[]; verdict: { kind: string; text: string } };
};

describe('firewall trace arguments', () => {
  const usageErrors: [string[], RegExp][] = [
    [['--trace', 'tcp:8080', '--from', '999.1.1.1'], /--from takes an IPv4 or IPv6 address \(got "999\.1\.1\.1"\)/],
    [['--trace', 'tcp:8080', '--from', 'bogus'], /--from takes an IPv4 or IPv6 address/],
    [['--trace', 'tcp:8080', '--from', 'fe80::1%eth0'], /without a zone/],
    [['--trace', 'tcp:0'], /port from 1 to 65535/],
    [['--trace', 'tcp:65536'], /port from 1 to 65535/],
    [['--trace', 'tcp:8080', '--to', '999.9.9.9'], /--to takes an IPv4 or IPv6 address/],
    [['--trace', 'tcp:8080', '--from', 'fd00::5'], /is IPv6: give an IPv6 --to address/],
    [['--trace', 'tcp:8080', '--from', 'fd00::5', '--to', '198.51.100.10'], /is IPv6: give an IPv6 --to address/],
    [['--trace', 'tcp:8080', '--from', '172.17.0.2', '--to', '2001:db8::1'], /is IPv4 but --to is IPv6/],
    [['--from', '172.17.0.2'], /--from and --to need --trace/],
    [[dump], /only one FILE/],
  ];
  for (const [args, message] of usageErrors) {
    it(`${args.join(' ')}: exit 2`, () => {
      const r = runBuiltCli(['firewall', dump, ...args]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    });
  }

  it('--from 127.0.0.1 and --from ::1 are traced as the host itself (OUTPUT), like localhost', () => {
    const localhost = traceOf(['--from', 'localhost']);
    assert.equal(localhost.steps[0]?.hook, 'output');
    assert.deepEqual(traceOf(['--from', '127.0.0.1']), localhost);
    assert.deepEqual(traceOf(['--from', '127.0.0.5']), localhost);
    const v6 = traceOf(['--from', '::1']);
    assert.ok(v6.steps.every((s) => s.hook !== 'prerouting'), JSON.stringify(v6.steps));
    assert.equal(v6.verdict.kind, localhost.verdict.kind);
    // a remote client is another path: PREROUTING first
    assert.equal(traceOf(['--from', 'outside']).steps[0]?.hook, 'prerouting');
  });

  it('a container address with an IPv6 destination of the same family is traced', () => {
    assert.ok(traceOf(['--from', 'fd00::5', '--to', '2001:db8::1']).verdict.kind);
  });
});

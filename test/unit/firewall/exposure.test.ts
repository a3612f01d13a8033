// Exposure on real rules: ufw ("deny incoming") enabled in front of Engine 28.5.2 and Engine 20.10.24, captured by
// test/fixtures/firewall/capture.sh ufw with the real connections of that moment (e<version>-ufw-1-truth.txt). Each
// verdict the product gives (a trace) is checked against what the real connection did.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { exposure, exposureFixes, exposureText, hostFirewallOf, parseFirewall, type EngineFacts } from '../../../src/core/firewall';
import { LAN, LAN6, readFirewallFixture, truth } from './realConnections';

const read = readFirewallFixture;

for (const engine of ['28.5', '20.10']) {
  const version = engine === '28.5' ? 'Engine 28.5.2' : 'Engine 20.10.24';
  describe(`exposure with ufw in front of ${version} (e${engine}-ufw-1)`, () => {
    // both families, as the helper reads them: iptables-save then ip6tables-save
    const ruleset = parseFirewall(`${read(`e${engine}-ufw-1.iptables-save-c.txt`)}\n${read(`e${engine}-ufw-1.ip6tables-save-c.txt`)}`);
    const facts: EngineFacts = JSON.parse(read(`e${engine}-ufw-1.engine.json`));
    const real = truth(`e${engine}-ufw-1-truth.txt`);
    const want = (label: string, port: number) => {
      const row = real.find((r) => r.label.startsWith(label) && r.port === port);
      assert.ok(row, `truth row ${label} :${port}`);
      return row.reach;
    };
    const all = exposure(ruleset, { facts, hostAddress: LAN, hostAddress6: LAN6 });
    const of = (port: number, family: 'ipv4' | 'ipv6' = 'ipv4') => {
      const e = all.find((x) => x.binding.hostPort === port && (x.binding.hostIp?.includes(':') ? 'ipv6' : 'ipv4') === family);
      assert.ok(e, `binding on ${port}`);
      return e;
    };

    it('finds ufw as the host firewall', () => {
      assert.deepEqual(hostFirewallOf(ruleset), { kind: 'ufw', name: 'ufw' });
    });

    it('lists the published bindings the engine reported (5432 on both families)', () => {
      assert.deepEqual(all.map((e) => `${e.binding.container?.name} ${e.binding.hostIp}:${e.binding.hostPort}->`
        + `${e.binding.containerPort}/${e.binding.protocol}`).sort(),
        ['dnd-fw-cache 127.0.0.1:6379->80/tcp', 'dnd-fw-db 0.0.0.0:5432->80/tcp', 'dnd-fw-db :::5432->80/tcp']);
    });

    it(':5432 on :: from outside over IPv6: blocked, as the real connection went (no IPv6 DNAT; ufw\'s ip6tables INPUT drops)', () => {
      const e = of(5432, 'ipv6');
      const outside = e.verdicts.find((v) => v.source === 'outside')!;
      assert.equal(outside.to, `${LAN6}:5432`);
      assert.equal(outside.reach, want('outside-v6', 5432));
      assert.equal(e.disagreement, undefined);
    });

    for (const port of [5432, 6379]) {
      it(`:${port} from outside and from the host: as the real connections went`, () => {
        const e = of(port);
        assert.equal(e.verdicts.find((v) => v.source === 'outside')!.reach, want('outside', port), 'outside');
        assert.equal(e.verdicts.find((v) => v.source === 'host')!.reach, want('localhost', port), 'host');
      });
    }

    it(':5432 from a container on the same network and on another one: as the real connections went', () => {
      const e = of(5432);
      const same = e.verdicts.find((v) => v.source === 'same-network');
      const other = e.verdicts.find((v) => v.source === 'other-network');
      assert.ok(same && other, 'both container sources traced');
      assert.equal(same.to, '10.207.0.1:5432');
      assert.equal(same.reach, want('same-network-container (dnd-fw-app) to gateway', 5432));
      assert.equal(other.to, '10.208.0.1:5432');
      assert.equal(other.reach, want('other-network-container (dnd-fw-other) to its gateway', 5432));
    });

    it('ufw on its own denies both ports; the disagreement is said for the 0.0.0.0 one only', () => {
      assert.equal(of(5432).firewallAlone?.reach, 'blocked');
      assert.equal(of(6379).firewallAlone?.reach, 'blocked');
      assert.match(of(5432).disagreement ?? '', /^ufw denies 5432\/tcp, but Docker publishes it on 0\.0\.0\.0: reachable from any network/);
      assert.equal(of(6379).disagreement, undefined);
    });

    it('each outside verdict names the rule that decided', () => {
      assert.match(of(5432).verdicts[0]!.trace.verdict.ruleId ?? '', /nat\/DOCKER#/);
      const drop = of(6379).firewallAlone!.trace;
      assert.match(drop.verdict.text, /INPUT/);
    });

    it('from the dump alone (no engine), the bindings come from Docker\'s DNAT rules, with the same verdicts', () => {
      const v4 = parseFirewall(read(`e${engine}-ufw-1.iptables-save-c.txt`));
      const alone = exposure(v4, { hostAddress: LAN });
      assert.deepEqual(alone.map((e) => `${e.binding.hostIp ?? '*'}:${e.binding.hostPort}->${e.binding.containerPort}`).sort(),
        ['*:5432->80', '127.0.0.1:6379->80']);
      for (const e of alone) {
        assert.equal(e.verdicts.find((v) => v.source === 'outside')!.reach, want('outside', e.binding.hostPort));
        assert.equal(!!e.disagreement, e.binding.hostPort === 5432);
      }
    });
  });
}

describe('exposure without a host firewall', () => {
  it('Engine 28.5.2 with no ufw (e28.5-4-all): no firewall, no disagreement, published ports reachable from outside', () => {
    const ruleset = parseFirewall(read('e28.5-4-all.iptables-save-c.txt'));
    assert.equal(hostFirewallOf(ruleset).kind, 'none');
    const all = exposure(ruleset, { facts: JSON.parse(read('e28.5-4-all.engine.json')), hostAddress: LAN });
    assert.ok(all.length >= 3);
    for (const e of all) {
      assert.equal(e.firewallAlone, undefined);
      assert.equal(e.disagreement, undefined);
    }
  });
});

describe('exposure in words (the Published ports view)', () => {
  const ruleset = parseFirewall(`${read('e28.5-ufw-1.iptables-save-c.txt')}\n${read('e28.5-ufw-1.ip6tables-save-c.txt')}`);
  const facts: EngineFacts = JSON.parse(read('e28.5-ufw-1.engine.json'));
  const all = exposure(ruleset, { facts, hostAddress: LAN, hostAddress6: LAN6 });
  const forPort = (port: number) => all.filter((e) => e.binding.hostPort === port);

  it('Engine 28.5.2 behind ufw: 5432 on 0.0.0.0 and :: is reachable from outside over IPv4 only (as the real connections went) and says ufw is bypassed',
    () => {
    const t = exposureText(forPort(5432));
    assert.equal(t.short, 'outside: IPv4 reachable · IPv6 blocked · ufw bypassed');
    assert.equal(t.bypass, true);
    assert.ok(t.lines.includes('IPv4 (0.0.0.0):') && t.lines.includes('IPv6 (::):'), t.lines.join('\n'));
    assert.ok(t.lines.some((l) => /^⚠ ufw denies 5432\/tcp, but Docker publishes it on 0\.0\.0\.0/.test(l)), t.lines.join('\n'));
    assert.ok(t.lines.some((l) => /^Fix: publish it on 127\.0\.0\.1/.test(l)));
  });

  it('Engine 28.5.2 behind ufw: 6379 on 127.0.0.1 is blocked from outside, no warning', () => {
    const t = exposureText(forPort(6379));
    assert.equal(t.short, 'outside: blocked');
    assert.equal(t.bypass, false);
    assert.ok(!t.lines.some((l) => l.startsWith('⚠')));
  });
});

describe('the DOCKER-USER rule the product offers', () => {
  it('Engine 28.5.2 behind ufw: with the offered rule added after FORWARD\'s jump, 5432 is blocked from outside, by that rule', () => {
    const text = read('e28.5-ufw-1.iptables-save.txt');
    const before = exposure(parseFirewall(text), { hostAddress: LAN }).find((e) => e.binding.hostPort === 5432)!;
    const offered = exposureFixes(before)[0]!.argv;
    assert.deepEqual(offered,
      ['iptables', '-I', 'DOCKER-USER', '-p', 'tcp', '-m', 'conntrack', '--ctorigdstport', '5432', '--ctdir', 'ORIGINAL', '-j', 'DROP']);
    // as iptables-save prints an inserted rule: `-A DOCKER-USER` and the options in order
    const withRule = text.replace('-A FORWARD -j DOCKER-USER\n', `-A FORWARD -j DOCKER-USER\n-A DOCKER-USER ${offered.slice(3).join(' ')}\n`);
    assert.notEqual(withRule, text, 'the rule was added');
    const after = exposure(parseFirewall(withRule), { hostAddress: LAN }).find((e) => e.binding.hostPort === 5432)!;
    const outside = after.verdicts.find((v) => v.source === 'outside')!;
    assert.equal(outside.reach, 'blocked');
    assert.match(outside.trace.verdict.text, /DOCKER-USER/);
    assert.equal(after.disagreement, undefined);
    assert.equal(after.verdicts.find((v) => v.source === 'host')!.reach, 'reachable', 'the host still reaches it through docker-proxy');
  });
});

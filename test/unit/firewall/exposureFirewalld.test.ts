// Exposure on real rules: firewalld 1.3.3 (nftables backend, default zone public) running in the network namespace
// of Engine 28.5.2 and of Engine 20.10.24, dockerd connected to it (its bridges in firewalld's "docker" zone), captured
// by test/fixtures/firewall/capture.sh firewalld with the real connections of that moment (e<version>-firewalld-1-truth.txt).
// The `nft list ruleset` text holds firewalld's `inet firewalld` table next to Docker's iptables-nft tables; the
// `nft -j` listing of the same moment hides iptables-nft's options (the DNAT destinations), so there the product must
// answer "unknown", never a verdict the real connection contradicts.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { exposure, hostFirewallOf, parseFirewall, type EngineFacts } from '../../../src/core/firewall';
import { LAN, LAN6, readFirewallFixture, truth } from './realConnections';

const read = readFirewallFixture;

for (const engine of ['28.5', '20.10']) {
  const version = engine === '28.5' ? 'Engine 28.5.2' : 'Engine 20.10.24';
  const real = truth(`e${engine}-firewalld-1-truth.txt`);
  const want = (label: string, port: number) => {
    const row = real.find((r) => r.label.startsWith(label) && r.port === port);
    assert.ok(row, `truth row ${label} :${port}`);
    return row.reach;
  };
  const facts: EngineFacts = JSON.parse(read(`e${engine}-firewalld-1.engine.json`));

  describe(`exposure with firewalld in front of ${version} (e${engine}-firewalld-1, nft list ruleset)`, () => {
    const ruleset = parseFirewall(read(`e${engine}-firewalld-1.nft-ruleset.txt`));
    const all = exposure(ruleset, { facts, hostAddress: LAN, hostAddress6: LAN6 });
    const of = (port: number, family: 'ipv4' | 'ipv6' = 'ipv4') => {
      const e = all.find((x) => x.binding.hostPort === port && (x.binding.hostIp?.includes(':') ? 'ipv6' : 'ipv4') === family);
      assert.ok(e, `binding on ${port} (${family})`);
      return e;
    };

    it('finds firewalld as the host firewall, in its own nftables table', () => {
      assert.deepEqual(hostFirewallOf(ruleset), { kind: 'firewalld', name: 'firewalld' });
      assert.ok(ruleset.tables.some((t) => t.name === 'firewalld' && t.owner === 'firewalld'));
    });

    for (const port of [5432, 6379]) {
      it(`:${port} from outside and from the host: as the real connections went, with no rule left unread`, () => {
        const e = of(port);
        const outside = e.verdicts.find((v) => v.source === 'outside')!;
        assert.equal(outside.reach, want('outside', port), 'outside');
        assert.equal(e.verdicts.find((v) => v.source === 'host')!.reach, want('localhost', port), 'host');
        assert.equal(outside.trace.undetermined, undefined, outside.trace.assumptions.join('; '));
      });
    }

    it(':5432 on :: from outside over IPv6: blocked, as the real connection went (firewalld\'s INPUT rejects)', () => {
      const e = of(5432, 'ipv6');
      assert.equal(e.verdicts.find((v) => v.source === 'outside')!.reach, want('outside-v6', 5432));
    });

    it(':5432 from a container on the same network and on another one: as the real connections went', () => {
      const e = of(5432);
      assert.equal(e.verdicts.find((v) => v.source === 'same-network')!.reach, want('same-network-container (dnd-fw-app) to gateway', 5432));
      assert.equal(e.verdicts.find((v) => v.source === 'other-network')!.reach, want('other-network-container (dnd-fw-other) to its gateway', 5432));
    });

    it('firewalld on its own rejects both ports, and the bypass warning is exactly on 0.0.0.0:5432', () => {
      for (const port of [5432, 6379]) {
        const alone = of(port).firewallAlone;
        assert.equal(alone?.reach, 'blocked', `${port}: ${alone?.trace.verdict.text}`);
        assert.match(alone!.trace.verdict.text, /firewalld filter_IN_public/);
      }
      assert.deepEqual(all.filter((e) => e.disagreement).map((e) => `${e.binding.hostIp}:${e.binding.hostPort}`), ['0.0.0.0:5432']);
      assert.match(of(5432).disagreement!, /^firewalld denies 5432\/tcp, but Docker publishes it on 0\.0\.0\.0/);
    });
  });

  describe(`${version}: exposure from the nft -j listing of the same moment (e${engine}-firewalld-1.nft.json)`, () => {
    const ruleset = parseFirewall(read(`e${engine}-firewalld-1.nft.json`));
    const all = exposure(ruleset, { facts, hostAddress: LAN, hostAddress6: LAN6 });

    it('says what the listing hides: iptables-nft\'s matches and DNAT target by name only', () => {
      assert.ok(ruleset.diagnostics.some((d) => /by name only/.test(d.message) && /target DNAT/.test(d.message)), JSON.stringify(ruleset.diagnostics));
    });

    it('gives no verdict a real connection contradicts: each is the real answer or unknown, and outside :5432 is unknown', () => {
      for (const e of all.filter((x) => !x.binding.hostIp?.includes(':'))) {
        const outside = e.verdicts.find((v) => v.source === 'outside')!;
        const truthReach = want('outside', e.binding.hostPort);
        assert.ok(outside.reach === truthReach || outside.reach === 'unknown', `${e.binding.hostPort}: ${outside.reach}, real ${truthReach}`);
      }
      const e5432 = all.find((x) => x.binding.hostPort === 5432 && !x.binding.hostIp?.includes(':'))!;
      const outside = e5432.verdicts.find((v) => v.source === 'outside')!;
      assert.equal(outside.reach, 'unknown');
      assert.ok(outside.trace.assumptions.some((a) => /xt match addrtype/.test(a)), outside.trace.assumptions.join('; '));
      assert.equal(e5432.disagreement, undefined, 'no warning built on an unknown');
    });
  });

  describe(`${version}: exposure from iptables-save of the same moment (e${engine}-firewalld-1.iptables-save-c.txt)`, () => {
    it('does not claim "no host firewall": iptables-save of the nf_tables backend cannot show firewalld\'s nft table', () => {
      const ruleset = parseFirewall(read(`e${engine}-firewalld-1.iptables-save-c.txt`));
      const firewall = hostFirewallOf(ruleset);
      assert.equal(firewall.kind, 'none');
      assert.match(firewall.name, /^none in this dump .*nft list ruleset/);
    });
  });
}

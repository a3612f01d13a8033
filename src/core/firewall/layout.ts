// Which Docker firewall layout (era) and backend a ruleset shows, and whether the userland proxy is on.
// Eras, by the chains Docker makes:
//   pre-17.06: a single DOCKER-ISOLATION chain
//   up to 27:  DOCKER, DOCKER-USER, DOCKER-ISOLATION-STAGE-1/2, per-bridge rules in FORWARD
//   28.0.0:    DOCKER-FORWARD with the ipset `docker-ext-bridges-v4` (isolation chains still there)
//   28.0.1+:   DOCKER-FORWARD, DOCKER-CT, DOCKER-BRIDGE, DOCKER-INTERNAL (also Docker 29 with iptables)
//   29 nftables: nft tables `ip docker-bridges` / `ip6 docker-bridges`
import type { FirewallChain, FirewallRule, FirewallRuleset, FirewallTable, IptablesBackend } from './model';
import { perRuleset } from './perRuleset';

export type DockerEra = 'none' | 'docker' | 'pre-17.06' | 'up-to-27' | '28.0.0' | '28.0.1+' | '28+' | '29-nftables';

export interface DockerLayout {
  era: DockerEra;
  /**
   * The layout in words, naming what this ruleset shows, e.g. `Docker 28.0.1 or later with iptables: DOCKER-FORWARD,
   * DOCKER-CT, DOCKER-BRIDGE; FORWARD policy DROP` (the firewall view's header, the CLI).
   */
  description: string;
  /** The filter FORWARD chain's policy per family (iptables), when the dump has it: Docker sets DROP. */
  forwardPolicy?: { ipv4?: string; ipv6?: string };
  /** The chain or table names the era was read from. */
  evidence: string[];
  backend: IptablesBackend;
  /** Docker 28+ raw PREROUTING drops of direct access to container addresses. */
  rawDirectAccessDrops: number;
  /** Both Docker's iptables chains and its nftables tables are present (a daemon switched backends). */
  mixed: boolean;
}

const eraText: Record<DockerEra, string> = {
  'none': 'no Docker rules',
  'docker': 'Docker (this dump alone does not tell the version: the filter table does)',
  '28+': 'Docker 28 or later (raw-table direct-access drops; the filter table tells which)',
  'pre-17.06': 'Docker before 17.06 (DOCKER-ISOLATION)',
  'up-to-27': 'Docker up to 27 (DOCKER-ISOLATION-STAGE-1/2, per-bridge rules in FORWARD)',
  '28.0.0': 'Docker 28.0.0 (DOCKER-FORWARD with the docker-ext-bridges ipset)',
  '28.0.1+': 'Docker 28.0.1 or later with iptables',
  '29-nftables': 'Docker 29 or later with the nftables backend (docker-bridges tables)',
};

function allChains(ruleset: FirewallRuleset): Array<{ table: FirewallTable; chain: FirewallChain }> {
  return ruleset.tables.flatMap((table) => table.chains.map((chain) => ({ table, chain })));
}

export function detectDockerLayout(ruleset: FirewallRuleset): DockerLayout {
  const iptablesChains = new Set<string>();
  for (const { table, chain } of allChains(ruleset)) if (table.source === 'iptables' || table.name !== 'docker-bridges') iptablesChains.add(chain.name);
  const nftDocker = ruleset.tables.filter((t) => t.source === 'nft' && t.name === 'docker-bridges');
  const has = (n: string) => iptablesChains.has(n);
  const setMatch = allChains(ruleset).some(({ chain }) => chain.rules.some((r) => r.matches.sets?.some((s) => /^docker-ext-bridges/.test(s.name))));
  const evidence: string[] = [];
  let iptablesEra: DockerEra = 'none';
  if (has('DOCKER-FORWARD') && (has('DOCKER-CT') || has('DOCKER-BRIDGE') || has('DOCKER-INTERNAL'))) {
    iptablesEra = '28.0.1+';
    evidence.push(...['DOCKER-FORWARD', 'DOCKER-CT', 'DOCKER-BRIDGE', 'DOCKER-INTERNAL'].filter(has));
  } else if (has('DOCKER-FORWARD')) {
    iptablesEra = '28.0.0';
    evidence.push('DOCKER-FORWARD');
    if (setMatch) evidence.push('ipset docker-ext-bridges-v4');
  } else if (has('DOCKER-ISOLATION-STAGE-1') || has('DOCKER-ISOLATION-STAGE-2')) {
    iptablesEra = 'up-to-27';
    evidence.push(...['DOCKER-ISOLATION-STAGE-1', 'DOCKER-ISOLATION-STAGE-2'].filter(has));
  } else if (has('DOCKER-ISOLATION')) {
    iptablesEra = 'pre-17.06';
    evidence.push('DOCKER-ISOLATION');
  } else if (has('DOCKER') || has('DOCKER-USER')) {
    // a single table's dump (nat) does not tell the era apart; the filter table does
    iptablesEra = 'docker';
    evidence.push(...['DOCKER', 'DOCKER-USER'].filter(has));
  }
  const rawDirectAccessDrops = ruleset.tables
    .filter((t) => t.name === 'raw' || t.name === 'docker-bridges')
    .flatMap((t) => t.chains.filter((c) => c.name === 'PREROUTING' || c.name === 'raw-PREROUTING'))
    .flatMap((c) => c.rules)
    .filter((r) => r.action.kind === 'drop' && r.owner === 'docker' && !!r.matches.destination).length;
  if (rawDirectAccessDrops && (iptablesEra === 'none' || iptablesEra === 'docker')) {
    iptablesEra = '28+';
    evidence.push('raw PREROUTING direct-access DROP');
  }
  let era: DockerEra = iptablesEra;
  if (nftDocker.length) {
    era = '29-nftables';
    evidence.unshift(...nftDocker.map((t) => `nft table ${t.family === 'ipv6' ? 'ip6' : 'ip'} docker-bridges`));
  }
  const forwardPolicy = filterForwardPolicy(ruleset);
  const policyText = forwardPolicyText(forwardPolicy);
  if (policyText && iptablesEra !== 'none') evidence.push(policyText);
  // 28.0.1+: the chains this ruleset has (DOCKER-INTERNAL only appears with an internal network)
  const chains = iptablesEra === '28.0.1+' ? `: ${evidence.filter((e) => /^DOCKER-/.test(e)).join(', ')}` : '';
  return {
    era,
    description: `${eraText[era]}${chains}${policyText && iptablesEra !== 'none' ? `${chains ? ';' : ','} ${policyText}` : ''}`,
    ...(forwardPolicy ? { forwardPolicy } : {}),
    evidence,
    backend: detectBackend(ruleset),
    rawDirectAccessDrops,
    mixed: nftDocker.length > 0 && iptablesEra !== 'none',
  };
}

/** The policy of iptables' filter FORWARD chain, per family, when the ruleset has it (also as iptables-nft's table). */
function filterForwardPolicy(ruleset: FirewallRuleset): DockerLayout['forwardPolicy'] {
  const out: NonNullable<DockerLayout['forwardPolicy']> = {};
  for (const t of ruleset.tables) {
    if (t.name !== 'filter' || (t.family !== 'ipv4' && t.family !== 'ipv6')) continue;
    const policy = t.chains.find((c) => c.name === 'FORWARD' && (t.source === 'iptables' || c.hook?.hook === 'forward'))?.policy;
    if (policy) out[t.family] = policy;
  }
  return out.ipv4 || out.ipv6 ? out : undefined;
}

/** `FORWARD policy DROP`, or per family when they differ (`FORWARD policy DROP (IPv4), ACCEPT (IPv6)`). */
function forwardPolicyText(p: DockerLayout['forwardPolicy']): string | undefined {
  if (!p) return undefined;
  if (p.ipv4 && p.ipv6 && p.ipv4 !== p.ipv6) return `FORWARD policy ${p.ipv4} (IPv4), ${p.ipv6} (IPv6)`;
  return `FORWARD policy ${p.ipv4 ?? p.ipv6}`;
}

export function detectBackend(ruleset: FirewallRuleset): IptablesBackend {
  if (ruleset.tables.some((t) => t.source === 'nft' && t.name === 'docker-bridges')) return 'nftables';
  if (ruleset.backendHints.length) return ruleset.backendHints[0]!;
  // nft listing of tables iptables-nft made (ip filter/nat with DOCKER chains)
  if (ruleset.tables.some((t) => t.source === 'nft' && /^(filter|nat|raw|mangle)$/.test(t.name)
    && t.chains.some((c) => /^DOCKER/.test(c.name)))) return 'iptables-nft';
  return 'unknown';
}

export type ProxyState = 'on' | 'off' | 'unknown';

export interface UserlandProxyInference {
  state: ProxyState;
  /** Why: the rules it was read from, by id, with a sentence each. */
  evidence: Array<{ ruleId?: string; text: string }>;
}

const loopbackNet = (r: FirewallRule) => r.matches.destination?.negated === true && /^127\.0\.0\.0\/8$/.test(r.matches.destination.value);

/**
 * Reads `userland-proxy` from Docker's nat rules (checked on Engine 20.10.24, both settings, see
 * test/fixtures/firewall/README.md): with the proxy on, nat OUTPUT jumps to DOCKER only for `! -d 127.0.0.0/8`, so
 * connections to 127.0.0.1 reach docker-proxy; with it off the jump has no such condition, DNAT rules lose their
 * `! -i <bridge>`, and POSTROUTING gets `-o <bridge> -m addrtype --src-type LOCAL -j MASQUERADE` (hairpin from
 * loopback). Docker 29 nftables: `nat-OUTPUT` has `ip daddr != 127.0.0.0/8` only with the proxy on.
 */
/** Whether the rules show the userland proxy on or off, found once per parsed ruleset (a trace asks every time; nat
 *  POSTROUTING holds a rule per published port). The result is shared: read only. */
export const inferUserlandProxy = perRuleset(findUserlandProxy);

function findUserlandProxy(ruleset: FirewallRuleset): UserlandProxyInference {
  const evidence: UserlandProxyInference['evidence'] = [];
  let on = 0;
  let off = 0;
  for (const t of ruleset.tables) {
    if (t.family === 'ipv6') continue;
    for (const c of t.chains) {
      const isNatOutput = (t.source === 'iptables' && t.name === 'nat' && c.name === 'OUTPUT') || (c.hook?.type === 'nat' && c.hook.hook === 'output');
      if (isNatOutput) {
        for (const r of c.rules) {
          if (r.owner !== 'docker' || (r.action.kind !== 'jump' && r.action.kind !== 'goto')) continue;
          if (loopbackNet(r)) {
            on++;
            evidence.push({ ruleId: r.id, text: 'nat OUTPUT skips 127.0.0.0/8: connections to localhost are left to docker-proxy' });
          } else {
            off++;
            evidence.push({ ruleId: r.id, text: 'nat OUTPUT sends localhost connections to Docker\'s DNAT rules too (no 127.0.0.0/8 exception)' });
          }
        }
      }
      const isNatPostrouting = (t.name === 'nat' && c.name === 'POSTROUTING') || c.hook?.hook === 'postrouting' || /^nat-postrouting-/.test(c.name);
      if (isNatPostrouting) {
        for (const r of c.rules) {
          if (r.action.kind === 'masquerade' && r.matches.srcType?.value === 'LOCAL' && !r.matches.srcType.negated && r.matches.outInterface
            && !r.matches.outInterface.negated) {
            off++;
            evidence.push({ ruleId: r.id, text: `hairpin MASQUERADE from local addresses onto ${r.matches.outInterface.value} (userland-proxy=false)` });
          }
        }
      }
    }
  }
  const state: ProxyState = on && !off ? 'on' : off && !on ? 'off' : 'unknown';
  if (on && off) evidence.push({ text: 'rules point both ways' });
  return { state, evidence };
}

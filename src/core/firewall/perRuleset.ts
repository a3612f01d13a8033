// What every trace or exposure asks of a ruleset and does not change with the packet (the bridges, Docker's DNAT
// rules, the host firewall, the rules without Docker's), derived once per parsed ruleset: a ruleset is not changed
// after parsing, and the result lives as long as the ruleset does.
import type { FirewallRuleset } from './model';

export function perRuleset<T>(derive: (ruleset: FirewallRuleset) => T): (ruleset: FirewallRuleset) => T {
  const cache = new WeakMap<FirewallRuleset, T>();
  return (ruleset) => {
    let value = cache.get(ruleset);
    if (value === undefined) cache.set(ruleset, value = derive(ruleset));
    return value;
  };
}

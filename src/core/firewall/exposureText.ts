// Exposure in words, for the Published ports view (description, tooltip) and anything else that shows a binding's
// exposure in one line and a few. Pure: the views only place the strings.
import type { BindingExposure, Reach } from './exposure';

export interface ExposureText {
  /** For a tree item's description: `outside: reachable · ufw bypassed`. */
  short: string;
  /** For a tooltip: a line per source and family, the firewall's own answer, the warning and its fixes. */
  lines: string[];
  /** Docker lets in from outside what the host firewall alone would drop. */
  bypass: boolean;
}

const word: Record<Reach, string> = { reachable: 'reachable', blocked: 'blocked', refused: 'refused (nothing listens)' };

/** `exposures`: one per host IP of a binding (`0.0.0.0` and `::`). */
export function exposureText(exposures: BindingExposure[]): ExposureText {
  const outside = exposures.flatMap((e) => e.verdicts.filter((v) => v.source === 'outside'));
  const open = outside.some((v) => v.reach === 'reachable');
  const bypass = exposures.some((e) => e.disagreement);
  const firewall = exposures[0]?.firewall;
  const short = `outside: ${open ? 'reachable' : 'blocked'}${bypass && firewall ? ` · ${firewall.name} bypassed` : ''}`;
  const lines: string[] = [];
  for (const e of exposures) {
    const family = e.binding.hostIp?.includes(':') ? 'IPv6' : 'IPv4';
    lines.push(`${family} (${e.binding.hostIp ?? 'every address'}):`);
    for (const v of e.verdicts) lines.push(`  from ${v.from} → ${v.to}: ${word[v.reach]}: ${v.trace.verdict.text}`);
    if (e.firewallAlone) lines.push(`  ${e.firewall.name} on its own: ${word[e.firewallAlone.reach]}: ${e.firewallAlone.trace.verdict.text}`);
  }
  const warning = exposures.find((e) => e.disagreement)?.disagreement;
  if (warning) {
    lines.push('', `⚠ ${warning}`,
      'Fix: publish it on 127.0.0.1 (or one interface) in the compose file, remove the publish, or add a DOCKER-USER rule '
      + '(or ufw-docker style `ufw route` rules) that drops outside traffic to it.');
  }
  const assumed = [...new Set(exposures.flatMap((e) => e.verdicts.flatMap((v) => v.trace.assumptions)))];
  if (assumed.length) lines.push('', ...assumed.map((a) => `assumed: ${a}`));
  return { short, lines, bypass };
}

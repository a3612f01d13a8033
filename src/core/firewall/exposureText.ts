// Exposure in words, for the Published ports view (description, tooltip) and anything else that shows a binding's
// exposure in one line and a few. Pure: the views only place the strings.
import type { BindingExposure, Reach } from './exposure';
import { exposureFixes } from './exposureFixes';

export interface ExposureText {
  /** For a tree item's description: `outside: reachable · ufw bypassed`. */
  short: string;
  /** For a tooltip: a line per source and family, the firewall's own answer, the warning and its fixes. */
  lines: string[];
  /** Docker lets in from outside what the host firewall alone would drop. */
  bypass: boolean;
}

const word: Record<Reach, string> = {
  reachable: 'reachable', blocked: 'blocked', refused: 'refused (nothing listens)', unknown: 'unknown (a rule that decides could not be read; see assumed)',
};

/** `exposures`: one per host IP of a binding (`0.0.0.0` and `::`). */
export function exposureText(exposures: BindingExposure[]): ExposureText {
  // from outside, per family when the families differ: `outside: IPv4 reachable · IPv6 blocked`
  // a family is reachable when any of its bindings is, else unknown when any is undetermined, else blocked
  const byFamily = new Map<string, 'reachable' | 'unknown' | 'blocked'>();
  for (const e of exposures) {
    const family = e.binding.hostIp?.includes(':') ? 'IPv6' : 'IPv4';
    const reaches = e.verdicts.filter((v) => v.source === 'outside').map((v) => v.reach);
    const own = reaches.includes('reachable') ? 'reachable' : reaches.includes('unknown') ? 'unknown' : 'blocked';
    const before = byFamily.get(family);
    byFamily.set(family, before === 'reachable' || own === 'reachable' ? 'reachable' : before === 'unknown' || own === 'unknown' ? 'unknown' : 'blocked');
  }
  const answers = [...byFamily.values()];
  const outside = answers.every((a) => a === answers[0])
    ? (answers[0] ?? 'blocked')
    : [...byFamily].map(([family, answer]) => `${family} ${answer}`).join(' · ');
  const bypass = exposures.some((e) => e.disagreement);
  const firewall = exposures[0]?.firewall;
  const short = `outside: ${outside}${bypass && firewall ? ` · ${firewall.name} bypassed` : ''}`;
  const lines: string[] = [];
  for (const e of exposures) {
    const family = e.binding.hostIp?.includes(':') ? 'IPv6' : 'IPv4';
    lines.push(`${family} (${e.binding.hostIp ?? 'every address'}):`);
    for (const v of e.verdicts) lines.push(`  from ${v.from} → ${v.to}: ${word[v.reach]}: ${v.trace.verdict.text}`);
    if (e.firewallAlone) lines.push(`  ${e.firewall.name} on its own: ${word[e.firewallAlone.reach]}: ${e.firewallAlone.trace.verdict.text}`);
  }
  const bypassed = exposures.find((e) => e.disagreement);
  if (bypassed) {
    lines.push('', `⚠ ${bypassed.disagreement}`,
      'Fix: publish it on 127.0.0.1 (or one interface) in the compose file, remove the publish, or drop outside '
      + 'connections to it in DOCKER-USER (Close This Port to Outside… copies it):');
    for (const e of exposures.filter((x) => x.disagreement)) lines.push(`  ${exposureFixes(e)[0]!.argv.join(' ')}`);
  }
  const assumed = [...new Set(exposures.flatMap((e) => e.verdicts.flatMap((v) => v.trace.assumptions)))];
  if (assumed.length) lines.push('', ...assumed.map((a) => `assumed: ${a}`));
  return { short, lines, bypass };
}

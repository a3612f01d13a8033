// One iptables rule's options (`-s 10.0.0.0/8 ! -o docker0 -p tcp -m tcp --dport 80 -j DNAT --to-destination …`)
// into matches and an action. Shared by the iptables-save and iptables -S parsers.
import { parseAddressPort } from './addressPort';
import type { ActionKind, Counters, RuleAction, RuleMatches } from './model';
import { normalizeProtocol } from './text';
import type { PortInterval } from '../net/portInterval';

const targetKinds: Record<string, ActionKind> = {
  ACCEPT: 'accept', DROP: 'drop', REJECT: 'reject', RETURN: 'return', DNAT: 'dnat', SNAT: 'snat',
  MASQUERADE: 'masquerade', REDIRECT: 'redirect', LOG: 'log', NFLOG: 'log', ULOG: 'log', MARK: 'mark',
  CONNMARK: 'mark',
};
/** Extension targets that are not chains; anything else after -j is taken to be a chain. */
const otherTargets = new Set(['CT', 'NOTRACK', 'TCPMSS', 'CHECKSUM', 'TPROXY', 'NFQUEUE', 'QUEUE', 'AUDIT', 'TRACE',
  'SET', 'CLASSIFY', 'DSCP', 'TOS', 'TTL', 'HL', 'HMARK', 'CONNSECMARK', 'SECMARK', 'CLUSTERIP', 'NETMAP', 'IDLETIMER',
  'LED', 'SYNPROXY', 'TEE', 'ECN', 'RATEEST', 'NFLOG', 'ULOG']);

/** Modules whose options this model reads into fields; options of other modules are kept verbatim. */
export const knownModules = new Set(['tcp', 'udp', 'sctp', 'udplite', 'conntrack', 'state', 'addrtype', 'comment', 'set', 'multiport']);

export function actionForTarget(target: string, isChain?: (name: string) => boolean): ActionKind {
  const kind = targetKinds[target];
  if (kind) return kind;
  if (otherTargets.has(target)) return 'other';
  if (isChain && !isChain(target)) return 'other';
  return 'jump';
}

/** `80`, `40001:40010`, `!80` parts → one interval. */
export function parsePortRange(text: string): PortInterval | undefined {
  const m = /^(\d+)(?:[:-](\d+))?$/.exec(text);
  if (!m) return undefined;
  return { start: Number(m[1]), end: Number(m[2] ?? m[1]) };
}

/** `80,443,8000:8010` → intervals. */
export function parsePortList(text: string): PortInterval[] | undefined {
  const out: PortInterval[] = [];
  for (const part of text.split(',')) {
    const r = parsePortRange(part.trim());
    if (!r) return undefined;
    out.push(r);
  }
  return out;
}

/** Fills `toAddress`/`toPorts` from the target options DNAT/SNAT/REDIRECT/MASQUERADE carry. */
export function deriveNatTarget(action: RuleAction): void {
  const o = action.options;
  if (!o) return;
  const to = o['to-destination'] ?? o['to-source'] ?? o['to'];
  if (to !== undefined) {
    const ap = parseAddressPort(to);
    if (ap.address) action.toAddress = ap.address;
    if (ap.ports) action.toPorts = ap.ports;
  }
  const ports = o['to-ports'];
  if (ports !== undefined) {
    const r = parsePortRange(ports);
    if (r) action.toPorts = r;
  }
}

export interface ParsedOptions {
  matches: RuleMatches;
  action: RuleAction;
  counters?: Counters;
  /** Problems worth a diagnostic (an option missing its value). */
  problems: string[];
}

/** Parses iptables rule options from `tokens[start]` on. */
export function parseRuleOptions(tokens: string[], start: number): ParsedOptions {
  const matches: RuleMatches = {};
  const action: RuleAction = { kind: 'none' };
  const problems: string[] = [];
  let counters: Counters | undefined;
  let negate = false;
  let unknownModule: string | undefined;
  const n = tokens.length;
  const value = (i: number, opt: string): string | undefined => {
    const v = tokens[i];
    if (v === undefined) problems.push(`${opt} has no value`);
    return v;
  };
  const pushUnknown = (text: string) => (matches.unknown ??= []).push(text);
  let i = start;
  while (i < n) {
    const t = tokens[i]!;
    if (t === '!') { negate = true; i++; continue; }
    const neg = negate;
    negate = false;
    switch (t) {
      case '-p': case '--protocol': {
        const v = value(i + 1, t);
        if (v !== undefined) matches.protocol = { value: normalizeProtocol(v), negated: neg };
        i += 2; continue;
      }
      case '-s': case '--source': case '--src': {
        const v = value(i + 1, t);
        if (v !== undefined) matches.source = { value: v, negated: neg };
        i += 2; continue;
      }
      case '-d': case '--destination': case '--dst': {
        const v = value(i + 1, t);
        if (v !== undefined) matches.destination = { value: v, negated: neg };
        i += 2; continue;
      }
      case '-i': case '--in-interface': {
        const v = value(i + 1, t);
        if (v !== undefined) matches.inInterface = { value: v, negated: neg };
        i += 2; continue;
      }
      case '-o': case '--out-interface': {
        const v = value(i + 1, t);
        if (v !== undefined) matches.outInterface = { value: v, negated: neg };
        i += 2; continue;
      }
      case '-m': case '--match': {
        if (unknownModule) pushUnknown(`-m ${unknownModule}`);
        const v = value(i + 1, t);
        if (v !== undefined) {
          (matches.modules ??= []).push(v);
          unknownModule = knownModules.has(v) ? undefined : v;
        }
        i += 2; continue;
      }
      case '--dport': case '--destination-port': case '--sport': case '--source-port':
      case '--dports': case '--destination-ports': case '--sports': case '--source-ports': case '--ports': {
        const v = value(i + 1, t);
        const ranges = v === undefined ? undefined : parsePortList(v);
        if (ranges && unknownModule === undefined) {
          if (t.startsWith('--d')) matches.dport = { value: ranges, negated: neg };
          else if (t === '--ports') matches.dport = { value: ranges, negated: neg };
          else matches.sport = { value: ranges, negated: neg };
        } else if (v !== undefined) pushUnknown(`${neg ? '! ' : ''}${t} ${v}`);
        i += 2; continue;
      }
      case '--ctstate': case '--state': {
        const v = value(i + 1, t);
        if (v !== undefined) matches.ctstate = { value: v.toUpperCase().split(','), negated: neg };
        i += 2; continue;
      }
      case '--ctorigdst': {
        const v = value(i + 1, t);
        if (v !== undefined) matches.ctOrigDst = { value: v, negated: neg };
        i += 2; continue;
      }
      case '--ctorigdstport': {
        const v = value(i + 1, t);
        const ranges = v === undefined ? undefined : parsePortList(v);
        if (ranges) matches.ctOrigDport = { value: ranges, negated: neg };
        else if (v !== undefined) pushUnknown(`${neg ? '! ' : ''}${t} ${v}`);
        i += 2; continue;
      }
      case '--ctdir': {
        const v = value(i + 1, t);
        if (v !== undefined) matches.ctDir = v.toUpperCase();
        i += 2; continue;
      }
      case '--dst-type': case '--src-type': {
        const v = value(i + 1, t);
        if (v !== undefined) {
          const m = { value: v.toUpperCase(), negated: neg };
          if (t === '--dst-type') matches.dstType = m; else matches.srcType = m;
        }
        i += 2; continue;
      }
      case '--comment': {
        const v = value(i + 1, t);
        if (v !== undefined) matches.comment = v;
        i += 2; continue;
      }
      case '--match-set': {
        const name = value(i + 1, t);
        const flags = tokens[i + 2];
        if (name !== undefined) (matches.sets ??= []).push({ name, flags: flags ? flags.split(',') : [], negated: neg });
        i += 3; continue;
      }
      case '-c': case '--set-counters': {
        counters = { packets: Number(tokens[i + 1] ?? 0), bytes: Number(tokens[i + 2] ?? 0) };
        i += 3; continue;
      }
      case '-j': case '--jump': case '-g': case '--goto': {
        if (unknownModule) { pushUnknown(`-m ${unknownModule}`); unknownModule = undefined; }
        const target = value(i + 1, t);
        i += 2;
        if (target === undefined) continue;
        action.target = target;
        action.kind = t === '-g' || t === '--goto' ? 'goto' : actionForTarget(target);
        if (action.kind === 'jump' || action.kind === 'goto') action.chain = target;
        // target options: everything after the target
        while (i < n) {
          const o = tokens[i]!;
          if (o.startsWith('--')) {
            const next = tokens[i + 1];
            const hasValue = next !== undefined && !next.startsWith('--');
            (action.options ??= {})[o.slice(2)] = hasValue ? next : '';
            i += hasValue ? 2 : 1;
          } else {
            pushUnknown(o);
            i++;
          }
        }
        deriveNatTarget(action);
        continue;
      }
      default: {
        // an option this model has no field for: keep it with its values, verbatim
        let text = `${neg ? '! ' : ''}${t}`;
        i++;
        while (i < n && tokens[i] !== '!' && !tokens[i]!.startsWith('-')) text += ` ${tokens[i++]}`;
        // `--mark ! 0x1` style negation after the option
        if (unknownModule) { text = `-m ${unknownModule} ${text}`; unknownModule = undefined; }
        pushUnknown(text);
      }
    }
  }
  if (unknownModule) pushUnknown(`-m ${unknownModule}`);
  const out: ParsedOptions = { matches, action, problems };
  if (counters) out.counters = counters;
  return out;
}

// Match values most rules of a Docker host share (`-p tcp`, `! -i docker0`, `--dport 80`, `-m tcp`, `-j ACCEPT`,
// `[0:0]`): one frozen object each
// instead of one per rule. A 100,000-rule model is mostly these, and every object made per rule is copied (twice) by
// the young-generation GC, the largest cost of reading every rule. Frozen: the model is read-only once parsed, and a
// write to a shared value would change every rule that has it.
import type { ActionKind, Counters, Negatable, RuleAction } from './model';
import type { PortInterval } from '../net/portInterval';

const strings = new Map<string, Negatable<string>[]>();

/** `{value, negated}` for one of a few constant words (protocols, Docker's bridge, address types), shared. */
export function sharedWordMatch(value: string, negated: boolean): Negatable<string> {
  let pair = strings.get(value);
  if (!pair) strings.set(value, (pair = [Object.freeze({ value, negated: false }), Object.freeze({ value, negated: true })]));
  return pair[negated ? 1 : 0]!;
}

/** How many single ports get a shared match: enough for the container ports of a host, bounded for odd dumps. */
const maxSharedPorts = 4096;
const ports = new Map<number, Negatable<PortInterval[]>>();

/** `{value: [{start: port, end: port}], negated: false}`, shared while fewer than maxSharedPorts ports are. */
export function sharedPortMatch(port: number): Negatable<PortInterval[]> {
  let match = ports.get(port);
  if (match) return match;
  match = { value: [{ start: port, end: port }], negated: false };
  if (ports.size >= maxSharedPorts) return match;
  Object.freeze(match.value[0]);
  Object.freeze(match.value);
  ports.set(port, Object.freeze(match));
  return match;
}

/** `[0:0]`, what most rules of a quiet host count. */
export const zeroCounters: Counters = Object.freeze({ packets: 0, bytes: 0 });

const moduleLists = new Map<string, readonly string[]>();

/** `-m NAME` as a rule's first module: one frozen list per known module name (add to it with `[...list, next]`). */
export function sharedModuleList(name: string): string[] {
  let list = moduleLists.get(name);
  if (!list) moduleLists.set(name, (list = Object.freeze([name])));
  return list as string[];
}

/** How many distinct option-less targets get a shared action: chains of a kube-proxy host included, bounded. */
const maxSharedActions = 4096;
const actions = [new Map<string, RuleAction>(), new Map<string, RuleAction>()];

/** `-j TARGET` / `-g CHAIN` with no target options, shared; `kind` is what the target means. */
export function sharedAction(kind: ActionKind, target: string, isGoto: boolean): RuleAction {
  const byTarget = actions[isGoto ? 1 : 0]!;
  let action = byTarget.get(target);
  if (action) return action;
  // same keys in the same order as the scanner makes them
  action = kind === 'jump' || kind === 'goto' ? { kind, target, chain: target } : { kind, target };
  if (byTarget.size < maxSharedActions) byTarget.set(target, Object.freeze(action));
  return action;
}

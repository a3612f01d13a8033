// Match values most rules of a Docker host share (`-p tcp`, `! -i docker0`, `--dport 80`): one frozen object each
// instead of one per rule. A 100,000-rule model is mostly these, and every object made per rule is copied (twice) by
// the young-generation GC, the largest cost of reading every rule. Frozen: the model is read-only once parsed, and a
// write to a shared value would change every rule that has it.
import type { Negatable, PortRange } from './model';

const strings = new Map<string, Negatable<string>[]>();

/** `{value, negated}` for one of a few constant words (protocols, Docker's bridge, address types), shared. */
export function sharedWordMatch(value: string, negated: boolean): Negatable<string> {
  let pair = strings.get(value);
  if (!pair) strings.set(value, (pair = [Object.freeze({ value, negated: false }), Object.freeze({ value, negated: true })]));
  return pair[negated ? 1 : 0]!;
}

/** How many single ports get a shared match: enough for the container ports of a host, bounded for odd dumps. */
const maxSharedPorts = 4096;
const ports = new Map<number, Negatable<PortRange[]>>();

/** `{value: [{from: port, to: port}], negated: false}`, shared while fewer than maxSharedPorts ports are. */
export function sharedPortMatch(port: number): Negatable<PortRange[]> {
  let match = ports.get(port);
  if (match) return match;
  match = { value: [{ from: port, to: port }], negated: false };
  if (ports.size >= maxSharedPorts) return match;
  Object.freeze(match.value[0]);
  Object.freeze(match.value);
  ports.set(port, Object.freeze(match));
  return match;
}

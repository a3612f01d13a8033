// Quick fixes as pure text edits: each touches only the bytes it must, so comments and formatting stay as written.
//   useHostNetworkEdits: `network_mode: host` for a service, its `ports:`, `networks:` and `expose:` removed (those it
//     inherits through `<<` overridden with `[]`; the anchor is never edited)
//   bindToLoopbackEdits: a port entry bound to 127.0.0.1
//   removePortEntryEdits: a port entry removed (the duplicate of another)
//   removeNetworkModeEdits: a service's `network_mode:` line removed (back on the project's networks)
import type { Node, Pair, YAMLMap, YAMLSeq } from 'yaml';
import type { TextEdit } from './rules/rule';
import { parseShortPortSpec } from './portSpec';
import { contentEnd, isMap, isScalar, isSeq, YamlFile } from '../yaml';

export const loopbackIp = '127.0.0.1';

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The offset just after the line holding `offset - 1`, newline included. */
function lineEndAfter(text: string, offset: number): number {
  const nl = text.indexOf('\n', Math.max(0, offset - 1));
  return nl < 0 ? text.length : nl + 1;
}

function ownPair(map: YAMLMap, key: string): Pair<Node, Node | null> | undefined {
  return (map.items as Pair<Node, Node | null>[]).find((p) => isScalar(p.key) && String(p.key.value) === key);
}

/** The service's own map; undefined when it is not a map, or is an alias (editing it would edit the anchor, which
 *  other services may share). */
function serviceMap(yaml: YamlFile, service: string): YAMLMap | undefined {
  const services = yaml.get(yaml.root, 'services')?.value;
  const map = services && isMap(services) ? services : undefined;
  const value = map && ownPair(map, service)?.value;
  return value && isMap(value) ? value : undefined;
}

const hostNetworkRemovedKeys = ['ports', 'networks', 'expose'] as const;

/**
 * The keys among ports:, networks: and expose: that `service` gets only from a `<<` merge, with something in them:
 * the host-network fix overrides these with `key: []` in the service itself (a key of the map wins over a merged
 * one), so the shared anchor stays as it is for the other services.
 */
export function inheritedNetworkKeys(yaml: YamlFile, service: string): string[] {
  const map = serviceMap(yaml, service);
  if (!map) return [];
  return hostNetworkRemovedKeys.filter((key) => {
    const entry = yaml.get(map, key);
    if (!entry?.merged || !entry.value) return false;
    return !((isMap(entry.value) || isSeq(entry.value)) && !entry.value.items.length);
  });
}

/**
 * "Use host network for SERVICE": sets `network_mode: host` (replacing an existing value, or in place of the first
 * removed key), deletes the service's own `ports:`, `networks:` and `expose:` entries (key line to the end of the
 * value's last line), and overrides those it inherits through `<<` with `key: []` (compose refuses `networks` next
 * to a network_mode, and ports would be left to be ignored). Undefined when the service is not a block map of its
 * own in this file.
 */
export function useHostNetworkEditsIn(yaml: YamlFile, service: string): TextEdit[] | undefined {
  const text = yaml.text;
  const map = serviceMap(yaml, service);
  if (!map || map.flow || !map.items.length) return undefined;
  const inherited = inheritedNetworkKeys(yaml, service);
  const edits: TextEdit[] = [];
  const removals: { start: number; end: number; indent: string }[] = [];
  for (const key of hostNetworkRemovedKeys) {
    const pair = ownPair(map, key);
    const keyRange = pair?.key.range;
    if (!pair || !keyRange) continue;
    const start = lineStart(text, keyRange[0]);
    const indent = text.slice(start, keyRange[0]);
    if (!/^[ \t]*$/.test(indent)) return undefined;
    const valueEnd = pair.value?.range && !(isScalar(pair.value) && pair.value.range[0] === pair.value.range[1]) ? contentEnd(pair.value) : keyRange[1];
    removals.push({ start, end: lineEndAfter(text, Math.max(valueEnd, keyRange[1] + 1)), indent });
  }
  removals.sort((a, b) => a.start - b.start);
  const mode = ownPair(map, 'network_mode');
  // what goes in place of the first removed key: the new network_mode line and the overrides
  let firstRemovalText = '';
  const overrides = (indent: string) => inherited.map((key) => `${indent}${key}: []\n`).join('');
  const firstKey = (map.items[0]!.key as Node).range!;
  const firstKeyLine = lineStart(text, firstKey[0]);
  const keyIndent = removals[0]?.indent ?? text.slice(firstKeyLine, firstKey[0]);
  if (!/^[ \t]*$/.test(keyIndent)) return undefined;
  if (mode?.value?.range) {
    const r = mode.value.range;
    if (!(isScalar(mode.value) && mode.value.value === 'host')) edits.push({ file: yaml.fileName, offset: r[0], length: r[1] - r[0], newText: 'host' });
  } else if (mode) {
    const k = mode.key.range!;
    edits.push({ file: yaml.fileName, offset: k[1], length: 0, newText: ' host' });
  } else if (removals.length) {
    firstRemovalText = `${keyIndent}network_mode: host\n`;
  } else {
    edits.push({ file: yaml.fileName, offset: firstKeyLine, length: 0, newText: `${keyIndent}network_mode: host\n${overrides(keyIndent)}` });
  }
  if (mode && inherited.length) {
    // after the network_mode line, unless a removed key's place is free for them
    if (removals.length) firstRemovalText = overrides(keyIndent);
    else {
      const modeEnd = mode.value?.range && !(isScalar(mode.value) && mode.value.range[0] === mode.value.range[1]) ? contentEnd(mode.value) : mode.key.range![1];
      const at = lineEndAfter(text, modeEnd);
      edits.push({ file: yaml.fileName, offset: at, length: 0, newText: (text[at - 1] === '\n' ? '' : '\n') + overrides(keyIndent) });
    }
  } else if (!mode && removals.length) firstRemovalText += overrides(keyIndent);
  removals.forEach((r, i) => {
    edits.push({ file: yaml.fileName, offset: r.start, length: r.end - r.start, newText: i === 0 ? firstRemovalText : '' });
  });
  return edits.sort((a, b) => a.offset - b.offset);
}

export function useHostNetworkEdits(text: string, service: string, fileName = ''): TextEdit[] | undefined {
  return useHostNetworkEditsIn(new YamlFile(fileName, text), service);
}

/** The node a port entry starts at, and the sequence holding it. */
function entryAt(yaml: YamlFile, offset: number): { node: Node; seq: YAMLSeq } | undefined {
  return yaml.sequenceItemAt(offset);
}

/** "Bind to 127.0.0.1" for the port entry starting at `entryOffset` (the offset a PortEntry's range starts at). */
export function bindToLoopbackEditsIn(yaml: YamlFile, entryOffset: number): TextEdit[] | undefined {
  const at = entryAt(yaml, entryOffset);
  if (!at) return undefined;
  const file = yaml.fileName;
  const node = at.node;
  if (isScalar(node)) {
    const s = yaml.scalar(node);
    if (s?.textStart === undefined) return undefined;
    const raw = s.text;
    if (!raw.includes('$')) {
      const body = raw.split('/')[0]!;
      const parts = body.split(':');
      if (parts.length === 1) return [{ file, offset: s.textStart, length: 0, newText: `${loopbackIp}::` }];
      if (parts.length === 2) return [{ file, offset: s.textStart, length: 0, newText: `${loopbackIp}:` }];
      const ipText = parts.slice(0, -2).join(':');
      return [{ file, offset: s.textStart, length: ipText.length, newText: loopbackIp }];
    }
    // interpolated: only when the written text starts with the host IP or with no IP at all
    const parsed = parseShortPortSpec(raw.replace(/\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*/g, '1'));
    if (!parsed.ok) return undefined;
    const ip = parsed.spec.hostIp;
    if (!ip) {
      const n = raw.replace(/\$\{[^}]*\}/g, '1').split('/')[0]!.split(':').length;
      return [{ file, offset: s.textStart, length: 0, newText: n === 1 ? `${loopbackIp}::` : `${loopbackIp}:` }];
    }
    const written = raw.startsWith(`[${ip}]`) ? `[${ip}]` : raw.startsWith(ip) ? ip : undefined;
    return written ? [{ file, offset: s.textStart, length: written.length, newText: loopbackIp }] : undefined;
  }
  if (isMap(node)) {
    const hostIp = ownPair(node, 'host_ip');
    if (hostIp?.value?.range) {
      const r = hostIp.value.range;
      return [{ file, offset: r[0], length: r[1] - r[0], newText: loopbackIp }];
    }
    const firstKey = (node.items[0]?.key as Node | undefined)?.range;
    if (!firstKey) return undefined;
    if (node.flow) return [{ file, offset: firstKey[0], length: 0, newText: `host_ip: ${loopbackIp}, ` }];
    const column = firstKey[0] - lineStart(yaml.text, firstKey[0]);
    return [{ file, offset: firstKey[0], length: 0, newText: `host_ip: ${loopbackIp}\n${' '.repeat(column)}` }];
  }
  return undefined;
}

export function bindToLoopbackEdits(text: string, entryOffset: number, fileName = ''): TextEdit[] | undefined {
  return bindToLoopbackEditsIn(new YamlFile(fileName, text), entryOffset);
}

/** "Remove the duplicate port": deletes the entry starting at `entryOffset` (its whole line in a block list). */
export function removePortEntryEditsIn(yaml: YamlFile, entryOffset: number): TextEdit[] | undefined {
  const at = entryAt(yaml, entryOffset);
  if (!at?.node.range) return undefined;
  const text = yaml.text;
  const file = yaml.fileName;
  const start = at.node.range[0];
  const valueEnd = contentEnd(at.node);
  if (!at.seq.flow) {
    const ls = lineStart(text, start);
    if (!/^[ \t]*-[ \t]*$/.test(text.slice(ls, start))) return undefined;
    const end = lineEndAfter(text, Math.max(valueEnd, start + 1));
    return [{ file, offset: ls, length: end - ls, newText: '' }];
  }
  // flow: the item and the comma after it (or before it, for the last item)
  const items = at.seq.items as Node[];
  const i = items.indexOf(at.node);
  const next = items[i + 1]?.range;
  if (next) return [{ file, offset: start, length: next[0] - start, newText: '' }];
  const prev = items[i - 1]?.range;
  if (prev) return [{ file, offset: prev[1], length: valueEnd - prev[1], newText: '' }];
  return [{ file, offset: start, length: valueEnd - start, newText: '' }];
}

export function removePortEntryEdits(text: string, entryOffset: number, fileName = ''): TextEdit[] | undefined {
  return removePortEntryEditsIn(new YamlFile(fileName, text), entryOffset);
}

/**
 * Removes the `network_mode:` entry of a service's own block map (its line, through the value's last line), which
 * puts the service back on the project's networks. Undefined when the entry is not on lines of its own, comes from a
 * merge, or is the service's only key (an empty service would no longer be a map).
 */
export function removeNetworkModeEditsIn(yaml: YamlFile, service: string): TextEdit[] | undefined {
  const text = yaml.text;
  const map = serviceMap(yaml, service);
  if (!map || map.flow || map.items.length < 2) return undefined;
  const pair = ownPair(map, 'network_mode');
  const keyRange = pair?.key.range;
  if (!pair || !keyRange || !pair.value?.range) return undefined;
  const start = lineStart(text, keyRange[0]);
  if (!/^[ \t]*$/.test(text.slice(start, keyRange[0]))) return undefined;
  const end = lineEndAfter(text, Math.max(contentEnd(pair.value), keyRange[1] + 1));
  return [{ file: yaml.fileName, offset: start, length: end - start, newText: '' }];
}

/** Applies non-overlapping edits to a text (for tests, the CLI and previews). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.offset - a.offset)) out = out.slice(0, e.offset) + e.newText + out.slice(e.offset + e.length);
  return out;
}


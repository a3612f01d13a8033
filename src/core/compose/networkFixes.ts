// "Define network X": adds `X: {}` to the top-level `networks:` (a bridge network compose creates as
// `<project>_X`), as a minimal edit: a line after the last network of a block map, with its indentation; an item
// in a flow map; a block under an empty `networks:`; or a new `networks:` section at the end of the file, indented
// as the file indents `services:`.
import type { Node, Pair, YAMLMap } from 'yaml';
import type { TextEdit } from './rules/rule';
import { contentEnd, isMap, isScalar, YamlFile } from '../yaml';

/** A name as a plain YAML key when it is safe as one, else double-quoted. */
function keyText(name: string): string {
  return /^[A-Za-z0-9_][A-Za-z0-9._-]*$/.test(name) && !/^(true|false|null|yes|no|on|off|~)$/i.test(name) ? name : JSON.stringify(name);
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The indentation unit the file uses: the column of the first key under `services:` (2 when there is none). */
function indentUnit(yaml: YamlFile, root: YAMLMap): string {
  const services = (root.items as Pair<Node, Node | null>[]).find((p) => isScalar(p.key) && p.key.value === 'services')?.value;
  const first = services && isMap(services) && !services.flow ? (services.items[0]?.key as Node | undefined)?.range : undefined;
  if (!first) return '  ';
  const indent = yaml.text.slice(lineStart(yaml.text, first[0]), first[0]);
  return /^ +$/.test(indent) ? indent : '  ';
}

export function addNetworkEditsIn(yaml: YamlFile, network: string): TextEdit[] | undefined {
  const root = yaml.root;
  if (!root || !isMap(root) || root.flow) return undefined;
  const text = yaml.text;
  const file = yaml.fileName;
  const key = keyText(network);
  const pair = (root.items as Pair<Node, Node | null>[]).find((p) => isScalar(p.key) && p.key.value === 'networks');
  const unit = indentUnit(yaml, root);
  if (!pair) {
    const end = contentEnd(root);
    const lineEnd = text.indexOf('\n', end);
    const at = lineEnd < 0 ? text.length : lineEnd + 1;
    const before = at > 0 && text[at - 1] !== '\n' ? '\n' : '';
    return [{ file, offset: at, length: 0, newText: `${before}networks:\n${unit}${key}: {}\n` }];
  }
  const value = pair.value;
  const keyRange = (pair.key as Node).range;
  if (!keyRange) return undefined;
  if (!value || (isScalar(value) && (value.value === null || value.value === ''))) {
    // `networks:` with nothing after it: the new entry goes on the next line
    const keyColumn = keyRange[0] - lineStart(text, keyRange[0]);
    const colon = text.indexOf(':', keyRange[1]);
    if (colon < 0) return undefined;
    const from = colon + 1;
    const to = value?.range ? Math.max(from, value.range[1]) : from;
    return [{ file, offset: from, length: to - from, newText: `\n${' '.repeat(keyColumn)}${unit}${key}: {}` }];
  }
  if (!isMap(value)) return undefined;
  if (value.flow) {
    const close = value.range ? value.range[1] - 1 : -1;
    if (close < 0 || text[close] !== '}') return undefined;
    const empty = !value.items.length;
    return [{ file, offset: close, length: 0, newText: empty ? `${key}: {}` : `, ${key}: {}` }];
  }
  const lastKey = (value.items[0]?.key as Node | undefined)?.range;
  if (!lastKey) return undefined;
  const indent = text.slice(lineStart(text, lastKey[0]), lastKey[0]);
  if (!/^[ \t]*$/.test(indent)) return undefined;
  const end = contentEnd(value);
  const lineEnd = text.indexOf('\n', end);
  const at = lineEnd < 0 ? text.length : lineEnd + 1;
  const before = text[at - 1] !== '\n' ? '\n' : '';
  return [{ file, offset: at, length: 0, newText: `${before}${indent}${key}: {}\n` }];
}

export function addNetworkEdits(text: string, network: string, fileName = ''): TextEdit[] | undefined {
  return addNetworkEditsIn(new YamlFile(fileName, text), network);
}

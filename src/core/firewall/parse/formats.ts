// The firewall formats parseFirewall reads, in one table: each format's id (what a ruleset's `formats` names), how
// people call it, the commands that print it and the section reader that takes its lines. Every list of formats in
// messages and help texts is made from this table (the webview's, which cannot import it, is checked by a unit test).
// Plain data with no imports, so the CLI's help and the extension's dialogs pay nothing for it.

/** Which reader in this folder takes a format's lines (see sectionReader.ts). */
export type SectionReaderKind = 'iptables-save' | 'iptables-list' | 'nft';

export interface FirewallFormatEntry {
  readonly id: string;
  /** How people call the format, short (`iptables -L`). */
  readonly name: string;
  /** The commands that print it, the usual first (`iptables -L -n -v`). */
  readonly commands: readonly string[];
  /** Whether the dump is text read line by line; nft -j is JSON, read through the nft text it converts to. */
  readonly lineBased: boolean;
  readonly reader: SectionReaderKind;
}

export const firewallFormats = [
  { id: 'iptables-save', name: 'iptables-save', commands: ['iptables-save', 'ip6tables-save'], lineBased: true, reader: 'iptables-save' },
  // the same lines as iptables-save, one table and no `*table`/COMMIT: the same reader
  { id: 'iptables-S', name: 'iptables -S', commands: ['iptables -S'], lineBased: true, reader: 'iptables-save' },
  { id: 'iptables-L', name: 'iptables -L', commands: ['iptables -L -n -v'], lineBased: true, reader: 'iptables-list' },
  { id: 'nft', name: 'nft', commands: ['nft list ruleset'], lineBased: true, reader: 'nft' },
  { id: 'nft-json', name: 'nft -j', commands: ['nft -j list ruleset'], lineBased: false, reader: 'nft' },
] as const satisfies readonly FirewallFormatEntry[];

export type FirewallFormat = (typeof firewallFormats)[number]['id'];

/** `a, b or c`. */
function oneOf(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/**
 * The formats as a list for people: by `name` (`iptables-save, iptables -S, … or nft -j`), by their usual command,
 * or by every command that prints them; `lineBasedOnly` leaves out nft -j (what a text with no dump in it lacked).
 */
export function firewallFormatList(by: 'name' | 'command' | 'every command', lineBasedOnly = false): string {
  const formats: readonly FirewallFormatEntry[] = firewallFormats;
  const chosen = lineBasedOnly ? formats.filter((f) => f.lineBased) : formats;
  if (by === 'name') return oneOf(chosen.map((f) => f.name));
  return oneOf(chosen.flatMap((f) => (by === 'command' ? f.commands.slice(0, 1) : f.commands)));
}

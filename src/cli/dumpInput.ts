// A firewall dump for the CLI's commands (`firewall`, `exposure`): a regular file of at most 64 MB, or stdin, decoded
// by its byte order mark (PowerShell's `>` writes UTF-16).
import * as path from 'node:path';
import { maxFirewallDumpBytes, readRegularFileSync } from '../adapters/regularFile';
import { decodeDump, firewallFormatList, parseFirewall, type FirewallRuleset } from '../core/firewall';
import { InputError } from './cliArgs';
import type { CliIo } from './commands';
import { capped, quoted } from './terminalText';

async function readStdin(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const c of stream) {
    const chunk = typeof c === 'string' ? Buffer.from(c) : (c as Buffer);
    length += chunk.length;
    if (length > maxFirewallDumpBytes) throw new InputError(`stdin holds more than ${maxFirewallDumpBytes / 1024 / 1024} MB; no firewall dump is that big`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The dump's text, decoded by its byte order mark (PowerShell's `>` writes UTF-16). */
export async function readDump(file: string | undefined, io: CliIo): Promise<string> {
  if (file === undefined || file === '-') return decodeDump(await readStdin(io.stdin)).text;
  const read = readRegularFileSync(path.resolve(io.cwd, file), maxFirewallDumpBytes);
  if (read.kind === 'text') return read.bytes ? decodeDump(read.bytes).text : read.text;
  throw new InputError(`cannot read ${quoted(file)}: ${read.kind === 'missing' ? 'not found' : read.reason}`);
}

/** The dump parsed (one table only, if named); a text with no dump in it is an InputError that says why. */
export async function readRuleset(file: string | undefined, io: CliIo, table?: string): Promise<FirewallRuleset> {
  const ruleset = parseFirewall(await readDump(file, io), table !== undefined ? { table } : {});
  if (!ruleset.formats.length) {
    // say why when it is not just other text (invalid nft -j JSON, an encoding problem)
    const why = ruleset.diagnostics.slice(0, 3).map((d) => `\nline ${d.line}: ${capped(d.message)}`).join('');
    throw new InputError(`no ${firewallFormatList('name', true)} text found${why}`);
  }
  return ruleset;
}

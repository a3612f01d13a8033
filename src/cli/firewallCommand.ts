// `docker-network-doctor firewall [FILE|-] [--trace tcp:8080 [--from outside|localhost|IP] [--to ADDRESS]]
//   [--table NAME] [--format text|json]`: a saved or piped firewall dump (iptables-save, iptables -S,
// iptables -L -n -v, nft list ruleset, nft -j), summarised as the view shows it, with an optional packet trace.
//   ssh host sudo iptables-save | docker-network-doctor firewall - --trace tcp:8080
import { isIP } from 'node:net';
import {
  detectDockerLayout, inferUserlandProxy, traceConnection, type FirewallRule, type FirewallRuleset,
  type TraceRequest, type TraceResult,
} from '../core/firewall';
import { exitCodeHelp, exitCodes, oneOf, parseCommandArgs, UsageError } from './cliArgs';
import { readRuleset } from './dumpInput';
import type { CliCommand, CliIo } from './commands';
import { capped, counted, quoted, visible } from './terminalText';

const usage = [
  'usage: docker-network-doctor firewall [FILE|-] [--trace PROTO:PORT [--from outside|localhost|IP] [--to ADDRESS]]',
  '                                      [--table NAME] [--format text|json]',
  '',
  'Reads iptables-save, ip6tables-save, iptables -S, iptables -L -n -v, nft list ruleset or nft -j list ruleset',
  'output (from FILE, or stdin with - or no FILE; at most 64 MB), shows Docker\'s chains and era, and with --trace',
  'walks a new connection through them.',
  '',
  'options:',
  '  --trace PROTO:PORT          trace a new connection to this host port (tcp, udp or sctp; port 1-65535)',
  '  --from outside|localhost|IP where it comes from (default outside: another machine); 127.0.0.1 and ::1 are',
  '                              localhost; another IP is a container\'s (an IPv6 one needs an IPv6 --to)',
  '  --to ADDRESS                the host address connected to (default: a stand-in public address of the host)',
  '  --table NAME                read only this table (e.g. nat, filter)',
  '  --format text|json          output format (default text)',
  '  -h, --help                  this text',
  '',
  '  e.g. ssh host sudo iptables-save | docker-network-doctor firewall - --trace tcp:8080',
  '',
  exitCodeHelp,
].join('\n');

const options = {
  trace: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  table: { type: 'string' },
  format: { type: 'string' },
} as const;

type Trace = Pick<TraceRequest, 'protocol' | 'port' | 'from' | 'toAddress'>;

/** An IP address as the trace reads it: no zone (`%eth0`), no prefix; 4 or 6, or a UsageError. */
function addressFamily(option: string, value: string): 4 | 6 {
  const family = value.includes('%') ? 0 : isIP(value);
  if (family === 0) throw new UsageError(`${option} takes an IPv4 or IPv6 address${value.includes('%') ? ' without a zone (%…)' : ''} (got ${quoted(value)})`);
  return family as 4 | 6;
}

const isLoopback = (address: string, family: 4 | 6) => (family === 4 ? address.startsWith('127.') : /^(0*:)*:?0*1$/.test(address));

/** --trace, --from and --to checked together: the trace reads nothing it cannot use. */
function traceRequest(values: { trace?: string; from?: string; to?: string }): Trace | undefined {
  if (values.trace === undefined) {
    if (values.from !== undefined || values.to !== undefined) throw new UsageError('--from and --to need --trace');
    return undefined;
  }
  const m = /^(tcp|udp|sctp)[:/](\d{1,5})$/i.exec(values.trace);
  const port = m ? Number(m[2]) : 0;
  if (!m || port < 1 || port > 65535) throw new UsageError(`--trace takes PROTO:PORT with a port from 1 to 65535, e.g. tcp:8080 (got ${quoted(values.trace)})`);
  const trace: Trace = { protocol: m[1]!.toLowerCase() as TraceRequest['protocol'], port, from: 'outside' };
  const toFamily = values.to === undefined ? undefined : addressFamily('--to', values.to);
  if (values.to !== undefined) trace.toAddress = values.to;
  const from = values.from ?? 'outside';
  if (from === 'outside' || from === 'localhost') {
    trace.from = from;
    return trace;
  }
  const fromFamily = addressFamily('--from', from);
  if (isLoopback(from, fromFamily)) {
    // the host itself (the OUTPUT path), not a remote client that happens to have a loopback address
    trace.from = 'localhost';
    if (fromFamily === 6 && toFamily === undefined) trace.toAddress = '::1';
  } else {
    trace.from = from;
  }
  if (fromFamily === 6 && (trace.toAddress === undefined || isIP(trace.toAddress) !== 6)) {
    throw new UsageError(`--from ${quoted(from)} is IPv6: give an IPv6 --to address (a connection keeps its family)`);
  }
  if (fromFamily === 4 && toFamily === 6) throw new UsageError(`--from ${quoted(from)} is IPv4 but --to is IPv6 (a connection keeps its family)`);
  return trace;
}

function summary(r: FirewallRuleset): string[] {
  const layout = detectDockerLayout(r);
  const proxy = inferUserlandProxy(r);
  const lines = [
    `formats: ${r.formats.join(', ') || 'none recognised'}; ${counted(r.ruleCount, 'rule')} in ${counted(r.tables.length, 'table')}`,
    `docker: ${visible(layout.description)}${layout.evidence.length ? ` [${capped(layout.evidence.join(', '), 1000)}]` : ''}`,
    `backend: ${layout.backend}; userland proxy: ${proxy.state}`
      + `${layout.rawDirectAccessDrops ? `; ${counted(layout.rawDirectAccessDrops, 'raw direct-access drop')}` : ''}`,
  ];
  for (const t of r.tables) {
    lines.push('', `${t.source === 'nft' ? 'table' : '*'}${t.source === 'nft' ? ` ${visible(t.family)} ` : ''}${capped(t.name)}`);
    for (const c of t.chains) {
      const owners = [...new Set(c.rules.map((x) => x.owner))].filter((o) => o !== c.owner);
      const policy = c.policy ? ` policy ${capped(c.policy)}` : '';
      lines.push(`  ${capped(c.name).padEnd(28)} ${counted(c.rules.length, 'rule').padStart(11)}  `
        + `[${c.owner}${owners.length ? ` + ${owners.join(', ')}` : ''}]${policy}`);
    }
  }
  for (const repair of r.pasteRepairs ?? []) lines.push(`repaired: ${capped(repair, 1000)}`);
  for (const d of r.diagnostics) lines.push(`line ${d.line}: ${capped(d.message)}: ${quoted(d.text)}`);
  return lines;
}

/** Appends the trace's lines to `lines` (pushed one by one: a trace has up to MAX_STEPS steps, too many to spread). */
function traceText(t: TraceResult, r: FirewallRuleset, lines: string[]): void {
  const byId = new Map<string, FirewallRule>();
  for (const x of r.tables) for (const c of x.chains) for (const rule of c.rules) byId.set(rule.id, rule);
  lines.push('', 'trace:');
  for (const s of t.steps) {
    const rule = s.ruleId ? byId.get(s.ruleId) : undefined;
    const where = s.hook === 'routing' ? 'routing' : `${s.hook} ${s.table}/${s.chain}`;
    lines.push(`  ${capped(where).padEnd(44)} ${capped(s.text, 1000)}${rule ? `   (line ${rule.line}: ${capped(rule.text, 1000)})` : ''}`);
  }
  lines.push(`verdict: ${t.verdict.kind}: ${capped(t.verdict.text, 1000)}`);
  for (const a of t.assumptions) lines.push(`  assumed: ${capped(a, 1000)}`);
}

export const firewallCommand: CliCommand = {
  usage,
  async run(args: string[], io: CliIo) {
    const { values, positionals } = parseCommandArgs(args, options, true);
    if (positionals.length > 1) throw new UsageError(`only one FILE can be given (got ${counted(positionals.length, 'file')})`);
    const format = oneOf('--format', values.format, ['text', 'json'] as const, 'text');
    const trace = traceRequest(values);
    const ruleset = await readRuleset(positionals[0], io, values.table);
    const traced = trace ? traceConnection(ruleset, trace) : undefined;
    if (format === 'json') {
      const out = { ruleset, layout: detectDockerLayout(ruleset), userlandProxy: inferUserlandProxy(ruleset), ...(traced ? { trace: traced } : {}) };
      io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    } else {
      const lines = summary(ruleset);
      if (traced) traceText(traced, ruleset, lines);
      io.stdout.write(`${lines.join('\n')}\n`);
    }
    return exitCodes.ok;
  },
};

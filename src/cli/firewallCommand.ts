// `docker-network-doctor firewall [FILE|-] [--trace tcp:8080 [--from outside|localhost|IP] [--to ADDRESS]]
//   [--table NAME] [--format text|json]`: a saved or piped firewall dump (iptables-save, iptables -S,
// iptables -L -n -v, nft list ruleset, nft -j), summarised as the view shows it, with an optional packet trace.
//   ssh host sudo iptables-save | docker-network-doctor firewall - --trace tcp:8080
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  detectDockerLayout, inferUserlandProxy, parseFirewall, traceConnection, type FirewallRuleset, type TraceRequest,
  type TraceResult,
} from '../core/firewall';
import type { CliCommand, CliIo } from './commands';

const usage = [
  'usage: docker-network-doctor firewall [FILE|-] [--trace PROTO:PORT [--from outside|localhost|IP] [--to ADDRESS]]',
  '                                      [--table NAME] [--format text|json]',
  '',
  'Reads iptables-save, ip6tables-save, iptables -S, iptables -L -n -v, nft list ruleset or nft -j list ruleset',
  'output (from FILE, or stdin with - or no FILE), shows Docker\'s chains and era, and with --trace walks a new',
  'connection through them.',
  '  e.g. ssh host sudo iptables-save | docker-network-doctor firewall - --trace tcp:8080',
].join('\n');

interface Options { file?: string; trace?: { protocol: TraceRequest['protocol']; port: number }; from: string; to?: string; table?: string; format: 'text' | 'json' }

function parseArgs(args: string[]): Options | string {
  const o: Options = { from: 'outside', format: 'text' };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    try {
      if (a === '--trace') {
        const m = /^(tcp|udp|sctp)[:/](\d{1,5})$/i.exec(value());
        if (!m || Number(m[2]) > 65535) return '--trace takes PROTO:PORT, e.g. tcp:8080';
        o.trace = { protocol: m[1]!.toLowerCase() as TraceRequest['protocol'], port: Number(m[2]) };
      } else if (a === '--from') o.from = value();
      else if (a === '--to') o.to = value();
      else if (a === '--table') o.table = value();
      else if (a === '--format') {
        const f = value();
        if (f !== 'text' && f !== 'json') return '--format takes text or json';
        o.format = f;
      } else if (a === '-' || !a.startsWith('-')) {
        if (o.file !== undefined) return 'only one FILE can be given';
        o.file = a;
      } else return `unknown option ${a}`;
    } catch (e) {
      return (e as Error).message;
    }
  }
  return o;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

function summary(r: FirewallRuleset): string[] {
  const layout = detectDockerLayout(r);
  const proxy = inferUserlandProxy(r);
  const lines = [
    `formats: ${r.formats.join(', ') || 'none recognised'}; ${r.ruleCount} rules in ${r.tables.length} tables`,
    `docker: ${layout.description}${layout.evidence.length ? ` [${layout.evidence.join(', ')}]` : ''}`,
    `backend: ${layout.backend}; userland proxy: ${proxy.state}${layout.rawDirectAccessDrops ? `; ${layout.rawDirectAccessDrops} raw direct-access drops` : ''}`,
  ];
  for (const t of r.tables) {
    lines.push('', `${t.source === 'nft' ? 'table' : '*'}${t.source === 'nft' ? ` ${t.family} ` : ''}${t.name}`);
    for (const c of t.chains) {
      const owners = [...new Set(c.rules.map((x) => x.owner))].filter((o) => o !== c.owner);
      const policy = c.policy ? ` policy ${c.policy}` : '';
      lines.push(`  ${c.name.padEnd(28)} ${String(c.rules.length).padStart(5)} rules  [${c.owner}${owners.length ? ` + ${owners.join(', ')}` : ''}]${policy}`);
    }
  }
  for (const d of r.diagnostics) lines.push(`line ${d.line}: ${d.message}: ${d.text}`);
  return lines;
}

function traceText(t: TraceResult, r: FirewallRuleset): string[] {
  const byId = new Map(r.tables.flatMap((x) => x.chains.flatMap((c) => c.rules.map((rule) => [rule.id, rule] as const))));
  const lines = ['', 'trace:'];
  for (const s of t.steps) {
    const rule = s.ruleId ? byId.get(s.ruleId) : undefined;
    const where = s.hook === 'routing' ? 'routing' : `${s.hook} ${s.table}/${s.chain}`;
    lines.push(`  ${where.padEnd(44)} ${s.text}${rule ? `   (line ${rule.line}: ${rule.text})` : ''}`);
  }
  lines.push(`verdict: ${t.verdict.kind}: ${t.verdict.text}`);
  for (const a of t.assumptions) lines.push(`  assumed: ${a}`);
  return lines;
}

export const firewallCommand: CliCommand = {
  summary: 'read a firewall dump (iptables/nft), show Docker\'s rules, trace a port',
  async run(args: string[], io: CliIo) {
    if (args.includes('--help') || args.includes('-h')) {
      io.stdout.write(`${usage}\n`);
      return 0;
    }
    const o = parseArgs(args);
    if (typeof o === 'string') {
      io.stderr.write(`docker-network-doctor firewall: ${o}\n\n${usage}\n`);
      return 2;
    }
    let text: string;
    try {
      text = o.file === undefined || o.file === '-' ? await readAll(io.stdin) : fs.readFileSync(path.resolve(io.cwd, o.file), 'utf8');
    } catch (e) {
      io.stderr.write(`docker-network-doctor firewall: cannot read ${o.file}: ${(e as Error).message}\n`);
      return 2;
    }
    const ruleset = parseFirewall(text, o.table ? { table: o.table } : {});
    if (!ruleset.formats.length) {
      io.stderr.write('docker-network-doctor firewall: no iptables-save, iptables -S, iptables -L or nft text found\n');
      return 2;
    }
    const trace = o.trace ? traceConnection(ruleset, { ...o.trace, from: o.from, ...(o.to ? { toAddress: o.to } : {}) }) : undefined;
    if (o.format === 'json') {
      const out = { ruleset, layout: detectDockerLayout(ruleset), userlandProxy: inferUserlandProxy(ruleset), ...(trace ? { trace } : {}) };
      io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    } else {
      const lines = summary(ruleset);
      if (trace) lines.push(...traceText(trace, ruleset));
      io.stdout.write(`${lines.join('\n')}\n`);
    }
    return 0;
  },
};

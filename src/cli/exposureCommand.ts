// `docker-network-doctor exposure [DUMP|-] [--engine] [--host ADDRESS] [--host6 ADDRESS] [--format text|json]`: who
// can reach each published port (outside, the host, a container on its network, one on another), each verdict a
// trace, and where the host firewall (ufw, firewalld, INPUT rules) alone would say otherwise.
//   ssh host sudo sh -c 'iptables-save; ip6tables-save' | docker-network-doctor exposure - --host 203.0.113.7
import { isIP } from 'node:net';
import { exposure, type BindingExposure, type FirewallRuleset, type Reach } from '../core/firewall';
import { exitCodeHelp, exitCodes, oneOf, parseCommandArgs, UsageError } from './cliArgs';
import { cliEngineFacts } from './cliEngine';
import type { CliCommand } from './commands';
import { readRuleset } from './dumpInput';
import { capped, counted, quoted } from './terminalText';

const usage = [
  'usage: docker-network-doctor exposure [DUMP|-] [--engine] [--host ADDRESS] [--host6 ADDRESS] [--format text|json]',
  '',
  'For each published port: can it be reached from outside, from the host, from a container on its network and',
  'from one on another network? Each answer is a trace through the host\'s rules (DUMP: iptables-save and',
  'ip6tables-save, or nft list ruleset, from a file or stdin; at most 64 MB). Where the host runs ufw, firewalld',
  'or INPUT rules, it also says what that firewall alone would answer, and warns when Docker lets in from outside',
  'what the firewall denies (Docker\'s DNAT and FORWARD rules run before the firewall\'s INPUT rules).',
  '',
  'options:',
  '  --engine          read the published ports and networks from the engine (found as the docker CLI finds it);',
  '                    without it, the ports are read from Docker\'s DNAT rules in the dump',
  '  --host ADDRESS    the host\'s IPv4 address seen from outside (default: a stand-in, said in the output)',
  '  --host6 ADDRESS   the host\'s IPv6 address seen from outside',
  '  --format text|json',
  '  -h, --help        this text',
  '',
  '  e.g. sudo iptables-save > rules.txt && docker-network-doctor exposure rules.txt --engine',
  '',
  exitCodeHelp,
].join('\n');

const options = {
  engine: { type: 'boolean' },
  host: { type: 'string' },
  host6: { type: 'string' },
  format: { type: 'string' },
} as const;

const mark: Record<Reach, string> = { reachable: 'reachable', blocked: 'blocked', refused: 'refused', unknown: 'unknown' };

function address(option: string, value: string | undefined, family: 4 | 6): string | undefined {
  if (value === undefined) return undefined;
  if (isIP(value) !== family) throw new UsageError(`${option} takes an IPv${family} address (got ${quoted(value)})`);
  return value;
}


function bindingTitle(e: BindingExposure): string {
  const b = e.binding;
  const ports = b.hostPortEnd !== undefined ? `${b.hostPort}-${b.hostPortEnd}` : `${b.hostPort}`;
  const host = b.hostIp === undefined ? '' : b.hostIp.includes(':') ? `[${b.hostIp}]:` : `${b.hostIp}:`;
  const who = b.container ? capped(b.container.name) : capped(b.containerAddress ?? '?');
  return `${host}${ports}/${b.protocol} -> ${who}:${b.containerPort}${b.ruleId ? ` (DNAT rule ${b.ruleId})` : ''}`;
}

function text(all: BindingExposure[], ruleset: FirewallRuleset): string[] {
  const lines: string[] = [];
  // what the dump could not show (nft -j hides iptables-nft's options) comes first: the verdicts below depend on it
  for (const d of ruleset.diagnostics.slice(0, 5)) lines.push(`dump line ${d.line}: ${capped(d.message)}`);
  if (ruleset.diagnostics.length > 5) lines.push(`… and ${counted(ruleset.diagnostics.length - 5, 'more reading problem')}`);
  const firewall = all[0]?.firewall;
  lines.push(`host firewall: ${firewall ? firewall.name : 'not known (no published ports)'}`);
  for (const e of all) {
    lines.push('', bindingTitle(e));
    for (const v of e.verdicts) {
      lines.push(`  ${`from ${capped(v.from)}`.padEnd(60)} ${mark[v.reach].padEnd(9)} ${capped(v.trace.verdict.text, 300)}`);
    }
    if (e.firewallAlone) {
      lines.push(`  ${`${e.firewall.name} on its own`.padEnd(60)} ${mark[e.firewallAlone.reach].padEnd(9)} `
        + `${capped(e.firewallAlone.trace.verdict.text, 300)}`);
    }
    if (e.disagreement) lines.push(`  warning: ${capped(e.disagreement, 600)}`);
  }
  const assumed = [...new Set(all.flatMap((e) => e.verdicts.flatMap((v) => v.trace.assumptions)))];
  if (assumed.length) lines.push('', 'assumed:', ...assumed.map((a) => `  ${capped(a, 600)}`));
  const warnings = all.filter((e) => e.disagreement).length;
  lines.push('', `${counted(all.length, 'published port')}, ${counted(warnings, 'firewall bypass', 'firewall bypasses')}`);
  return lines;
}

export const exposureCommand: CliCommand = {
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, options, true);
    if (positionals.length > 1) throw new UsageError(`only one DUMP can be given (got ${counted(positionals.length, 'file')})`);
    const format = oneOf('--format', values.format, ['text', 'json'] as const, 'text');
    const hostAddress = address('--host', values.host, 4);
    const hostAddress6 = address('--host6', values.host6, 6);
    const ruleset = await readRuleset(positionals[0], io);
    const facts = values.engine ? await cliEngineFacts(io.env) : undefined;
    const all = exposure(ruleset, { ...(facts ? { facts } : {}), ...(hostAddress ? { hostAddress } : {}), ...(hostAddress6 ? { hostAddress6 } : {}) });
    if (format === 'json') {
      const out = all.map((e) => ({
        binding: e.binding, firewall: e.firewall,
        verdicts: e.verdicts.map((v) => ({ source: v.source, from: v.from, to: v.to, reach: v.reach, verdict: v.trace.verdict,
          assumptions: v.trace.assumptions })),
        ...(e.firewallAlone ? { firewallAlone: { reach: e.firewallAlone.reach, verdict: e.firewallAlone.trace.verdict } } : {}),
        ...(e.disagreement ? { disagreement: e.disagreement } : {}),
      }));
      io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    } else {
      io.stdout.write(`${text(all, ruleset).join('\n')}\n`);
    }
    return exitCodes.ok;
  },
};

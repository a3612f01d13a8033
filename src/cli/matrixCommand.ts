// `docker-network-doctor matrix [DUMP|-] [--port N] [--protocol tcp|udp] [--format json|text]`: who among the
// engine's running containers can open a connection to whom, each cell a trace through the host's rules (the dump).
import { reachabilityMatrix } from '../core/reach/matrix';
import { exitCodeHelp, exitCodes, oneOf, parseCommandArgs, UsageError } from './cliArgs';
import { cliEngineFacts } from './cliEngine';
import type { CliCommand } from './commands';
import { readRuleset } from './dumpInput';
import { capped } from './terminalText';

const usage = [
  'usage: docker-network-doctor matrix [DUMP|-] [--port N] [--protocol tcp|udp] [--format json|text]',
  '',
  'Who among the engine\'s containers can open a connection to whom: for each ordered pair, a trace from the',
  'source\'s address to the target\'s (on a network they share, if any) through the host\'s rules (DUMP: the engine',
  'host\'s iptables-save, from a file or stdin), so ICC off, internal networks, isolation between networks and',
  'DOCKER-USER rules decide as the kernel would. The containers and networks are read from the engine.',
  '',
  'options:',
  '  --port N               the target port traced (default 80)',
  '  --protocol tcp|udp     (default tcp)',
  '  --format json|text     output format (default json)',
  '  -h, --help             this text',
  '',
  exitCodeHelp,
].join('\n');

const options = { port: { type: 'string' }, protocol: { type: 'string' }, format: { type: 'string' } } as const;

export const matrixCommand: CliCommand = {
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, options, true);
    if (positionals.length > 1) throw new UsageError('only one DUMP can be given');
    const port = values.port === undefined ? 80 : Number(values.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`--port takes 1-65535 (got ${capped(String(values.port))})`);
    const protocol = oneOf('--protocol', values.protocol, ['tcp', 'udp'] as const, 'tcp');
    const format = oneOf('--format', values.format, ['json', 'text'] as const, 'json');
    const ruleset = await readRuleset(positionals[0], io);
    const matrix = reachabilityMatrix(ruleset, await cliEngineFacts(io.env), { port, protocol });
    if (format === 'json') {
      io.stdout.write(`${JSON.stringify(matrix, null, 2)}\n`);
    } else {
      for (const c of matrix.cells) {
        io.stdout.write(`${capped(c.from)} → ${capped(c.to)}  ${c.reach.padEnd(9)} ${c.path}${c.via ? ` on ${capped(c.via)}` : ''}: `
          + `${capped(c.verdict.text, 300)}\n`);
      }
    }
    return exitCodes.ok;
  },
};

// `docker-network-doctor networks [--format text|json]`: the engine's networks, as the sidebar shows them.
import { networkDescription } from '../core/engine/describe';
import { normalizeNetworks } from '../core/engine/normalizeNetworks';
import { exitCodeHelp, exitCodes, oneOf, parseCommandArgs } from './cliArgs';
import { cliEngine, engineFailure } from './cliEngine';
import type { CliCommand } from './commands';
import { capped } from './terminalText';

const usage = [
  'usage: docker-network-doctor networks [--format text|json]',
  '',
  'Lists the engine\'s networks with their driver, subnets and containers. The engine is found as the docker CLI',
  'finds it: DOCKER_HOST, else DOCKER_CONTEXT, else the current context in ~/.docker/config.json (DOCKER_CONFIG),',
  'else the default socket.',
  '',
  'options:',
  '  --format text|json   output format (default text)',
  '  -h, --help           this text',
  '',
  exitCodeHelp,
].join('\n');

export const networksCommand: CliCommand = {
  usage,
  async run(args, io) {
    const { values } = parseCommandArgs(args, { format: { type: 'string' } }, false);
    const format = oneOf('--format', values.format, ['text', 'json'] as const, 'text');
    const { engine, client } = cliEngine(io.env);
    let body: unknown;
    try {
      body = await client.listNetworks();
    } catch (err) {
      throw engineFailure(err, engine);
    }
    const networks = normalizeNetworks(body);
    if (format === 'json') io.stdout.write(`${JSON.stringify(networks, null, 2)}\n`);
    else for (const n of networks) io.stdout.write(`${capped(n.name).padEnd(24)} ${capped(networkDescription(n), 1000)}\n`);
    return exitCodes.ok;
  },
};

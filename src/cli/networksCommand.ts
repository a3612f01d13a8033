// `docker-network-doctor networks [--format text|json]`: the engine's networks, as the sidebar shows them.
import { DockerClient } from '../adapters/dockerClient';
import { networkDescription } from '../core/engine/describe';
import { resolveEngineEndpoint } from '../core/engine/endpoint';
import { classifyEngineError } from '../core/engine/engineError';
import { normalizeNetworks } from '../core/engine/normalizeNetworks';
import type { CliCommand } from './commands';

export const networksCommand: CliCommand = {
  summary: 'list the engine\'s networks (DOCKER_HOST or the default socket)',
  async run(args, io) {
    if (args.includes('--help')) {
      io.stdout.write('usage: docker-network-doctor networks [--format text|json]\n');
      return 0;
    }
    const format = args[args.indexOf('--format') + 1] === 'json' && args.includes('--format') ? 'json' : 'text';
    const endpoint = resolveEngineEndpoint({ env: io.env, platform: process.platform });
    let body: unknown;
    try {
      body = await new DockerClient(endpoint, io.env).listNetworks();
    } catch (err) {
      const problem = classifyEngineError(err, endpoint.host);
      io.stderr.write(`${problem.message}\n${problem.fix}\n`);
      return 2;
    }
    const networks = normalizeNetworks(body);
    if (format === 'json') io.stdout.write(`${JSON.stringify(networks, null, 2)}\n`);
    else for (const n of networks) io.stdout.write(`${n.name.padEnd(24)} ${networkDescription(n)}\n`);
    return 0;
  },
};

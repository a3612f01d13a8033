// The engine for CLI commands that need one, resolved exactly as the extension resolves it (no settings: the
// environment, the docker contexts, the default socket), and engine failures as exit-2 input errors.
import { resolveEngineFromEnvironment } from '../adapters/dockerConfigFiles';
import { readFullEngine } from '../adapters/engineReads';
import { engineFactsFromModel, type EngineFacts } from '../core/firewall/link';
import { DockerClient } from '../adapters/dockerClient';
import { EndpointError, type ResolvedEngine } from '../core/engine/endpoint';
import { classifyEngineError } from '../core/engine/engineError';
import { InputError } from './cliArgs';
import { capped } from './terminalText';

/** Where a CLI user points at another engine. */
const cliPointAt = 'DOCKER_HOST or DOCKER_CONTEXT (or `docker context use`)';

export function cliEngine(env: Record<string, string | undefined>): { engine: ResolvedEngine; client: DockerClient } {
  let engine: ResolvedEngine;
  try {
    engine = resolveEngineFromEnvironment(env);
  } catch (err) {
    if (err instanceof EndpointError) throw new InputError(`${capped(err.message, 400)}\nCorrect ${cliPointAt}.`);
    throw err;
  }
  return { engine, client: new DockerClient(engine.endpoint, env) };
}

/** An engine call's failure as an InputError with what to do about it. */
export function engineFailure(err: unknown, engine: ResolvedEngine): InputError {
  const from = engine.contextName && engine.source === 'context' ? ` (docker context ${engine.contextName})` : '';
  const problem = classifyEngineError(err, `${engine.endpoint.host}${from}`, cliPointAt);
  return new InputError(`${capped(problem.message, 400)}\n${problem.fix}`);
}

/** The engine's networks and containers as the firewall core takes them (exposure, matrix). */
export async function cliEngineFacts(env: Record<string, string | undefined>): Promise<EngineFacts> {
  const { engine, client } = cliEngine(env);
  try {
    return engineFactsFromModel((await readFullEngine(client)).model);
  } catch (err) {
    throw engineFailure(err, engine);
  }
}

// The file-system side of endpoint resolution: reads the docker config folder (config.json, contexts' meta files)
// and checks default sockets for src/core/engine/endpoint.ts. Never throws: missing or unreadable reads as absent.
import * as fs from 'fs';
import * as os from 'os';
import { readRegularFileSync } from './regularFile';
import { resolveEngine, type DockerConfigReader, type ResolvedEngine } from '../core/engine/endpoint';

export const dockerConfigFiles: DockerConfigReader = {
  readFile(absolutePath) {
    const read = readRegularFileSync(absolutePath);
    return read.kind === 'text' ? read.text : undefined;
  },
  exists(absolutePath) {
    try {
      fs.statSync(absolutePath);
      return true;
    } catch {
      return false;
    }
  },
  listDir(absolutePath) {
    try {
      return fs.readdirSync(absolutePath);
    } catch {
      return [];
    }
  },
};

/**
 * The engine to use, decided as the docker CLI decides it (src/core/engine/endpoint.ts): the extension's settings if
 * given, then DOCKER_HOST, DOCKER_CONTEXT, config.json's current context (under DOCKER_CONFIG or ~/.docker), then
 * the platform's default socket. The one place the extension's session and the CLI resolve an engine; throws
 * EndpointError for an address or context that cannot be used.
 */
export function resolveEngineFromEnvironment(env: Record<string, string | undefined>, settings: { host?: string; context?: string } = {}): ResolvedEngine {
  return resolveEngine({
    setting: settings.host, contextSetting: settings.context, env, platform: process.platform,
    homeDir: env.HOME || env.USERPROFILE || os.homedir(), reader: dockerConfigFiles,
  });
}

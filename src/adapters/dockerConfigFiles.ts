// The file-system side of endpoint resolution: reads the docker config folder (config.json, contexts' meta files)
// and checks default sockets for src/core/engine/endpoint.ts. Never throws: missing or unreadable reads as absent.
import * as fs from 'fs';
import type { DockerConfigReader } from '../core/engine/endpoint';

export const dockerConfigFiles: DockerConfigReader = {
  readFile(absolutePath) {
    try {
      return fs.readFileSync(absolutePath, 'utf8');
    } catch {
      return undefined;
    }
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

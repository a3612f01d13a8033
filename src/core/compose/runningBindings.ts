// The host ports the connected engine's containers hold, for host-port-conflict ("a service and a running container
// claim the same port": `up` would fail with "port is already allocated"). One RunningBinding per host address, as
// the engine binds them; the compose labels let the rule skip the containers `up` replaces.
import { hostPortsOf, type PortInterval, type PortProtocol } from '../net/portInterval';
import type { EngineModel } from '../engine/model';

/** A published port of a running container, as the engine reports it (0.0.0.0 and :: are separate entries). */
export interface RunningBinding {
  container: string;
  hostIp: string;
  protocol: PortProtocol;
  hostPorts: PortInterval;
  /** From the container's com.docker.compose.* labels: a container of this very service is replaced by `up`. */
  composeProject?: string;
  composeService?: string;
  /** `com.docker.compose.project.working_dir`: the project's folder on the engine's host, as `up` ran. */
  composeWorkingDir?: string;
}

/** Containers in these states hold their published ports (a stopped one gives them back). */
const holdsPorts = new Set(['running', 'paused', 'restarting']);

export function runningBindingsOf(model: EngineModel): RunningBinding[] {
  const out: RunningBinding[] = [];
  for (const c of model.containers) {
    if (!holdsPorts.has(c.state) || !c.bindings.length) continue;
    const project = c.labels['com.docker.compose.project'];
    const service = c.labels['com.docker.compose.service'];
    const workingDir = c.labels['com.docker.compose.project.working_dir'];
    for (const b of c.bindings) {
      for (const hostIp of b.hostIps) {
        const r: RunningBinding = { container: c.name, hostIp, protocol: b.protocol, hostPorts: hostPortsOf(b) };
        if (project !== undefined) r.composeProject = project;
        if (service !== undefined) r.composeService = service;
        if (workingDir !== undefined) r.composeWorkingDir = workingDir;
        out.push(r);
      }
    }
  }
  return out;
}

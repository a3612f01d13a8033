// The connected engine's networks and their subnets, for subnet-overlap (a project's subnet that overlaps one of them
// is refused), with the compose labels that tell a network this project's own `up` made (compose reuses it).
import type { EngineModel } from '../engine/model';

/** A network on the connected engine, with the compose labels that tell whether it is this project's own. */
export interface EngineNetwork {
  name: string;
  subnets: string[];
  composeProject?: string;
  composeNetwork?: string;
}

export function engineNetworksOf(model: EngineModel): EngineNetwork[] {
  return model.networks.filter((n) => n.subnets.length).map((n) => {
    const out: EngineNetwork = { name: n.name, subnets: n.subnets.map((s) => s.cidr) };
    const project = n.labels['com.docker.compose.project'];
    const network = n.labels['com.docker.compose.network'];
    if (project !== undefined) out.composeProject = project;
    if (network !== undefined) out.composeNetwork = network;
    return out;
  });
}

// Which networks `docker network connect` can attach a container to.
import type { NetworkModel } from './model';

/** Networks on which `docker network connect` can work (not host/none, not a non-attachable swarm network). */
export function isConnectable(n: NetworkModel): boolean {
  return n.driver !== 'host' && n.driver !== 'null' && (n.scope !== 'swarm' || n.attachable);
}

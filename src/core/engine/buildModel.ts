// The engine model from the two list bodies a full refresh reads (`GET /networks`, `GET /containers/json?all=1`),
// and the lookups the views need. Pure; O(containers + endpoints + port entries).
import type { ContainerModel, EndpointModel, EngineModel } from './model';
import { normalizeContainers } from './normalizeContainers';
import { normalizeNetworks } from './normalizeNetworks';

export function buildEngineModel(networksBody: unknown, containersBody: unknown): EngineModel {
  const model = { networks: normalizeNetworks(networksBody), containers: normalizeContainers(containersBody) };
  fillGatewaysFromEndpoints(model);
  return model;
}

/**
 * Engine 20.10 lists no IPAM Gateway for subnets it chose itself, but every endpoint on the network carries it:
 * copies the first endpoint's gateway of the same address family into such subnets (in place).
 */
export function fillGatewaysFromEndpoints(model: EngineModel): void {
  let attachments: Map<string, Attachment[]> | undefined; // only when a subnet lacks its gateway (rare on new engines)
  for (const n of model.networks) {
    if (n.subnets.every((s) => s.gateway)) continue;
    attachments ??= attachmentsByNetwork(model);
    const endpoints = (attachments.get(n.id) ?? []).map((a) => a.endpoint);
    for (const s of n.subnets) {
      if (s.gateway) continue;
      const gw = endpoints.map((e) => (s.family === 'ipv4' ? e.gateway : e.ipv6Gateway)).find(Boolean);
      if (gw) s.gateway = gw;
    }
  }
}

/** A container on a network, with its endpoint there. */
export interface Attachment {
  container: ContainerModel;
  endpoint: EndpointModel;
}

/**
 * Containers per network id, each list sorted by container name. An endpoint of a container that never started has
 * no NetworkID (Engine 20.10 lists `"NetworkID": ""`); it is matched by network name instead.
 */
export function attachmentsByNetwork(model: EngineModel): Map<string, Attachment[]> {
  const idByName = new Map(model.networks.map((n) => [n.name, n.id]));
  const out = new Map<string, Attachment[]>();
  for (const container of model.containers) {
    for (const endpoint of container.endpoints) {
      const networkId = endpoint.networkId || idByName.get(endpoint.networkName === 'default' ? 'bridge' : endpoint.networkName);
      if (!networkId) continue;
      let list = out.get(networkId);
      if (!list) out.set(networkId, (list = []));
      list.push({ container, endpoint });
    }
  }
  return out;
}

/** Containers attached to no known network (`container:<id>` network mode, or a network that is gone). */
export function detachedContainers(model: EngineModel, attachments: Map<string, Attachment[]>): ContainerModel[] {
  const attached = new Set<string>();
  for (const list of attachments.values()) for (const a of list) attached.add(a.container.id);
  return model.containers.filter((c) => !attached.has(c.id));
}

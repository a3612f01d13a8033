// Engine events (`GET /events`, types container and network) applied to the model without a full refresh: a batch of
// events becomes a plan (which containers and networks to re-read, which to drop), the session re-reads only those
// with id-filtered list calls (at most two calls per batch), and applyEventResults merges the answers. Pure.
import type { ApiEvent } from './apiTypes';
import { fillGatewaysFromEndpoints } from './buildModel';
import type { EngineModel } from './model';
import { normalizeContainers } from './normalizeContainers';
import { normalizeNetworks } from './normalizeNetworks';

export interface EngineEvent {
  type: 'container' | 'network';
  /** `start`, `die`, `destroy`, `connect`, …; `exec_start: sh` style actions keep only the part before the colon. */
  action: string;
  /** The container's or the network's id. */
  id: string;
  attributes: Record<string, string>;
}

/** Container actions that change what the views show (state, addresses, ports, name). */
const containerActions = new Set(['create', 'start', 'restart', 'die', 'stop', 'pause', 'unpause', 'rename', 'update', 'destroy']);
const networkActions = new Set(['create', 'destroy', 'remove', 'connect', 'disconnect', 'update']);

/** Event types the session subscribes to (the `/events` `type` filter). */
export const subscribedEventTypes = ['container', 'network'] as const;

export function parseEngineEvent(raw: unknown): EngineEvent | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const e = raw as ApiEvent;
  if (e.Type !== 'container' && e.Type !== 'network') return undefined;
  const action = typeof e.Action === 'string' ? e.Action.split(':')[0]!.trim() : '';
  const id = typeof e.Actor?.ID === 'string' ? e.Actor.ID : '';
  if (!action || !id) return undefined;
  const attributes: Record<string, string> = {};
  const attrs = e.Actor?.Attributes;
  if (attrs && typeof attrs === 'object') for (const [k, v] of Object.entries(attrs)) if (typeof v === 'string') attributes[k] = v;
  return { type: e.Type, action, id, attributes };
}

/** Whether an event changes the model (`exec_start`, `health_status`, `attach`, `kill`, … do not). */
export function isRelevantEvent(e: EngineEvent): boolean {
  return e.type === 'container' ? containerActions.has(e.action) : networkActions.has(e.action);
}

export interface EventPlan {
  refetchContainers: Set<string>;
  removeContainers: Set<string>;
  refetchNetworks: Set<string>;
  removeNetworks: Set<string>;
}

export function isEmptyPlan(p: EventPlan): boolean {
  return !p.refetchContainers.size && !p.removeContainers.size && !p.refetchNetworks.size && !p.removeNetworks.size;
}

/** Folds a batch of events, in order, into what to re-read and what to drop. The last event about an id wins. */
export function planEvents(events: readonly EngineEvent[]): EventPlan {
  const plan: EventPlan = { refetchContainers: new Set(), removeContainers: new Set(), refetchNetworks: new Set(), removeNetworks: new Set() };
  const mark = (refetch: Set<string>, remove: Set<string>, id: string, gone: boolean) => {
    if (gone) {
      refetch.delete(id);
      remove.add(id);
    } else {
      remove.delete(id);
      refetch.add(id);
    }
  };
  for (const e of events) {
    if (!isRelevantEvent(e)) continue;
    if (e.type === 'container') {
      mark(plan.refetchContainers, plan.removeContainers, e.id, e.action === 'destroy');
    } else if (e.action === 'connect' || e.action === 'disconnect') {
      // the network's list entry does not change; the container's endpoints do
      const container = e.attributes.container;
      if (container && !plan.removeContainers.has(container)) plan.refetchContainers.add(container);
    } else {
      mark(plan.refetchNetworks, plan.removeNetworks, e.id, e.action === 'destroy' || e.action === 'remove');
    }
  }
  return plan;
}

function replaceById<T extends { id: string; name: string }>(current: readonly T[], refetchIds: Set<string>, removeIds: Set<string>,
  fresh: readonly T[]): T[] {
  const freshById = new Map(fresh.map((x) => [x.id, x]));
  // an id that was asked for but did not come back is gone (removed between the event and the read)
  const keep = current.filter((x) => !removeIds.has(x.id) && !refetchIds.has(x.id));
  const added = [...freshById.values()].filter((x) => !removeIds.has(x.id));
  return [...keep, ...added].sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Merges the answers of the id-filtered list calls (`containersBody` for plan.refetchContainers, `networksBody` for
 * plan.refetchNetworks; `undefined` when no call was needed) into a new model.
 */
export function applyEventResults(model: EngineModel, plan: EventPlan, containersBody: unknown, networksBody: unknown): EngineModel {
  const containers = plan.refetchContainers.size || plan.removeContainers.size
    ? replaceById(model.containers, plan.refetchContainers, plan.removeContainers,
      normalizeContainers(containersBody).filter((c) => plan.refetchContainers.has(c.id)))
    : model.containers;
  const networks = plan.refetchNetworks.size || plan.removeNetworks.size
    ? replaceById(model.networks, plan.refetchNetworks, plan.removeNetworks,
      normalizeNetworks(networksBody).filter((n) => plan.refetchNetworks.has(n.id)))
    : model.networks;
  const next = { networks, containers };
  if (networks !== model.networks || plan.refetchContainers.size) fillGatewaysFromEndpoints(next);
  return next;
}

/**
 * The network connect and disconnect events of a batch that the model does not show yet: the container (still in the
 * model) lacks the endpoint a connect made, or keeps the one a disconnect removed. The engine sends these events
 * before it saves the container's new endpoints, so a list call made at once can answer with the old ones; the
 * session reads such containers again a little later. Only the last event of a container and network pair counts.
 */
/** The key of a network connect/disconnect event's container and network pair; undefined for any other event. */
export function networkPairKey(e: EngineEvent): string | undefined {
  if (e.type !== 'network' || (e.action !== 'connect' && e.action !== 'disconnect') || !e.attributes.container) return undefined;
  return `${e.attributes.container} ${e.id}`;
}

export function unsettledNetworkEvents(model: EngineModel, events: readonly EngineEvent[]): EngineEvent[] {
  const last = new Map<string, EngineEvent>();
  for (const e of events) {
    const key = networkPairKey(e);
    if (key) last.set(key, e);
  }
  const unsettled: EngineEvent[] = [];
  for (const e of last.values()) {
    const container = model.containers.find((c) => c.id === e.attributes.container);
    if (!container) continue; // gone, or never listed: nothing to wait for
    // a container that is not running lists its endpoints without a network id until it starts: match the name too
    const name = e.attributes.name;
    const attached = container.endpoints.some((ep) => ep.networkId === e.id || (!!name && ep.networkName === name));
    if (attached !== (e.action === 'connect')) unsettled.push(e);
  }
  return unsettled;
}

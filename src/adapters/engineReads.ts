// The engine reads the views are built from, shared by the extension's session and the bench (which counts their
// API calls): a full read is /version + /networks + /containers/json?all=1, whatever the engine holds; an event
// batch is at most two id-filtered list calls.
import { buildEngineModel } from '../core/engine/buildModel';
import { applyEventResults, isEmptyPlan, type EventPlan } from '../core/engine/engineEvents';
import type { EngineModel } from '../core/engine/model';
import type { DockerClient, EngineVersion } from './dockerClient';

export async function readFullEngine(client: DockerClient): Promise<{ version: EngineVersion; model: EngineModel }> {
  const version = await client.connect();
  const [networks, containers] = await Promise.all([client.listNetworks(), client.listContainers()]);
  return { version, model: buildEngineModel(networks, containers) };
}

/** Re-reads what a batch of events touched and returns the updated model (the same object when nothing changed). */
export async function readEventChanges(client: DockerClient, model: EngineModel, plan: EventPlan): Promise<EngineModel> {
  if (isEmptyPlan(plan)) return model;
  const [containers, networks] = await Promise.all([
    plan.refetchContainers.size ? client.listContainers([...plan.refetchContainers]) : undefined,
    plan.refetchNetworks.size ? client.listNetworks([...plan.refetchNetworks]) : undefined,
  ]);
  return applyEventResults(model, plan, containers, networks);
}

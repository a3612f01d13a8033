// "Why can't I reach my container?": the usual causes checked in order, each with its evidence and its fix. Every
// input is read from the engine or the host (the engine model, the sockets listening in the container's namespace,
// the host's rules); where one is missing the step says what would tell (unknown), never a guess. The verdict of a
// connection through the host's rules is a trace (src/core/firewall), as everywhere else.
import type { Listener } from '../engine/procNet';
import type { LiveResult } from './liveProbe';
import { listenerScope } from '../engine/procNet';
import type { ContainerModel, EngineModel, NetworkModel, PortProtocol } from '../engine/model';
import { traceConnection, type FirewallRuleset, type TraceResult } from '../firewall';
import { engineFactsFromModel } from '../firewall/link';

export type StepResult = 'ok' | 'fail' | 'unknown';

export interface ReachStep {
  title: string;
  result: StepResult;
  evidence: string;
  fix?: string;
}

export type ReachSource = { kind: 'outside' } | { kind: 'host' } | { kind: 'container'; container: ContainerModel };

export interface ReachInput {
  model: EngineModel;
  target: ContainerModel;
  /** The container port asked about; undefined: the first published or exposed one. */
  port?: number;
  protocol?: PortProtocol;
  source: ReachSource;
  /** Listening sockets in the target's namespace, or why they could not be read. */
  listeners?: Listener[] | { error: string };
  /** The engine host's rules, when read (the firewall view's helper, or a dump). */
  ruleset?: FirewallRuleset;
  /** The host's address seen from outside. */
  hostAddress?: string;
  /** A real connection made from the source (see liveTarget), or why none was made. */
  live?: { result: LiveResult; to: string } | { unavailable: string };
}

/** Where a live test from `source` connects to: the host port on the host's side, the container's own address from
 *  another container (on a network they share, if any); undefined from outside (this machine is not outside). */
export function liveTarget(input: Pick<ReachInput, 'target' | 'source' | 'port' | 'protocol'>): { address: string; port: number } | undefined {
  const { target, source } = input;
  const protocol = input.protocol ?? 'tcp';
  const port = input.port ?? target.bindings.find((b) => b.protocol === protocol)?.containerStart;
  if (port === undefined || source.kind === 'outside') return undefined;
  if (source.kind === 'host') {
    const b = target.bindings.find((x) => x.protocol === protocol && port >= x.containerStart && port <= x.containerEnd);
    if (!b) return undefined;
    const ip = b.hostIps.find((x) => x !== '0.0.0.0' && x !== '::' && !x.includes(':')) ?? '127.0.0.1';
    return { address: ip, port: b.hostStart + (port - b.containerStart) };
  }
  const shared = target.endpoints.find((e) => e.ipv4 && source.container.endpoints.some((s) => s.networkId === e.networkId));
  const address = shared?.ipv4 ?? target.endpoints.find((e) => e.ipv4)?.ipv4;
  return address ? { address, port } : undefined;
}

export interface ReachResult {
  port?: number;
  protocol: PortProtocol;
  steps: ReachStep[];
  /** The first failing step, if any: the likely cause. */
  cause?: ReachStep;
  trace?: TraceResult;
}

function healthOf(status: string): string | undefined {
  return /\((healthy|unhealthy|health: starting)\)/.exec(status)?.[1];
}

const isDefaultBridge = (n: NetworkModel | undefined) => n?.name === 'bridge' && n.driver === 'bridge';

export function reachChecklist(input: ReachInput): ReachResult {
  const { target, model, source } = input;
  const protocol = input.protocol ?? 'tcp';
  const published = target.bindings.filter((b) => b.protocol === protocol);
  const port = input.port ?? published[0]?.containerStart ?? target.exposed.find((e) => e.protocol === protocol)?.containerStart;
  const steps: ReachStep[] = [];
  const name = target.name;

  // 1. running (and healthy)
  const health = healthOf(target.status);
  steps.push(target.state !== 'running'
    ? { title: `${name} is running`, result: 'fail', evidence: `state: ${target.state} (${target.status})`,
      fix: `docker start ${name}, and check its logs (docker logs ${name})` }
    : health === 'unhealthy'
      ? { title: `${name} is running and healthy`, result: 'fail', evidence: `running, but its healthcheck says unhealthy (${target.status})`,
        fix: `docker inspect --format '{{json .State.Health}}' ${name} shows the failing checks` }
      : { title: `${name} is running${health ? ' and healthy' : ''}`, result: 'ok', evidence: target.status });

  // 2. something listens on the port inside, and on which address
  if (port === undefined) {
    steps.push({ title: 'a port to check', result: 'unknown', evidence: `${name} publishes and exposes no ${protocol} port`,
      fix: 'name the port: reach <container>:<port>' });
  } else if (!input.listeners) {
    steps.push({ title: `something listens on ${port}/${protocol} inside ${name}`, result: 'unknown', evidence: 'the container\'s sockets were not read' });
  } else if ('error' in input.listeners) {
    steps.push({ title: `something listens on ${port}/${protocol} inside ${name}`, result: 'unknown',
      evidence: `the container's sockets could not be read: ${input.listeners.error}` });
  } else {
    const on = input.listeners.filter((l) => l.protocol === protocol && l.port === port);
    const addresses = on.map((l) => (l.family === 'ipv6' ? `[${l.address}]` : l.address)).join(', ');
    if (!on.length) {
      const others = input.listeners.filter((l) => l.protocol === protocol).map((l) => `${l.family === 'ipv6' ? `[${l.address}]` : l.address}:${l.port}`);
      steps.push({ title: `something listens on ${port}/${protocol} inside ${name}`, result: 'fail',
        evidence: `nothing listens on ${port}/${protocol}${others.length ? ` (it listens on ${others.join(', ')})` : ' (no listening sockets at all)'}`,
        fix: `start the app on port ${port}, or publish the port it does listen on` });
    } else if (on.every((l) => listenerScope(l) === 'loopback')) {
      steps.push({ title: `something listens on ${port}/${protocol} inside ${name}, on an address others can reach`, result: 'fail',
        evidence: `it listens on ${addresses}:${port} only: loopback inside the container, which no connection from outside it reaches (docker-proxy and ` +
          `DNAT deliver to the container's own address)`,
        fix: 'make the app listen on 0.0.0.0 (or ::), e.g. --host 0.0.0.0 / bind 0.0.0.0' });
    } else {
      steps.push({ title: `something listens on ${port}/${protocol} inside ${name}`, result: 'ok', evidence: `listening on ${addresses}:${port}` });
    }
  }

  let trace: TraceResult | undefined;
  if (source.kind !== 'container' && port !== undefined) {
    // 3. published, on which host addresses
    const binding = published.find((b) => port >= b.containerStart && port <= b.containerEnd);
    if (!binding) {
      steps.push({ title: `${port}/${protocol} is published on the host`, result: 'fail', evidence: `${name} does not publish ${port}/${protocol}`,
        fix: `publish it: ports: ["${port}:${port}"] in compose, or docker run -p ${port}:${port}` });
    } else {
      const hostPort = binding.hostStart + (port - binding.containerStart);
      const loopbackOnly = binding.hostIps.every((ip) => ip.startsWith('127.') || ip === '::1');
      const where = binding.hostIps.join(', ');
      steps.push(source.kind === 'outside' && loopbackOnly
        ? { title: `${port}/${protocol} is published on an address other hosts reach`, result: 'fail', evidence: `published on ${where}:${hostPort} only`,
          fix: `publish it on 0.0.0.0 or the interface other hosts use (ports: ["${hostPort}:${port}"])` }
        : { title: `${port}/${protocol} is published on the host`, result: 'ok', evidence: `host port ${hostPort} on ${where}` });
      // 4. the host's rules
      if (!input.ruleset) {
        steps.push({ title: 'the host\'s rules let it through', result: 'unknown', evidence: 'the engine host\'s rules were not read',
          fix: 'read them (the firewall view, or --dump with the host\'s iptables-save)' });
      } else {
        const to = source.kind === 'host' ? (loopbackOnly ? binding.hostIps[0]! : '127.0.0.1')
          : (binding.hostIps.find((ip) => ip !== '0.0.0.0' && ip !== '::' && !ip.startsWith('127.')) ?? input.hostAddress);
        trace = traceConnection(input.ruleset,
          { protocol, port: hostPort, from: source.kind === 'host' ? 'localhost' : 'outside', facts: engineFactsFromModel(model),
          ...(to ? { toAddress: to } : {}) });
        const ok = trace.verdict.kind === 'container' || trace.verdict.kind === 'docker-proxy';
        const evidence = `trace from ${source.kind === 'host' ? 'the host' : 'outside'}: ${trace.verdict.text}`;
        const unread = trace.assumptions.filter((a) => a.startsWith('rule ') || a.startsWith('the destination')).join('; ');
        steps.push(trace.undetermined
          ? { title: 'the host\'s rules let it through', result: 'unknown', evidence: `${evidence}, but ${unread}`,
            fix: 'read the rules as `nft list ruleset` or iptables-save text, which show every match' }
          : { title: 'the host\'s rules let it through', result: ok ? 'ok' : 'fail', evidence,
            ...(ok ? {} : { fix: 'see the trace in the firewall view: the rule that decided is linked there' }) });
      }
    }
  }

  if (source.kind === 'container') {
    const from = source.container;
    const targetNets = new Set(target.endpoints.map((e) => e.networkId));
    const shared = from.endpoints.filter((e) => targetNets.has(e.networkId)).map((e) => model.networks.find((n) => n.id === e.networkId))
      .filter((n): n is NetworkModel => !!n);
    // 5. name resolution
    const userShared = shared.filter((n) => !isDefaultBridge(n));
    steps.push(userShared.length
      ? { title: `the name ${name} resolves from ${from.name}`, result: 'ok',
        evidence: `Docker's embedded DNS answers on ${userShared.map((n) => n.name).join(', ')}` }
      : shared.length
        ? { title: `the name ${name} resolves from ${from.name}`, result: 'fail',
          evidence: 'they share only the default bridge, which has no DNS for container names',
          fix: `put both on a user-defined network (docker network create app; docker network connect app ${name}; … ${from.name}), or use the IP address` }
        : { title: `the name ${name} resolves from ${from.name}`, result: 'fail', evidence: 'they share no network, so no DNS server of theirs knows the other',
          fix: `docker network connect <a network of ${name}> ${from.name}` });
    // 6. a shared network, and ICC on it
    const open = shared.filter((n) => n.icc);
    steps.push(!shared.length
      ? { title: `${from.name} and ${name} share a network`, result: 'fail',
        evidence: `${from.name} is on ${from.endpoints.map((e) => e.networkName).join(', ') || 'no network'}; ${name} ` +
        `on ${target.endpoints.map((e) => e.networkName).join(', ') || 'no network'}: Docker isolates networks from each other`,
        fix: `docker network connect ${target.endpoints[0]?.networkName ?? '<network>'} ${from.name}` }
      : !open.length
        ? { title: `${from.name} and ${name} may talk on a shared network`, result: 'fail',
          evidence: `they share ${shared.map((n) => n.name).join(', ')}, where inter-container communication is off (icc=false)`,
          fix: 'use a network with ICC on, or publish the port and connect through the host' }
        : { title: `${from.name} and ${name} share a network`, result: 'ok', evidence: `both on ${open.map((n) => n.name).join(', ')}` });
  }

  if (input.live) {
    const fromLabel = source.kind === 'outside' ? 'outside' : source.kind === 'host' ? 'the host' : source.container.name;
    if ('unavailable' in input.live) {
      steps.push({ title: `a real connection from ${fromLabel}`, result: 'unknown', evidence: input.live.unavailable });
    } else {
      // a step that already failed explains a failed connection; a disagreement is called out only when none does
      const explained = steps.some((st) => st.result === 'fail');
      const { result, to } = input.live;
      steps.push({ title: `a real connection from ${fromLabel} to ${to}`, result: result.reached ? 'ok' : 'fail', evidence: result.text });
      const traced = trace && !trace.undetermined ? trace.verdict.kind === 'container' || trace.verdict.kind === 'docker-proxy' : undefined;
      if (traced !== undefined && traced !== result.reached && !(explained && !result.reached)) {
        steps.push({ title: 'the live test and the trace agree', result: 'fail',
          evidence: `they disagree: the trace says ${trace!.verdict.text}; the live test: ${result.text}`,
          fix: 'something the rules do not show decides (the app, a rule outside the dump, rules changed since they were read): read the rules again' });
      }
    }
  }

  const cause = steps.find((s) => s.result === 'fail');
  return { ...(port !== undefined ? { port } : {}), protocol, steps, ...(cause ? { cause } : {}), ...(trace ? { trace } : {}) };
}

// The rules: the compose model -> findings (before severities are applied). Each rule is one function.
import type { CalibrationChoice } from '../cost/calibration';
import { addressFamilies, costNote, costOfPortCounts, describeCost, formatCount, portCount } from '../cost/dockerProxyCost';
import type { BindingCost, BindingGroup, CostOptions } from '../cost/dockerProxyCost';
import { defaultSeverities, type FindingCode, type Severity, type SeveritySetting } from './findings';
import { hostPortConflicts } from './hostPortConflicts';
import type { ComposeProject, NetworkDefinition, PortEntry, ServiceModel, SourceRange } from './model';
import { defaultBridgeNameResolution } from './nameResolution';
import { networkConfigFindings } from './networkConfig';
import { subnetOverlaps } from './subnetOverlap';
import type { EngineNetwork } from './subnetOverlap';
import { undefinedNetworks } from './undefinedNetwork';
import type { PortInterval } from '../net/portInterval';
import { formatHostIp, isWildcardIp } from '../net/addresses';
import type { PortProtocol } from '../net/portInterval';

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

export interface RuleOptions {
  /** Published host ports in one service from which `port-range-proxy-cost` fires. Default 100. */
  proxyCostThresholdPorts?: number;
  /** From the engine when it says; undefined: unknown, the default (on) is assumed and said. */
  userlandProxy?: boolean;
  /** `userlandProxy` came from the engine's `/info` (the messages say so), not from a setting. */
  userlandProxyReported?: boolean;
  /** Whose measurements the cost figures use (see src/core/cost/calibration.ts); undefined: the newest. */
  calibration?: CalibrationChoice;
  runningBindings?: readonly RunningBinding[];
  /** The connected engine's version (`28.5.2`): how a host-port clash fails differs between engines (hostPortClaims.ts).
   *  Undefined: no engine, the messages give both errors. */
  engineVersion?: string;
  /** The compose project name, to recognise this project's own running containers (analyzeCompose works it out
   *  as compose does when it is not given). */
  projectName?: string;
  /** The project's folder (absolute): a running container whose compose working_dir is this folder is this project's. */
  projectDir?: string;
  /** The connected engine's networks and subnets (engineNetworksOf), for subnet-overlap; undefined: no engine. */
  engineNetworks?: readonly EngineNetwork[];
  /** Profiles enabled for `up`; undefined: every service is analysed. */
  activeProfiles?: readonly string[];
  /** The firewall the connected engine's host runs (`ufw`, `firewalld`), found in the rules the firewall view read:
   *  Docker's rules bypass it, so `published-on-all-interfaces` is on (a warning) unless the user set it. */
  hostFirewall?: string;
}

/** A code's severity when the user has not set one: `published-on-all-interfaces` is on where the engine's host runs
 *  a firewall Docker bypasses. */
export function defaultSeverityFor(code: FindingCode, options: Pick<RuleOptions, 'hostFirewall'>): SeveritySetting {
  return code === 'published-on-all-interfaces' && options.hostFirewall ? 'warning' : defaultSeverities[code];
}

export interface RuleFinding {
  code: FindingCode;
  message: string;
  range: SourceRange;
  service?: string;
  related?: { message: string; range: SourceRange }[];
  /** A default for this case when the user has not set the code's severity (e.g. error for `service:` mode). */
  severity?: Severity;
  fixes?: FixRequest[];
}

/** A fix to compute over a file's text (fixes.ts), described as data so rules stay free of text surgery. */
export type FixRequest =
  | { kind: 'use-host-network'; service: string; file: string; isPreferred: boolean }
  | { kind: 'bind-to-loopback'; entry: SourceRange; isPreferred: boolean }
  | { kind: 'remove-port-entry'; entry: SourceRange; isPreferred: boolean }
  | { kind: 'leave-default-bridge'; services: string[]; file: string; isPreferred: boolean }
  | { kind: 'add-network'; network: string; file: string; isPreferred: boolean };

export const defaultProxyCostThresholdPorts = 100;

/** network_mode values under which compose does not publish `ports`. */
export function networkModeKind(mode: string | undefined): 'host' | 'none' | 'service' | 'container' | undefined {
  if (!mode) return undefined;
  if (mode === 'host' || mode === 'none') return mode;
  if (mode.startsWith('service:')) return 'service';
  if (mode.startsWith('container:')) return 'container';
  return undefined;
}

/** The engine-side binding group of a port entry: the host ports it will really occupy. */
export function bindingGroupOf(p: PortEntry): BindingGroup {
  // no host port: one ephemeral host port per container port; a host range to one container port: one port of it
  const hostPorts = p.published && !p.publishedIsPool ? p.published : { start: p.target.start, end: p.target.end };
  return p.hostIp ? { hostIp: p.hostIp, protocol: p.protocol, hostPorts } : { protocol: p.protocol, hostPorts };
}

/** Ports that will be published for a service (none when its network_mode discards them). */
export function publishedEntries(svc: ServiceModel): PortEntry[] {
  return networkModeKind(svc.networkMode?.value) ? [] : svc.ports;
}

/** costOfBindings over the service's binding groups, summed in place (no group objects: runs for every service). */
export function serviceCost(svc: ServiceModel, options: CostOptions): BindingCost {
  let hostPorts = 0;
  let processes = 0;
  for (const p of publishedEntries(svc)) {
    const n = p.published && !p.publishedIsPool ? portCount(p.published) : portCount(p.target);
    if (n <= 0) continue;
    hostPorts += n;
    processes += n * addressFamilies(p.hostIp);
  }
  return costOfPortCounts(hostPorts, processes, options);
}

export function isServiceActive(svc: ServiceModel, activeProfiles: readonly string[] | undefined): boolean {
  if (!activeProfiles || !svc.profiles.length) return true;
  // compose: `*` enables every profile
  return svc.profiles.some((p) => activeProfiles.includes(p)) || activeProfiles.includes('*');
}

/** Runs the rules whose code `enabled` accepts (a rule switched off costs nothing). Rules that look at one service
 *  at a time push their findings into `out`: most services have none, and an empty array per service is garbage. */
export function runRules(project: ComposeProject, options: RuleOptions, enabled: (code: FindingCode) => boolean = () => true): RuleFinding[] {
  const services: ServiceModel[] = [];
  for (const s of project.services.values()) if (isServiceActive(s, options.activeProfiles)) services.push(s);
  const out: RuleFinding[] = [];
  if (enabled('port-range-proxy-cost')) for (const s of services) proxyCost(s, options, out);
  if (enabled('host-port-conflict')) hostPortConflicts(services, project.networks, options, out);
  if (enabled('ports-ignored-by-network-mode')) for (const s of services) portsIgnoredByNetworkMode(s, out);
  if (enabled('published-port-unreachable')) for (const s of services) publishedPortUnreachable(s, project.networks, out);
  if (enabled('published-on-all-interfaces')) for (const s of services) publishedOnAllInterfaces(s, options.hostFirewall, out);
  if (enabled('default-bridge-no-dns')) for (const f of defaultBridgeNameResolution(services)) out.push(f);
  if (enabled('undefined-network')) undefinedNetworks(services, project, out);
  if (enabled('invalid-network-config')) networkConfigFindings(services, project.networks, out, options.engineVersion);
  if (enabled('subnet-overlap')) subnetOverlaps(project.networks, options.engineNetworks, options.projectName, out);
  if (enabled('invalid-compose-file')) for (const s of services) networkModeWithNetworks(s, out);
  return out;
}

/** compose 2.40.3 refuses the project: "service a declares mutually exclusive `network_mode` and `networks`". */
function networkModeWithNetworks(svc: ServiceModel, out: RuleFinding[]): void {
  if (!svc.networkMode || !svc.networks?.length) return;
  out.push({
    code: 'invalid-compose-file', service: svc.name, range: svc.networkMode.range,
    message: `${svc.name} declares mutually exclusive \`network_mode\` and \`networks\`: compose refuses the project (remove one of them)`,
    related: [{ message: `networks of ${svc.name}`, range: svc.networks[0]!.range }],
  });
}

function portsRange(svc: ServiceModel): SourceRange {
  return svc.portsKeyRange ?? svc.ports[0]?.range ?? svc.nameRange;
}

function defaultsNote(entries: PortEntry[]): string {
  const used = new Map<string, string>();
  for (const e of entries) for (const d of e.defaultsUsed) used.set(d.name, d.value);
  return used.size ? ` (with the defaults: ${[...used].map(([n, v]) => `${n}=${v}`).join(', ')})` : '';
}

/** serviceCost(svc).hostPorts, without the cost object (every service is checked against the threshold). */
function publishedHostPorts(svc: ServiceModel): number {
  let hostPorts = 0;
  for (const p of publishedEntries(svc)) {
    const n = p.published && !p.publishedIsPool ? portCount(p.published) : portCount(p.target);
    if (n > 0) hostPorts += n;
  }
  return hostPorts;
}

function proxyCost(svc: ServiceModel, options: RuleOptions, out: RuleFinding[]): void {
  const entries = publishedEntries(svc);
  const threshold = options.proxyCostThresholdPorts ?? defaultProxyCostThresholdPorts;
  if (!entries.length || publishedHostPorts(svc) < threshold) return;
  const cost = serviceCost(svc, options);
  const note = costNote(cost);
  const big = [...entries].sort((a, b) => portCount(bindingGroupOf(b).hostPorts) - portCount(bindingGroupOf(a).hostPorts)).slice(0, 3);
  out.push({
    code: 'port-range-proxy-cost',
    service: svc.name,
    range: portsRange(svc),
    message: `${svc.name} publishes ${formatCount(cost.hostPorts)} host ports${defaultsNote(entries)} → ${describeCost(cost)}`
      + `; ${note}. Threshold: ${formatCount(threshold)} ports.`,
    related: big.map((e) => ({ message: `${e.text}: ${formatCount(portCount(bindingGroupOf(e).hostPorts))} ports`, range: e.range })),
    fixes: [{ kind: 'use-host-network', service: svc.name, file: portsRange(svc).file, isPreferred: true }],
  });
}

function portsIgnoredByNetworkMode(svc: ServiceModel, out: RuleFinding[]): void {
  const kind = networkModeKind(svc.networkMode?.value);
  if (!kind || (!svc.ports.length && !svc.unresolvedPorts.length)) return;
  const mode = svc.networkMode!;
  const n = svc.ports.length + svc.unresolvedPorts.length;
  const entries = `${n} port ${n === 1 ? 'entry' : 'entries'}`;
  const text: Record<typeof kind, { message: string; severity: Severity }> = {
    host: { severity: 'warning', message: `network_mode: host: compose discards the ${entries} of ${svc.name}; the service listens on the host's own interfaces directly (remove ports:, or drop network_mode: host to publish them).` },
    none: { severity: 'warning', message: `network_mode: none: ${svc.name} has no network, the ${entries} can never be reached.` },
    service: { severity: 'error', message: `network_mode: ${mode.value}: ${svc.name} shares another service's network stack and cannot publish ports; the engine refuses to start it (publish the ${entries} on that service instead).` },
    container: { severity: 'error', message: `network_mode: ${mode.value}: ${svc.name} shares a container's network stack and cannot publish ports; the engine refuses to start it (publish them on that container instead).` },
  };
  out.push({
    code: 'ports-ignored-by-network-mode', service: svc.name, range: portsRange(svc), severity: text[kind].severity,
    message: text[kind].message, related: [{ message: `network_mode: ${mode.value}`, range: mode.range }],
  });
}

const unreachableDrivers = new Set(['ipvlan', 'macvlan']);

const unreachableWhy = (d: NetworkDefinition) => d.internal ? 'internal: true' : d.driver && unreachableDrivers.has(d.driver) ? `driver ${d.driver}` : undefined;

/** Whether every network the service is attached to is known, not external, and unreachable from the host. */
function onlyOnUnreachableNetworks(svc: ServiceModel, networks: Map<string, NetworkDefinition>): boolean {
  if (!svc.networks?.length) {
    const d = networks.get('default');
    return !!d && !d.external && !!unreachableWhy(d);
  }
  // unknown or external networks: not decidable from the file
  for (const n of svc.networks) { const d = networks.get(n.name); if (!d || d.external) return false; }
  for (const n of svc.networks) if (!unreachableWhy(networks.get(n.name)!)) return false;
  return true;
}

function publishedPortUnreachable(svc: ServiceModel, networks: Map<string, NetworkDefinition>, out: RuleFinding[]): void {
  if (networkModeKind(svc.networkMode?.value) || !svc.ports.length || !onlyOnUnreachableNetworks(svc, networks)) return;
  const attached = svc.networks?.length ? svc.networks.map((n) => n.name) : ['default'];
  const defs = attached.map((n) => networks.get(n));
  const why = unreachableWhy;
  const names = defs.map((d) => `${d!.name} (${why(d!)})`).join(', ');
  out.push({
    code: 'published-port-unreachable', service: svc.name, range: portsRange(svc),
    message: `${svc.name} is attached only to ${names}: its ${svc.ports.length} published port ${svc.ports.length === 1 ? 'entry' : 'entries'} can never be reached from the host`
      + ' (internal networks have no route out; ipvlan/macvlan containers are not NATed through the host). Attach a bridge network too, or drop ports:.',
    related: defs.map((d) => ({ message: `network ${d!.name}: ${why(d!)}`, range: d!.range })),
  });
}

const internalLooking = /(postgres|mysql|mariadb|redis|mongo|memcached|elasticsearch|opensearch|rabbitmq|kafka|zookeeper|nats|etcd|clickhouse|cassandra|minio|db\b)/i;
const internalPorts = new Set([3306, 5432, 6379, 27017, 11211, 9200, 9300, 5672, 9092, 2181, 4222, 2379, 8123, 9042, 9000]);

function publishedOnAllInterfaces(svc: ServiceModel, hostFirewall: string | undefined, out: RuleFinding[]): void {
  for (const e of publishedEntries(svc)) {
    if (e.hostIp && !isWildcardIp(e.hostIp)) continue;
    const looksInternal = internalLooking.test(svc.image ?? '') || internalLooking.test(svc.name) || internalPorts.has(e.target.start);
    const where = e.hostIp ? formatHostIp(e.hostIp) : '0.0.0.0 and [::]';
    const fixes: FixRequest[] = [{ kind: 'bind-to-loopback', entry: e.range, isPreferred: looksInternal }];
    const bypass = hostFirewall
      ? `this engine's host runs ${hostFirewall}; Docker's rules bypass it (its DNAT and FORWARD rules run before ${hostFirewall}'s INPUT rules), so the port is reachable from any network that reaches the host.`
      : 'every interface of the host, and Docker\'s iptables rules bypass ufw/firewalld.';
    out.push({
      code: 'published-on-all-interfaces' as const, service: svc.name, range: e.range, fixes,
      ...(hostFirewall ? { severity: 'warning' as const } : {}),
      message: `${e.text} is published on ${where}: ${bypass}`
        + (looksInternal ? ` ${svc.name} looks internal: bind it to 127.0.0.1.` : ' Bind it to 127.0.0.1 unless other machines need it.'),
    });
  }
}


// `host-port-conflict`: compose entries (and running containers) that claim the same host port, address and protocol
// (hostPortClaims.ts says when claims clash). One finding per entry that clashes with earlier ones, not one per pair.
import { formatCount } from '../../cost/dockerProxyCost';
import type { PortProtocol } from '../../net/portInterval';
import { removePortEntryEditsIn } from '../fixes';
import { forEachClash, pushClaims, wildcardRefusalOf } from '../hostPortClaims';
import type { ClashKind, HostPortClaim, WildcardRefusal } from '../hostPortClaims';
import type { NetworkDefinition, PortEntry, ServiceModel, SourceRange } from '../model';
import { formatHostIp, ipFamily, isWildcardIp } from '../../net/addresses';
import { publishedEntries } from '../publishedPorts';
import type { RunningBinding } from '../runningBindings';
import type { ComposeRule, FindingsOut, FixKind, FixRequestBase, RuleFinding, RuleOptions } from './rule';

/** "Remove the duplicate port": a service's entry that clashes with another entry of the same service. */
interface RemovePortEntryRequest extends FixRequestBase<'remove-port-entry'> {
  entry: SourceRange;
}

const removePortEntryFix: FixKind<RemovePortEntryRequest> = {
  kind: 'remove-port-entry',
  resolve(f, yamlByFile) {
    const yaml = yamlByFile.get(f.entry.file);
    if (!yaml) return undefined;
    const edits = removePortEntryEditsIn(yaml, f.entry.start);
    return edits && { title: 'Remove the duplicate port', isPreferred: f.isPreferred, edits };
  },
};

export const hostPortConflictRule: ComposeRule<'host-port-conflict', RemovePortEntryRequest> = {
  code: 'host-port-conflict',
  defaultSeverity: 'error',
  summary: 'Two services, or a service and a running container, publish the same host port on overlapping addresses: the second to start fails.',
  run: ({ services, project, options }, out) => hostPortConflicts(services, project.networks, options, out),
  fixes: [removePortEntryFix],
};

type ConflictFinding = RuleFinding<'host-port-conflict', RemovePortEntryRequest>;

interface ClaimOwner {
  service?: ServiceModel;
  entry?: PortEntry;
  running?: RunningBinding;
}

function describeClaimAddress(c: HostPortClaim<ClaimOwner>): string {
  return formatHostIp(c.address);
}

function samePortSpec(a: PortEntry, b: PortEntry): boolean {
  return (a.hostIp ?? '') === (b.hostIp ?? '') && a.protocol === b.protocol
    && a.published?.start === b.published?.start && a.published?.end === b.published?.end
    && a.target.start === b.target.start && a.target.end === b.target.end;
}

/** Whether `a`'s compose entry comes after `b`'s in the files (file name, then offset; running containers first). */
function comesLater(a: HostPortClaim<ClaimOwner>, b: HostPortClaim<ClaimOwner>): boolean {
  const ea = a.owner.entry;
  const eb = b.owner.entry;
  const fa = ea ? ea.range.file : '';
  const fb = eb ? eb.range.file : '';
  return fa > fb || (fa === fb && (ea ? ea.range.start : -1) > (eb ? eb.range.start : -1));
}

/** Message parts that are always written together, as one string each (fewer parts, fewer strings per message). */
const protocolOn: Record<PortProtocol, string> = { tcp: '/tcp on ', udp: '/udp on ', sctp: '/sctp on ' };
/** The error a clash gives, per kind, as the engine at hand words it (`how`) and as a message's tail (`failsWith`). */
interface ClashTexts { how: Record<ClashKind, string>; failsWith: Record<ClashKind, string> }
const allocated = '"port is already allocated"';
const wildcardHow: Record<WildcardRefusal, string> = {
  'already-allocated': `${allocated} (a wildcard address and a specific one share the port)`,
  'address-in-use': '"address already in use" (a wildcard address and a specific one cannot both be bound)',
  either: `"address already in use" (Engine 27 and older) or ${allocated} (Engine 28 and later): a wildcard address and a specific one cannot share the port`,
};
/** How the second of two clashing containers fails on an engine of this version (undefined: not known, both errors). */
export function howClashFails(kind: ClashKind, engineVersion: string | undefined): string {
  return clashTextsOf[wildcardRefusalOf(engineVersion)].how[kind];
}
const clashTextsOf = Object.fromEntries((Object.keys(wildcardHow) as WildcardRefusal[]).map((r) => {
  const how = { 'same-address': allocated, wildcard: wildcardHow[r] };
  return [r,
    { how, failsWith: { 'same-address': `: whichever starts second fails with ${how['same-address']}.`,
    wildcard: `: whichever starts second fails with ${how.wildcard}.` } }];
})) as Record<WildcardRefusal, ClashTexts>;

/**
 * Whether the service may sit on a network with IPv6: without the userland proxy the engine binds IPv6 host ports only
 * then (hostPortClaims.ts). External networks and the default bridge (the daemon's `ipv6` setting): cannot tell, so yes.
 */
export function mayHaveIpv6(svc: ServiceModel, networks: Map<string, NetworkDefinition>): boolean {
  if (svc.networkMode) return true;
  if (!svc.networks?.length) return !!networks.get('default')?.enableIpv6 || !!networks.get('default')?.external;
  return svc.networks.some((n) => { const d = networks.get(n.name); return !d || d.external || d.enableIpv6; });
}

function hostPortConflicts(
  services: readonly ServiceModel[], networks: Map<string, NetworkDefinition>, options: RuleOptions,
  out: FindingsOut<'host-port-conflict', RemovePortEntryRequest>,
): void {
  const claims: HostPortClaim<ClaimOwner>[] = [];
  for (const svc of services) {
    const ipv6 = options.userlandProxy !== false || mayHaveIpv6(svc, networks);
    for (const entry of publishedEntries(svc)) {
      // ephemeral ports and host-range pools are chosen free by the engine: they do not clash
      if (!entry.published || entry.publishedIsPool) continue;
      pushClaims(claims, entry.hostIp, entry.protocol, entry.published, { service: svc, entry }, ipv6);
    }
  }
  const serviceNames = options.runningBindings?.length ? new Set(services.map((s) => s.name)) : undefined;
  for (const running of options.runningBindings ?? []) {
    const sameProject = (running.composeProject !== undefined && running.composeProject === options.projectName)
      || (running.composeWorkingDir !== undefined && running.composeWorkingDir === options.projectDir);
    const replacedByUp = sameProject && running.composeService !== undefined && serviceNames!.has(running.composeService);
    if (!replacedByUp) pushClaims(claims, running.hostIp, running.protocol, running.hostPorts, { running });
  }
  const canRunTogether = (a: ServiceModel, b: ServiceModel) =>
    options.activeProfiles !== undefined || !a.profiles.length || !b.profiles.length || a.profiles.some((p) => b.profiles.includes(p));

  const skip = (a: ClaimOwner, b: ClaimOwner) =>
    (!a.entry && !b.entry) || (!!a.service && !!b.service && a.service !== b.service && !canRunTogether(a.service, b.service));

  // one finding per compose entry (per service) that clashes with earlier ones: the first clash found words it, the
  // others are counted and the first few named (500 services on one port were 124,750 findings, one per pair)
  const found = new Map<ClaimOwner, ClashesOfClaim>();
  /** Records that `second` (later in the files) clashes with `first`, unless that side is counted already. */
  const record = (first: HostPortClaim<ClaimOwner>, second: HostPortClaim<ClaimOwner>, kind: ClashKind): void => {
    let clashes = found.get(second.owner);
    if (first.owner.running) {
      // the engine lists a container's 0.0.0.0 and :: bindings apart: one side per container
      if (clashes?.containers?.has(first.owner.running.container)) return;
    } else if (second.family === 'ipv6' && alsoClashOnIpv4(first.owner, second.owner)) return; // counted there
    if (!clashes) found.set(second.owner, (clashes = { first, second, kind, count: 0 }));
    if (first.owner.running) (clashes.containers ??= new Set()).add(first.owner.running.container);
    clashes.count++;
    if (clashes.count === 1) return;
    const others = (clashes.others ??= []);
    if (others.length <= namedOthers) others.push(first.owner.running ? `container ${first.owner.running.container}` : first.owner.service!.name);
    const related = (clashes.related ??= []);
    if (first.owner.entry && related.length < namedOthers) related.push(first.owner);
  };
  const onPair = (a: HostPortClaim<ClaimOwner>, b: HostPortClaim<ClaimOwner>, kind: ClashKind) => {
    // report on the compose entry that comes later in the files; a running container is always the "earlier" side
    if (comesLater(a, b)) record(b, a, kind); else record(a, b, kind);
  };

  // identical claims (same protocol, address and ports) all clash with each other: the sweep hands them over as twins
  // of the first (pairs with it stand for the group), and a group is counted in one pass when nothing (profiles,
  // running containers) leaves pairs out of it
  let twins: Map<HostPortClaim<ClaimOwner>, HostPortClaim<ClaimOwner>[]> | undefined;
  const each = (c: HostPortClaim<ClaimOwner>, fn: (x: HostPortClaim<ClaimOwner>) => void) => {
    fn(c);
    const more = twins?.get(c);
    if (more) for (const t of more) fn(t);
  };
  forEachClash(claims, (a, b, kind) => {
    if (!twins?.has(a) && !twins?.has(b)) { if (!skip(a.owner, b.owner)) onPair(a, b, kind); return; }
    each(a, (x) => each(b, (y) => { if (x.owner !== y.owner && !skip(x.owner, y.owner)) onPair(x, y, kind); }));
  }, undefined, (first, twin) => {
    const list = (twins ??= new Map()).get(first);
    if (list) list.push(twin); else twins.set(first, [twin]);
  });
  for (const [first, more] of twins ?? []) {
    const members = [first, ...more];
    const plain = members.every((m) => m.owner.entry && (options.activeProfiles !== undefined || !m.owner.service!.profiles.length));
    if (plain) countGroup(members, record, found);
    else for (let j = 1; j < members.length; j++) for (let i = 0; i < j; i++) if (!skip(members[i]!.owner, members[j]!.owner)) onPair(members[i]!, members[j]!,
      'same-address');
  }

  const texts = clashTextsOf[wildcardRefusalOf(options.engineVersion)];
  const shared: SharedTexts = { first: undefined, kind: undefined, alsoPublished: '', alsoPublishedTail: '', relatedMessage: '' };
  for (const clashes of found.values()) out.push(conflictFinding(clashes, texts, shared));
}

/**
 * The clashes inside a group of identical compose claims, none left out by profiles, in one pass: in file order each
 * member clashes with every one before it, except that two entries without a host IP are counted on IPv4 only. The
 * first few are recorded one by one (they are named), the rest only counted.
 */
function countGroup(
  members: HostPortClaim<ClaimOwner>[], record: (first: HostPortClaim<ClaimOwner>, second: HostPortClaim<ClaimOwner>, kind: ClashKind) => void,
  found: Map<ClaimOwner, ClashesOfClaim>,
): void {
  members.sort((x, y) => (comesLater(x, y) ? 1 : comesLater(y, x) ? -1 : 0));
  const ipv6 = members[0]!.family === 'ipv6';
  const named = namedOthers + 2;
  const earlier: HostPortClaim<ClaimOwner>[] = [];
  const earlierWithHostIp: HostPortClaim<ClaimOwner>[] = [];
  let withHostIp = 0;
  for (let i = 0; i < members.length; i++) {
    const m = members[i]!;
    const hasHostIp = m.owner.entry!.hostIp !== undefined;
    // on IPv6, two entries without a host IP clash on IPv4 too, and are counted there
    const sides = ipv6 && !hasHostIp ? earlierWithHostIp : earlier;
    const total = ipv6 && !hasHostIp ? withHostIp : i;
    for (const side of sides) record(side, m, 'same-address');
    if (total > sides.length) found.get(m.owner)!.count += total - sides.length;
    if (earlier.length < named) earlier.push(m);
    if (hasHostIp) { withHostIp++; if (earlierWithHostIp.length < named) earlierWithHostIp.push(m); }
  }
}

/** How many other sides a finding names (in its message and its related places) beyond the one it is worded with. */
const namedOthers = 10;

/** What one compose entry's claims clash with: the first clash found, and the other sides after it. */
interface ClashesOfClaim {
  first: HostPortClaim<ClaimOwner>;
  second: HostPortClaim<ClaimOwner>;
  kind: ClashKind;
  /** Other sides, the first included. */
  count: number;
  /** Names of the other sides after the first: at most namedOthers + 1 (one more says there are more). Made with
   *  the second side (most entries clash once). */
  others?: string[];
  /** Compose entries among them, for the related places: at most namedOthers. */
  related?: ClaimOwner[];
  /** Running containers counted, by name. */
  containers?: Set<string>;
}

/** Whether two compose entries also clash on IPv4 (the same entries' IPv6 clash is then not another side). */
function alsoClashOnIpv4(a: ClaimOwner, b: ClaimOwner): boolean {
  const x = ipv4AddressOf(a.entry!);
  const y = ipv4AddressOf(b.entry!);
  return x !== undefined && y !== undefined && (x === y || x === '0.0.0.0' || y === '0.0.0.0');
}

function ipv4AddressOf(entry: PortEntry): string | undefined {
  if (!entry.hostIp) return '0.0.0.0';
  if (ipFamily(entry.hostIp) !== 'ipv4') return undefined;
  return isWildcardIp(entry.hostIp) ? '0.0.0.0' : entry.hostIp;
}

/**
 * The text about a finding's other side, kept while consecutive findings share it: one wide range against many ports
 * is the usual way to get thousands of findings, and each would make the same strings (they are immutable: shared).
 */
interface SharedTexts {
  first: HostPortClaim<ClaimOwner> | undefined;
  kind: ClashKind | undefined;
  alsoPublished: string;
  alsoPublishedTail: string;
  relatedMessage: string;
}

function conflictFinding(clashes: ClashesOfClaim, { how: howOf, failsWith: failsWithOf }: ClashTexts, shared: SharedTexts): ConflictFinding {
  const { first, second, kind } = clashes;
  const entry = second.owner.entry!;
  const start = Math.max(first.ports.start, second.ports.start);
  const end = Math.min(first.ports.end, second.ports.end);
  const many = end > start;
  // `host ports 8000-8001/tcp on 127.0.0.1 are `: fewer, longer parts (each part of a template is one more string)
  const ports = many ? `host ports ${start}-${end}` : `host port ${start}`;
  const head = `${ports}${protocolOn[second.protocol]}${describeClaimAddress(second)}${many ? ' are ' : ' is '}`;
  const how = howOf[kind];
  const svcName = second.owner.service!.name;
  const more = clashes.count > 1 ? moreOthers(clashes) : '';
  if (first.owner.running) {
    return {
      code: 'host-port-conflict', service: svcName, range: entry.range,
      message: `${head}already published by running container `
        + `"${first.owner.running.container}" (${formatHostIp(first.owner.running.hostIp)}): starting ${svcName} fails with ${how}.${more}`,
      related: relatedOf(clashes),
    };
  }
  const other = first.owner.service!;
  if (first !== shared.first || kind !== shared.kind) {
    shared.first = first;
    shared.kind = kind;
    shared.alsoPublished = `also published by ${other.name} (${describeClaimAddress(first)})`;
    shared.alsoPublishedTail = `${shared.alsoPublished}${failsWithOf[kind]}`;
    shared.relatedMessage = `also published by ${other.name}: ${first.owner.entry!.text}`;
  }
  const sameService = other === second.owner.service;
  const duplicate = sameService && samePortSpec(first.owner.entry!, entry);
  // both sides inherit the very same entry (extends): point at the extends that copies it
  const inherited = first.owner.entry === entry && second.owner.service!.extends;
  const message = sameService
    ? `${head}published twice by ${svcName}: ${duplicate ? 'a duplicate entry; ' : ''}the container fails to start with ${how}.`
    : inherited ? `${head}${shared.alsoPublished}, through extends (${entry.text})${failsWithOf[kind]}` : `${head}${shared.alsoPublishedTail}`;
  const firstRelated = { message: shared.relatedMessage, range: first.owner.entry!.range };
  return {
    code: 'host-port-conflict', service: svcName, range: inherited ? inherited.range : entry.range,
    message: more ? message + more : message,
    related: clashes.related ? [firstRelated, ...relatedOf(clashes)] : [firstRelated],
    fixes: sameService ? [{ kind: 'remove-port-entry', entry: entry.range, isPreferred: duplicate }] : undefined,
  };
}

function relatedOf(clashes: ClashesOfClaim): { message: string; range: SourceRange }[] {
  return (clashes.related ?? []).map((o) => ({ message: `also published by ${o.service!.name}: ${o.entry!.text}`, range: o.entry!.range }));
}

/** ` Also published by 498 others: s1, s2, …, s10, ….` after the first side's text; empty when there is one side. */
function moreOthers(clashes: ClashesOfClaim): string {
  const extra = clashes.count - 1;
  if (extra === 0) return '';
  const names = (clashes.others ?? []).slice(0, namedOthers).join(', ');
  return ` Also published by ${formatCount(extra)} ${extra === 1 ? 'other' : 'others'}: ${names}${extra > namedOthers ? ', …' : ''}.`;
}

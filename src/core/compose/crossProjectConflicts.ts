// `host-port-conflict` across projects: compose files of different projects (two folders, two `name:`s) that publish
// the same host port. Each project is analysed on its own (analyzeCompose); this takes those analyses and returns, for
// one of them, its entries whose host ports another project's entries claim too, with the other entry as a related
// place. Both projects get the finding: whichever is started second is refused. docker-compose 2.40.3 on Engine 28.5.2:
// `up` of the second project fails with `Bind for 0.0.0.0:8080 failed: port is already allocated`
// (test/engine/crossProjectPorts.test.ts).
//
// Compose's identity of a project is its name (COMPOSE_PROJECT_NAME, else `name:`, else the folder's name:
// projectName.ts). Two analyses of one name are one project, whatever their folders: `up` in the second folder
// recreates the first one's containers of the same services instead of failing. Two analyses that share a file (an
// override, an `include:`d or `extends` file opened on its own) are one project too: their entries are compared
// within that project (rules/host-port-conflict.ts), not here.
import { formatCount } from '../cost/dockerProxyCost';
import type { ComposeAnalysis } from './analyzeCompose';
import { defaultSeverities } from './findings';
import type { Finding } from './findings';
import { forEachClash, pushClaims } from './hostPortClaims';
import type { ClashKind, HostPortClaim } from './hostPortClaims';
import type { PortEntry, ServiceModel, SourceRange } from './model';
import { formatHostIp } from '../net/addresses';
import { isServiceActive } from './profiles';
import { composeProjectName } from './projectName';
import { publishedEntries } from './publishedPorts';
import { howClashFails, mayHaveIpv6 } from './rules/host-port-conflict';

/** How many other projects one project is compared with (the editor: open compose documents of other projects). */
export const maxOtherProjects = 20;
/** How many other entries a finding names (its message and its related places) beyond the first. */
const namedOthers = 10;

/** The project's name as compose works it out, or undefined (an untitled document without `name:`). */
export function projectNameOf(a: ComposeAnalysis): string | undefined {
  return a.options.projectName ?? composeProjectName(a.options.env ?? {}, a.project.name, a.options.projectDir);
}

/** Whether two analyses are of one compose project: the same name, or a file of one is read by the other. */
export function sameComposeProject(a: ComposeAnalysis, b: ComposeAnalysis): boolean {
  if (a === b) return true;
  const name = projectNameOf(a);
  if (name !== undefined && name === projectNameOf(b)) return true;
  const reads = (x: ComposeAnalysis, file: string) => x.files.some((f) => f.fileName === file) || x.project.files.includes(file);
  return a.project.files.some((f) => reads(b, f)) || b.project.files.some((f) => reads(a, f));
}

interface Owner {
  /** 0: the project the findings are for; 1…: the others. */
  project: number;
  service: ServiceModel;
  entry: PortEntry;
}

/** One of the target project's entries and the other projects' entries it clashes with. */
interface Clashes {
  first: HostPortClaim<Owner>;
  kind: ClashKind;
  others: Set<Owner>;
  /** At most namedOthers + 1 (one more says there are more). */
  named: Owner[];
}

/** The project's published host ports as claims (ephemeral ports and host-range pools claim nothing fixed). */
function pushProjectClaims(a: ComposeAnalysis, project: number, out: HostPortClaim<Owner>[]): void {
  for (const service of a.project.services.values()) {
    if (!isServiceActive(service, a.options.activeProfiles)) continue;
    const ipv6 = a.options.userlandProxy !== false || mayHaveIpv6(service, a.project.networks);
    for (const entry of publishedEntries(service)) {
      if (!entry.published || entry.publishedIsPool) continue;
      pushClaims(out, entry.hostIp, entry.protocol, entry.published, { project, service, entry }, ipv6);
    }
  }
}

/**
 * The `host-port-conflict` findings of `target` against the other projects among `others` (analyses of the same
 * project as the target, or as an earlier one of `others`, are left out; at most maxOtherProjects are compared).
 * Severity as `target`'s options set it for the code; sorted by file and offset. `showFile` names a file in messages
 * (the editor: relative to the workspace).
 */
export function crossProjectConflicts(target: ComposeAnalysis, others: readonly ComposeAnalysis[], showFile: (file: string) => string = (f) => f): Finding[] {
  const severity = target.options.severities?.['host-port-conflict'] ?? defaultSeverities['host-port-conflict'];
  if (severity === 'off') return [];
  const projects: ComposeAnalysis[] = [target];
  for (const o of others) {
    if (projects.length > maxOtherProjects) break;
    if (!projects.some((p) => sameComposeProject(p, o))) projects.push(o);
  }
  if (projects.length === 1) return [];
  const claims: HostPortClaim<Owner>[] = [];
  projects.forEach((p, i) => pushProjectClaims(p, i, claims));

  const found = new Map<Owner, Clashes>();
  const record = (mine: HostPortClaim<Owner>, theirs: HostPortClaim<Owner>, kind: ClashKind) => {
    let c = found.get(mine.owner);
    if (!c) found.set(mine.owner, (c = { first: theirs, kind, others: new Set(), named: [] }));
    const before = c.others.size;
    c.others.add(theirs.owner); // an entry without a host IP clashes on 0.0.0.0 and on ::: one other side
    if (c.others.size > before && c.named.length <= namedOthers) c.named.push(theirs.owner);
  };
  const onPair = (a: HostPortClaim<Owner>, b: HostPortClaim<Owner>, kind: ClashKind) => {
    if (a.owner.project === b.owner.project) return;
    if (a.owner.project === 0) record(a, b, kind);
    else if (b.owner.project === 0) record(b, a, kind);
  };
  // identical claims (one port written by many services) come as twins of the first: they all clash with each other
  // (the same address), and pairs with the first stand for the group
  const twins = new Map<HostPortClaim<Owner>, HostPortClaim<Owner>[]>();
  /** Twin groups with one of the target's claims in them (a pair between groups without one cannot matter). */
  const withTarget = new Set<HostPortClaim<Owner>>();
  const hasTarget = (c: HostPortClaim<Owner>) => c.owner.project === 0 || withTarget.has(c);
  const each = (c: HostPortClaim<Owner>, fn: (x: HostPortClaim<Owner>) => void) => { fn(c); for (const t of twins.get(c) ?? []) fn(t); };
  forEachClash(claims, (a, b, kind) => {
    if (hasTarget(a) || hasTarget(b)) each(a, (x) => each(b, (y) => onPair(x, y, kind)));
  }, undefined, (first, twin) => {
    const list = twins.get(first);
    if (list) list.push(twin); else twins.set(first, [twin]);
    if (twin.owner.project === 0) withTarget.add(first);
  });
  for (const [first, more] of twins) {
    const members = [first, ...more];
    const theirs = members.filter((m) => m.owner.project !== 0);
    if (theirs.length === 0 || theirs.length === members.length) continue;
    for (const mine of members) if (mine.owner.project === 0) for (const t of theirs) record(mine, t, 'same-address');
  }

  const out: Finding[] = [];
  for (const [owner, c] of found) out.push(finding(owner, c, { projects, showFile }, target.options.engineVersion, severity));
  return out.sort((a, b) => (a.range.file < b.range.file ? -1 : a.range.file > b.range.file ? 1 : a.range.start - b.range.start));
}

interface Sides { projects: readonly ComposeAnalysis[]; showFile: (file: string) => string }

/** `web of project "blog" (blog/compose.yaml)` */
function describeOther(o: Owner, { projects, showFile }: Sides): string {
  const name = projectNameOf(projects[o.project]!);
  return `${o.service.name} of ${name ? `project "${name}"` : 'another project'} (${showFile(o.entry.range.file)})`;
}

function finding(owner: Owner, c: Clashes, sides: Sides, engineVersion: string | undefined, severity: Finding['severity']): Finding {
  const { entry, service } = owner;
  const mine = entry.published!;
  const theirs = c.first.owner.entry.published!;
  const start = Math.max(mine.start, theirs.start);
  const end = Math.min(mine.end, theirs.end);
  const many = end > start;
  const where = formatHostIp(c.first.family === 'ipv4' ? ipv4Of(entry) : ipv6Of(entry));
  const head = `${many ? `host ports ${start}-${end}` : `host port ${start}`}/${entry.protocol} on ${where}${many ? ' are' : ' is'}`;
  const extra = c.others.size - 1;
  const names = c.named.slice(1, namedOthers + 1).map((o) => describeOther(o, sides)).join(', ');
  const more = extra ? ` Also published by ${formatCount(extra)} ${extra === 1 ? 'other' : 'others'}: ${names}${extra > namedOthers ? ', …' : ''}.` : '';
  const related: { message: string; range: SourceRange }[] = c.named.slice(0, namedOthers).map((o) => ({
    message: `also published by ${describeOther(o, sides)}: ${o.entry.text}`, range: o.entry.range,
  }));
  return {
    code: 'host-port-conflict', severity, service: service.name, range: entry.range, related, fixes: [],
    message: `${head} also published by ${describeOther(c.first.owner, sides)}: whichever project starts second fails with `
      + `${howClashFails(c.kind, engineVersion)}.${more}`,
  };
}

function ipv4Of(entry: PortEntry): string {
  return entry.hostIp ?? '0.0.0.0';
}

function ipv6Of(entry: PortEntry): string {
  return entry.hostIp ?? '::';
}

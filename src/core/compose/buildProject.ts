// Files -> one project, as compose builds it: `extends` resolved within each file (same file or another one, read
// through the injected reader), then override files merged over the first in order. Ports and expose are appended
// (identical entries once), networks merged by name, single values replaced.
import type { Env } from './interpolate';
import { loadComposeFile } from './loadComposeFile';
import { written } from './loadComposeFile';
import type { ComposeFile, RawFinding } from './loadComposeFile';
import type { ComposeProject, NetworkAttachment, PortEntry, ServiceModel, ServiceRef } from './model';

/**
 * Reads a file that `extends: { file }` names, relative to the file that names it. Undefined: not found;
 * `unreadable`: it exists but was not read (a FIFO, a device, too big), and why.
 */
export type ComposeFileReader = (path: string, relativeTo: string) =>
  { fileName: string; text: string } | { fileName: string; unreadable: string } | undefined;

export interface ComposeSource {
  fileName: string;
  text: string;
}

export interface BuiltProject {
  project: ComposeProject;
  files: ComposeFile[];
  /** Files read for `extends: { file }`, for lenses and positions there. */
  extendedFiles: ComposeFile[];
  findings: RawFinding[];
}

export function buildComposeProject(sources: readonly ComposeSource[], env: Env, readFile?: ComposeFileReader): BuiltProject {
  const files = sources.map((s) => loadComposeFile(s.fileName, s.text, env));
  const findings = files.flatMap((f) => f.findings);
  const extraFiles = new Map<string, ComposeFile | string | undefined>();
  /** The file, or why it was not read (a string), or undefined: not found. */
  const loadOther = (path: string, from: string): ComposeFile | string | undefined => {
    const key = `${from}\u0000${path}`;
    if (!extraFiles.has(key)) {
      const read = readFile?.(path, from);
      extraFiles.set(key, !read ? undefined : 'unreadable' in read ? read.unreadable : loadComposeFile(read.fileName, read.text, env));
    }
    return extraFiles.get(key);
  };

  const project: ComposeProject = { files: files.map((f) => f.fileName), services: new Map(), networks: new Map() };
  const extendsResolver = new ExtendsResolver(loadOther, findings);
  for (const file of files) {
    if (file.projectName) project.name = file.projectName;
    for (const [name, def] of file.networks) project.networks.set(name, def);
    for (const [name, svc] of file.services) {
      const own = file.written.get(name) ?? 0;
      const resolved = svc.extends ? extendsResolver.resolve(file, svc, own) : undefined;
      const before = project.services.get(name);
      // no extends, nothing before it: the file's service is the project's (nothing changes it afterwards)
      const model = resolved ? resolved.service : svc;
      project.services.set(name, before ? mergeService(before, model, resolved ? resolved.written : own) : model);
    }
  }
  const extendedFiles = [...new Set([...extraFiles.values()].filter((f): f is ComposeFile => !!f && typeof f !== 'string'))]
    .filter((f) => !files.some((m) => m.fileName === f.fileName));
  return { project, files, extendedFiles, findings };
}

/** A service with what it and the services it extends set (`written` bits). */
interface ResolvedService {
  service: ServiceModel;
  written: number;
}

/**
 * `extends` chains resolved without recursion (a 10,000-service chain overflowed the stack) and each service once
 * (every service of a 3,000-long chain resolved the rest of it again: 7-13 s, 437 MB).
 */
class ExtendsResolver {
  private readonly done = new Map<ComposeFile, Map<string, ResolvedService>>();

  constructor(
    private readonly loadOther: (path: string, from: string) => ComposeFile | string | undefined,
    private readonly findings: RawFinding[],
  ) {}

  resolve(file: ComposeFile, svc: ServiceModel, svcWritten: number): ResolvedService {
    // walk down the chain to a service that extends nothing, one already resolved, or a problem
    const chain: { file: ComposeFile; svc: ServiceModel; written: number }[] = [];
    const onChain = new Set<string>();
    let f = file;
    let s = svc;
    let w = svcWritten;
    let base: ResolvedService;
    for (;;) {
      const known = this.done.get(f)?.get(s.name);
      if (known && f.services.get(s.name) === s) { base = known; break; }
      const ext = s.extends;
      if (!ext) { base = { service: s, written: w }; break; }
      const key = `${f.fileName}#${s.name}`;
      if (onChain.has(key)) {
        this.findings.push({ code: 'invalid-compose-file', message: `extends of ${s.name} loops back to itself`, range: ext.range, service: s.name });
        base = { service: s, written: w };
        break;
      }
      const next = this.baseOf(f, s, ext);
      if (!next) {
        // reported once: the services that extend this one find it resolved
        base = { service: s, written: w };
        this.remember(f, s, base);
        break;
      }
      onChain.add(key);
      chain.push({ file: f, svc: s, written: w });
      f = next.file;
      s = next.svc;
      w = next.file.written.get(next.svc.name) ?? 0;
    }
    // then merge back up, each service over what it extends
    for (let i = chain.length - 1; i >= 0; i--) {
      const link = chain[i]!;
      base = {
        service: { ...mergeService(base.service, link.svc, link.written), name: link.svc.name, nameRange: link.svc.nameRange },
        written: base.written | link.written,
      };
      this.remember(link.file, link.svc, base);
    }
    return base;
  }

  private remember(file: ComposeFile, svc: ServiceModel, resolved: ResolvedService): void {
    let perFile = this.done.get(file);
    if (!perFile) this.done.set(file, (perFile = new Map()));
    perFile.set(svc.name, resolved);
  }

  /** The service `ext` names, or undefined with a finding when it cannot be found. */
  private baseOf(file: ComposeFile, svc: ServiceModel, ext: NonNullable<ServiceModel['extends']>): { file: ComposeFile; svc: ServiceModel } | undefined {
    const baseFile = ext.file ? this.loadOther(ext.file, file.fileName) : file;
    if (!baseFile || typeof baseFile === 'string') {
      // a string says why the file was not read (not a regular file, too big)
      const why = typeof baseFile === 'string' ? `: ${baseFile}` : '';
      this.findings.push({ code: 'invalid-compose-file', message: `extends: cannot read ${ext.file}${why}`, range: ext.range, service: svc.name });
      return undefined;
    }
    if (baseFile !== file && baseFile.yaml.refused) {
      // compose refuses that file as YAML: none of its services can be read
      this.findings.push({ code: 'invalid-compose-file', message: `extends: ${ext.file} has YAML errors`, range: ext.range, service: svc.name });
      return undefined;
    }
    const base = baseFile.services.get(ext.service);
    if (!base) {
      this.findings.push({
        code: 'invalid-compose-file', message: `extends: no service "${ext.service}" in ${ext.file ?? 'this file'}`,
        range: ext.range, service: svc.name,
      });
      return undefined;
    }
    if (baseFile !== file && baseFile.findings.some((x) => x.code === 'invalid-compose-file')) {
      this.findings.push({ code: 'invalid-compose-file', message: `extends: ${ext.file} has YAML errors`, range: ext.range, service: svc.name });
    }
    return { file: baseFile, svc: base };
  }
}

/** A copy whose lists can be appended to (the lists of a file's service are shared with the project's). */
function copyOf(svc: ServiceModel): ServiceModel {
  return { ...svc, ports: [...svc.ports], expose: [...svc.expose], unresolvedPorts: [...svc.unresolvedPorts] };
}

const portKey = (p: PortEntry) =>
  `${p.hostIp ?? ''}|${p.published ? `${p.published.start}-${p.published.end}` : ''}|${p.target.start}-${p.target.end}|${p.protocol}`;

function mergeRefs(base: ServiceRef[] | undefined, over: ServiceRef[]): ServiceRef[] {
  const byName = new Map<string, ServiceRef>((base ?? []).map((r) => [r.name, r]));
  for (const r of over) byName.set(r.name, r);
  return [...byName.values()];
}

/** `over` (an override file's or the extending service, which set the keys in `overWritten`) merged onto `base`. */
function mergeService(base: ServiceModel, over: ServiceModel, overWritten: number): ServiceModel {
  const out = copyOf(base);
  const has = (k: keyof typeof written) => (overWritten & written[k]) !== 0;
  if (has('ports')) {
    const seen = new Set(out.ports.map(portKey));
    for (const p of over.ports) if (!seen.has(portKey(p))) { seen.add(portKey(p)); out.ports.push(p); }
    out.unresolvedPorts.push(...over.unresolvedPorts);
    out.portsKeyRange = over.portsKeyRange ?? out.portsKeyRange;
  }
  if (has('expose')) out.expose.push(...over.expose);
  if (has('network_mode') && over.networkMode) out.networkMode = over.networkMode;
  if (has('networks') && over.networks) {
    const byName = new Map<string, NetworkAttachment>((out.networks ?? []).map((n) => [n.name, n]));
    for (const n of over.networks) byName.set(n.name, n);
    out.networks = [...byName.values()];
  }
  if (has('profiles')) out.profiles = over.profiles;
  if (has('image') && over.image !== undefined) out.image = over.image;
  if (has('build') && over.build) out.build = true;
  // compose merges these by service name
  if (has('depends_on') && over.dependsOn) out.dependsOn = mergeRefs(out.dependsOn, over.dependsOn);
  if (has('links') && over.links) out.links = mergeRefs(out.links, over.links);
  if (over.extends) out.extends = over.extends;
  return out;
}

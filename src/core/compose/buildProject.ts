// Files -> one project, as compose builds it: each file's `include:` entries first (includes.ts), `extends` resolved
// within each file (same file or another one, read through the injected reader), then override files merged over the
// first in order. Ports and expose are appended
// (identical entries once), networks merged by name, single values replaced.
import type { Env } from './interpolate';
import { loadComposeFile } from './loadComposeFile';
import { written } from './loadComposeFile';
import type { ComposeFile, RawFinding } from './loadComposeFile';
import type { ComposeProject, NetworkAttachment, NetworkDefinition, PortEntry, ServiceModel, ServiceRef } from './model';
import { parseDotEnv } from './dotEnv';
import { folderOf, joinRelative } from './includes';
import { isSeq } from '../yaml';
import type { IncludeEntry } from './includes';

/**
 * Reads a file that `extends: { file }` or `include:` names, relative to the file that names it. Undefined: not found;
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
  /** Files read for `extends: { file }` and `include:`, for lenses and positions there. */
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
  for (const file of files) if (file.projectName) project.name = file.projectName;
  const includedFiles: ComposeFile[] = [];
  const merger = new ModelMerger(new ExtendsResolver(loadOther, findings), findings, readFile, includedFiles);
  const model = merger.merge(files, env, []);
  for (const [name, r] of model.services) project.services.set(name, r.service);
  project.networks = model.networks;
  const extendedFiles = [...new Set([...extraFiles.values(), ...includedFiles].filter((f): f is ComposeFile => !!f && typeof f !== 'string'))]
    .filter((f) => !files.some((m) => m.fileName === f.fileName));
  return { project, files, extendedFiles, findings };
}

/** Services (with what they set) and networks of a list of files merged in order, their includes first. */
interface MergedModel {
  services: Map<string, ResolvedService>;
  networks: Map<string, NetworkDefinition>;
}

/** How many included files one analysis reads at most (each inclusion counts, also of a file read before). */
export const maxIncludedFiles = 256;

/** Service keys compose rewrites when it loads an included file (see ModelMerger.definitionText). */
const rewrittenOnLoad = ['ports', 'networks', 'depends_on', 'volumes', 'build'];

/** Every key's `written` bit: an included service replaces or merges as a whole. */
const allWritten = Object.values(written).reduce((a, b) => a | b, 0);

const sameNetwork = (a: NetworkDefinition, b: NetworkDefinition) => a.driver === b.driver && a.internal === b.internal
  && a.external === b.external && a.enableIpv6 === b.enableIpv6 && a.ipamSubnets.join() === b.ipamSubnets.join();

/** Merges files as compose does: per file its `include:` entries (each a model of its own), then the file's services
 *  (`extends` resolved) over what came before. Included files are read through the same reader as `extends` files. */
class ModelMerger {
  constructor(
    private readonly extendsResolver: ExtendsResolver,
    private readonly findings: RawFinding[],
    private readonly readFile: ComposeFileReader | undefined,
    private readonly includedFiles: ComposeFile[],
  ) {}

  merge(files: readonly ComposeFile[], env: Env, including: readonly string[]): MergedModel {
    const out: MergedModel = { services: new Map(), networks: new Map() };
    for (const file of files) {
      this.byName.set(file.fileName, file);
      const imported = this.imports(file, env, including);
      for (const [name, def] of imported.networks) out.networks.set(name, def);
      for (const [name, def] of file.networks) out.networks.set(name, def);
      for (const [name, r] of imported.services) {
        const before = out.services.get(name);
        out.services.set(name, before ? { service: mergeService(before.service, r.service, allWritten), written: before.written | r.written } : r);
      }
      for (const [name, svc] of file.services) {
        const own = file.written.get(name) ?? 0;
        const resolved = svc.extends ? this.extendsResolver.resolve(file, svc, own) : undefined;
        const before = out.services.get(name);
        // no extends, nothing before it: the file's service is the project's (nothing changes it afterwards)
        const model = resolved ? resolved.service : svc;
        const w = resolved ? resolved.written : own;
        out.services.set(name, before ? { service: mergeService(before.service, model, w), written: before.written | w } : { service: model, written: w });
      }
    }
    return out;
  }

  /** What `file`'s `include:` entries bring, checked against each other and the file's own services and networks. */
  private imports(file: ComposeFile, env: Env, including: readonly string[]): MergedModel {
    const out: MergedModel = { services: new Map(), networks: new Map() };
    for (const inc of file.includes) {
      const loaded = this.load(file, inc, env, [...including, file.fileName]);
      if (!loaded) continue;
      const model = this.merge(loaded.files, loaded.env, [...including, file.fileName]);
      for (const [name, r] of model.services) {
        const other = out.services.get(name)?.service ?? file.services.get(name);
        // compose 2.40.3 accepts the same definition twice (`include` compares them); the product compares the text
        const same = other && this.definitionText(other);
        if (other && (same === undefined || same !== this.definitionText(r.service))) {
          // compose 2.40.3 refuses the project: "services.db conflicts with imported resource"
          const own = file.services.get(name);
          this.findings.push({
            code: 'invalid-compose-file', message: `services.${name} conflicts with imported resource (${inc.paths.join(', ')} defines it too)`,
            range: own?.nameRange ?? inc.range, service: name, related: [{ message: `${name} is defined here too`, range: r.service.nameRange }],
          });
          continue;
        }
        if (!other) out.services.set(name, r);
      }
      for (const [name, def] of model.networks) {
        const other = out.networks.get(name) ?? file.networks.get(name);
        if (other && !sameNetwork(other, def)) {
          this.findings.push({
            code: 'invalid-compose-file', message: `networks.${name} conflicts with imported resource (${inc.paths.join(', ')} defines it differently)`,
            range: file.networks.get(name)?.range ?? inc.range, related: [{ message: `${name} is defined here too`, range: def.range }],
          });
          continue;
        }
        out.networks.set(name, def);
      }
    }
    return out;
  }

  /**
   * A service's definition as written in the file that names it, to tell a repeated definition from another one;
   * undefined when compose would see two even if written the same: it compares the included service as loaded with
   * the including file's as written, and these keys are rewritten on loading (2.40.3: a non-empty `ports`,
   * `networks`, `depends_on`, `volumes` or `build` written the same twice is refused; `expose`, `environment`,
   * `command`, `profiles`, `network_mode`, `healthcheck`, `extends` are accepted).
   */
  private definitionText(svc: ServiceModel): string | undefined {
    const file = this.byName.get(svc.nameRange.file);
    if (!file?.yaml.root) return undefined;
    const y = file.yaml;
    const value = y.get(y.get(y.root, 'services')?.value, svc.name)?.value;
    if (!value) return '';
    for (const key of rewrittenOnLoad) {
      const v = y.resolve(y.get(value, key)?.value);
      if (v && !(isSeq(v) && v.items.length === 0)) return undefined;
    }
    const r = y.range(value);
    return file.text.slice(r.start, r.end);
  }

  /** The files read so far by name (the project's and the included ones). */
  private readonly byName = new Map<string, ComposeFile>();

  /** The files of one `include:` entry, read with their environment; undefined (reported) when compose would refuse. */
  private load(file: ComposeFile, inc: IncludeEntry, env: Env, including: readonly string[]): { files: ComposeFile[]; env: Env } | undefined {
    const read = (p: string) => this.readFile?.(p, file.fileName);
    const refuse = (message: string) => { this.findings.push({ code: 'invalid-compose-file', message, range: inc.range }); return undefined; };
    // the included file's variables: the project's, then its env files' for names not set yet
    let incEnv: Env = env;
    const envFiles = inc.envFiles ?? [joinRelative(inc.projectDirectory ?? folderOf(inc.paths[0]!), '.env')];
    for (const name of envFiles) {
      const r = read(name);
      if (!r) { if (inc.envFiles) return refuse(`include: env_file ${name} not found`); continue; }
      if ('unreadable' in r) return refuse(`include: cannot read ${name}: ${r.unreadable}`);
      incEnv = { ...parseDotEnv(r.text), ...incEnv };
    }
    const files: ComposeFile[] = [];
    for (const p of inc.paths) {
      // a file included twice by each of 30 levels would be read 2^30 times: the reading stops at a bound no project
      // comes near
      if (this.includedFiles.length >= maxIncludedFiles) return refuse(`include: more than ${maxIncludedFiles} files included; the rest is not read`);
      const r = read(p);
      if (!r) return refuse(`include: ${p} not found`);
      if ('unreadable' in r) return refuse(`include: cannot read ${p}: ${r.unreadable}`);
      if (including.includes(r.fileName)) return refuse(`include cycle detected: ${p} includes itself (through ${including.join(' → ')})`);
      const loaded = loadComposeFile(r.fileName, r.text, incEnv);
      this.includedFiles.push(loaded);
      this.findings.push(...loaded.findings);
      if (loaded.yaml.refused) return refuse(`include: ${p} has YAML errors`);
      files.push(loaded);
    }
    return { files, env: incEnv };
  }
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

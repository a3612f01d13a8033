// One compose file's text -> its services and networks (before override files and `extends` are applied), plus the
// findings that belong to reading it: YAML errors, malformed ports, unresolved variables.
import type { Node } from 'yaml';
import type { FindingCode, Severity } from './findings';
import { describeInterpolation, interpolate, noDefaultsUsed } from './interpolate';
import type { Env, Interpolated } from './interpolate';
import type { ExposeEntry, NetworkAttachment, NetworkDefinition, PortEntry, ServiceModel, ServiceRef, SourceRange, UnresolvedPortEntry } from './model';
import { CommonPortSpec, parseExposeSpec, parseShortPortSpec, readCommonShortPortSpec } from './portSpec';
import type { PortSpecProblem } from './portSpec';
import { isMap, isScalar, isSeq, PendingItems, YamlFile } from '../yaml';
import type { EntryVisitor, ScalarText } from '../yaml';
import { readLongPort, shortPortEntry } from './portEntries';
import { readIncludes } from './includes';
import type { IncludeEntry } from './includes';
import { attachmentKeys, readNetworkDefinition, reportUnknownKeys } from './networkDefinition';
import type { NetworkReadContext } from './networkDefinition';
import type { LongPortContext } from './portEntries';

/** A finding before severities are applied. */
export interface RawFinding {
  code: FindingCode;
  message: string;
  range: SourceRange;
  service?: string;
  related?: { message: string; range: SourceRange }[];
  /** A default for this case when the user has not set the code's severity. */
  severity?: Severity;
}

/** The keys whose presence `ComposeFile.written` records per service, one bit each (a number, not a Set per service). */
export const written = { ports: 1, expose: 2, network_mode: 4, networks: 8, profiles: 16, image: 32, depends_on: 64, links: 128, build: 256 } as const;

export interface ComposeFile {
  fileName: string;
  text: string;
  yaml: YamlFile;
  services: Map<string, ServiceModel>;
  /** What the file set for each service (`written` bits), so override files and `extends` merge only that. Kept
   *  beside the services, so a service that nothing merges into is the project's as it is (no copy). */
  written: Map<string, number>;
  networks: Map<string, NetworkDefinition>;
  /** The top-level `name:` (interpolated), when the file sets one. */
  projectName?: string;
  /** `include:` entries, in order (buildProject reads and merges them). */
  includes: IncludeEntry[];
  findings: RawFinding[];
}

/** The lists a service leaves empty (most have no `expose`, no unresolved ports, no profiles) share this one; the
 *  first item gives the service a list of its own (withItem). Frozen: nothing appends to a model's lists. */
const noItems = Object.freeze([]) as unknown as never[];

function withItem<T>(list: T[], item: T): T[] {
  if (list === noItems) return [item];
  list.push(item);
  return list;
}

export function loadComposeFile(fileName: string, text: string, env: Env): ComposeFile {
  const yaml = new YamlFile(fileName, text);
  const file: ComposeFile = { fileName, text, yaml, services: new Map(), written: new Map(), networks: new Map(), includes: [], findings: [] };
  for (const p of yaml.problems) {
    file.findings.push({ code: 'invalid-compose-file', message: p.message, range: { file: fileName, start: p.start, end: p.end } });
  }
  const root = yaml.root;
  if (!root) return file;
  if (!yaml.asMap(root)) {
    file.findings.push({ code: 'invalid-compose-file', message: 'a compose file is a map at the top level', range: yaml.range(root) });
    return file;
  }
  const reader = new FileReader(yaml, env, file.findings);
  const projectName = reader.value(yaml.get(root, 'name')?.value);
  if (projectName) file.projectName = projectName;
  file.includes = readIncludes(yaml, root, (n) => reader.value(n),
    (message, range) => file.findings.push({ code: 'invalid-compose-file', message, range }));
  for (const e of yaml.entries(yaml.get(root, 'networks')?.value)) {
    file.networks.set(e.key, readNetworkDefinition(reader.networkContext, e.key, e.keyNode as Node, e.value));
  }
  const services = yaml.get(root, 'services');
  if (services && services.value && !yaml.asMap(services.value)) {
    file.findings.push({ code: 'invalid-compose-file', message: '`services` must be a map of service names', range: yaml.range(services.value) });
  }
  yaml.forEachEntry(services?.value, (name, keyNode, value) => {
    // compose 2.40.3: `services.a must be a mapping` for `a:` (null), `a: [1]` and `a: "x"` alike
    if (!yaml.asMap(value)) { reader.reportShape(`services.${name} must be a mapping`, yaml.range(value, keyNode), name); return; }
    file.services.set(name, reader.service(name, keyNode, value));
    file.written.set(name, reader.serviceWritten);
  });
  return file;
}

class FileReader {
  private readonly longPortContext: LongPortContext;
  /** What readNetworkDefinition and the service attachments read values through. */
  readonly networkContext: NetworkReadContext;

  constructor(private readonly yaml: YamlFile, private readonly env: Env, private readonly findings: RawFinding[]) {
    this.longPortContext = {
      yaml,
      str: (node, service) => this.str(node, service, true),
      report: (code, message, range, service) => this.report(code, message, range, service),
    };
    this.networkContext = {
      yaml,
      valueAt: (node) => {
        const v = this.str(node);
        if (!v || v.i.unresolved.length || v.i.required.length || v.i.errors.length) return undefined;
        return { value: v.i.value, range: { file: yaml.fileName, start: v.s.start, end: v.s.end } };
      },
      bool: (node) => this.bool(node),
      report: (code, message, range, service) => this.report(code, message, range, service),
    };
  }

  private report(code: FindingCode, message: string, range: SourceRange, service?: string) {
    this.findings.push(service === undefined ? { code, message, range } : { code, message, range, service });
  }

  /** Interpolated text of a scalar; unresolved variables are reported at the scalar. */
  private str(node: Node | null | undefined, service?: string, report = false): { s: ScalarText; i: Interpolated } | undefined {
    const s = this.yaml.scalar(node);
    if (!s) return undefined;
    const i = interpolate(s.text, this.env);
    if (report) this.reportInterpolation(i, s, service);
    return { s, i };
  }

  /** The interpolated text of a scalar, for values read only for their text (no offsets, no variables reported). */
  value(node: Node | null | undefined): string | undefined {
    const text = this.yaml.scalarText(node);
    return text === undefined || !text.includes('$') ? text : interpolate(text, this.env).value;
  }

  private readonly reportedAt = new Set<number>();
  private readonly shapeReportedAt = new Set<number>();

  /** A value of a shape compose refuses (what compose 2.40.3 says, at the value); once per place, as an anchor merged
   *  into many services is written once. */
  reportShape(message: string, range: SourceRange, service: string) {
    if (this.shapeReportedAt.has(range.start)) return;
    this.shapeReportedAt.add(range.start);
    this.report('invalid-compose-file', message, range, service);
  }

  /** Whether the value is a string, as compose's schema wants for `image`, `network_mode`, network names…
   *  (`5`, `true`, `null` and lists are not). */
  private isString(node: Node | null | undefined): boolean {
    const n = this.yaml.resolve(node);
    return !!n && isScalar(n) && typeof n.value === 'string';
  }

  /** Reports `services.<name>.<path> must be a string` unless the value is one; true when it is. */
  private requireString(node: Node | null | undefined, at: Node, service: string, path: string): boolean {
    if (this.isString(node)) return true;
    this.reportShape(`services.${service}.${path} must be a string`, this.yaml.range(node, at), service);
    return false;
  }

  /** Only for values the rules use (ports, expose, network_mode); once per source position (aliases repeat). */
  private reportInterpolation(i: Interpolated, at: ScalarText, service?: string) {
    if (i.unresolved.length || i.required.length || i.errors.length) {
      if (this.reportedAt.has(at.start)) return;
      this.reportedAt.add(at.start);
      const what = [describeInterpolation(i), ...i.errors].filter(Boolean).join('; ');
      const range = { file: this.yaml.fileName, start: at.start, end: at.end };
      if (i.required.length) {
        // `${VAR:?msg}` unset: compose 2.40.3 refuses the file ("required variable VAR is missing a value: msg")
        this.findings.push({ code: 'unresolved-variable', message: `${what}: compose refuses the file until it is set`, range, severity: 'error',
          ...(service === undefined ? {} : { service }) });
        return;
      }
      this.report('unresolved-variable', `${what}: the value cannot be known before it is set (not guessed)`, range, service);
    }
  }

  private bool(node: Node | null | undefined): boolean {
    const n = this.yaml.resolve(node);
    if (!n || !isScalar(n)) return false;
    if (typeof n.value === 'boolean') return n.value;
    return /^(true|yes|on)$/i.test(interpolate(String(n.value), this.env).value);
  }

  /** The `written` bits of the service service() read last. */
  serviceWritten = 0;
  private current: ServiceModel | undefined;

  service(name: string, keyNode: Node, value: Node | null): ServiceModel {
    const svc: ServiceModel = { name, nameRange: this.yaml.range(keyNode), ports: noItems, unresolvedPorts: noItems, expose: noItems, profiles: noItems };
    this.current = svc;
    this.serviceWritten = 0;
    this.yaml.forEachEntry(value, this.serviceKey);
    this.current = undefined;
    return svc;
  }

  /** One key of the service being read (a method made once, not a closure per service). */
  private readonly serviceKey: EntryVisitor = (key, entryKey, entryValue) => {
    const y = this.yaml;
    const svc = this.current!;
    const name = svc.name;
    switch (key) {
      case 'ports': {
        this.serviceWritten |= written.ports;
        svc.portsKeyRange = y.range(entryKey);
        if (entryValue !== null && !isSeq(entryValue)) {
          this.report('invalid-port', '`ports` must be a list', y.range(entryValue), name);
          break;
        }
        const seq = y.resolve(entryValue);
        const mark = this.pendingPorts.mark();
        if (seq && isSeq(seq)) {
          for (const raw of seq.items as (Node | null)[]) {
            const item = y.resolve(raw);
            if (item !== null) this.port(item, svc);
          }
        }
        const entries = this.pendingPorts.take<PortEntry>(mark);
        svc.ports = svc.ports.length ? svc.ports.concat(entries) : entries;
        break;
      }
      case 'expose':
        this.serviceWritten |= written.expose;
        for (const item of y.items(entryValue)) this.expose(item, svc);
        break;
      case 'network_mode': {
        if (!this.requireString(entryValue, entryKey, name, 'network_mode')) break;
        const v = this.str(entryValue, name, true);
        if (v) {
          this.serviceWritten |= written.network_mode;
          svc.networkMode = { value: v.i.value, range: { file: y.fileName, start: v.s.start, end: v.s.end } };
        }
        break;
      }
      case 'networks':
        this.serviceWritten |= written.networks;
        svc.networks = this.attachments(entryValue, entryKey, name);
        break;
      case 'profiles':
        this.serviceWritten |= written.profiles;
        svc.profiles = y.items(entryValue).map((p) => this.value(p) ?? '').filter(Boolean);
        break;
      case 'image': {
        if (!this.requireString(entryValue, entryKey, name, 'image')) break;
        const v = this.value(entryValue);
        if (v !== undefined) { this.serviceWritten |= written.image; svc.image = v; }
        break;
      }
      case 'build':
        this.serviceWritten |= written.build;
        svc.build = true;
        break;
      case 'depends_on':
        this.serviceWritten |= written.depends_on;
        svc.dependsOn = this.serviceRefs(entryValue, name, false);
        break;
      case 'links':
        this.serviceWritten |= written.links;
        svc.links = this.serviceRefs(entryValue, name, true);
        break;
      case 'extends': {
        const range = y.range(entryKey);
        if (!y.asMap(entryValue)) {
          if (!this.requireString(entryValue, entryKey, name, 'extends')) break;
          svc.extends = { service: this.value(entryValue)!, range };
          break;
        }
        // compose 2.40.3 refuses `extends: {file: 5}` (it panics) and `extends: {service: 5}` ("service is required")
        const serviceEntry = y.get(entryValue, 'service');
        const fileEntry = y.get(entryValue, 'file');
        if (!this.requireString(serviceEntry?.value, serviceEntry?.keyNode ?? entryKey, name, 'extends.service')) break;
        if (fileEntry && !this.requireString(fileEntry.value, fileEntry.keyNode, name, 'extends.file')) break;
        const target = this.value(serviceEntry!.value);
        const fileName = this.value(fileEntry?.value);
        if (target) svc.extends = fileName ? { service: target, file: fileName, range } : { service: target, range };
        break;
      }
      default:
        break;
    }
  };

  /** `[db, cache]` or `{db: {condition: …}}`; for links `db:alias`. */
  private serviceRefs(value: Node | null, service: string, links: boolean): ServiceRef[] {
    const y = this.yaml;
    if (value && isSeq(value)) {
      return y.items(value).flatMap((n) => {
        const s = this.str(n, service);
        if (!s) return [];
        const range = { file: y.fileName, start: s.s.start, end: s.s.end };
        const colon = links ? s.i.value.indexOf(':') : -1;
        return [colon > 0 ? { name: s.i.value.slice(0, colon), alias: s.i.value.slice(colon + 1), range } : { name: s.i.value, range }];
      });
    }
    return y.entries(value).map((e) => ({ name: e.key, range: y.range(e.keyNode as Node) }));
  }

  private attachments(value: Node | null, key: Node, service: string): NetworkAttachment[] {
    const y = this.yaml;
    if (value && isSeq(value)) {
      const out: NetworkAttachment[] = [];
      (value.items as (Node | null)[]).forEach((item, i) => {
        if (!this.requireString(item, item ?? key, service, `networks.${i}`)) return;
        const s = this.str(item)!;
        out.push({ name: s.i.value, range: { file: y.fileName, start: s.s.start, end: s.s.end } });
      });
      return out;
    }
    if (value && !y.asMap(value)) this.reportShape(`services.${service}.networks must be a list or a map`, y.range(value), service);
    return y.entries(value).map((e) => {
      const attachment: NetworkAttachment = { name: e.key, range: y.range(e.keyNode as Node) };
      if (!y.asMap(e.value)) return attachment;
      reportUnknownKeys(this.networkContext, e.value, attachmentKeys, `services.${service}.networks.${e.key}`, service);
      const v4 = this.networkContext.valueAt(y.get(e.value, 'ipv4_address')?.value);
      if (v4) attachment.ipv4Address = v4;
      const v6 = this.networkContext.valueAt(y.get(e.value, 'ipv6_address')?.value);
      if (v6) attachment.ipv6Address = v6;
      return attachment;
    });
  }

  private expose(item: Node, svc: ServiceModel) {
    const v = this.str(item, svc.name, true);
    const range = this.yaml.range(item);
    if (!v) { this.report('invalid-port', 'an `expose` entry is a port or a range, like 3000 or 3000-3005/udp', range, svc.name); return; }
    if (v.i.unresolved.length || v.i.required.length) return;
    const r = parseExposeSpec(v.i.value.trim());
    if (r.ok) svc.expose = withItem(svc.expose, { range, ports: r.ports, protocol: r.protocol } satisfies ExposeEntry);
    // compose 2.40.3 passes `expose` to the engine as written and Engine 28.5.2 starts the container, recording the
    // entry as port 0 (test/engine/errorFindingsRefused.test.ts): nothing refuses it, so it is a warning
    else this.reportProblem(r.problem, v, range, svc.name, 'warning', '; compose and the engine accept it, and it exposes nothing (the engine records port 0)');
  }

  private reportProblem(p: PortSpecProblem, v: { s: ScalarText; i: Interpolated }, range: SourceRange, service: string, severity?: Severity, note = '') {
    // point at the exact characters when the written text is the parsed text
    const shift = v.s.textStart;
    const exact = shift !== undefined && v.i.value === v.s.text && !v.s.text.includes('$');
    const at = exact ? { file: range.file, start: shift + p.start, end: shift + Math.max(p.end, p.start + 1) } : range;
    if (severity) this.findings.push({ code: p.kind, message: p.message + note, range: at, service, severity });
    else this.report(p.kind, p.message, at, service);
  }

  private readonly common = new CommonPortSpec();
  /** The entries of the `ports` list being read, taken as the service's list when it ends. */
  private readonly pendingPorts = new PendingItems();

  private port(item: Node, svc: ServiceModel) {
    const y = this.yaml;
    const range = y.range(item);
    const text = y.sourceText(item, range.start, range.end);
    if (isScalar(item)) {
      // the common case read in place: no variables, a form parseCommonShortPortSpec takes (what parseShortPortSpec
      // would return for it, without the result objects)
      const written = y.scalarText(item)!;
      const c = this.common;
      if (!written.includes('$') && readCommonShortPortSpec(written, c)) {
        this.pendingPorts.push(shortPortEntry(range, text, c.hostIp, c.published, c.target, c.protocol, noDefaultsUsed));
        return;
      }
      const v = this.str(item, svc.name, true)!;
      if (v.i.unresolved.length || v.i.required.length || v.i.errors.length) {
        svc.unresolvedPorts = withItem(svc.unresolvedPorts,
          { range, text, variables: [...v.i.unresolved, ...v.i.required.map((r) => r.name)] } satisfies UnresolvedPortEntry);
        return;
      }
      const r = parseShortPortSpec(v.i.value);
      if (!r.ok) { this.reportProblem(r.problem, v, range, svc.name); return; }
      const spec = r.spec;
      this.pendingPorts.push(shortPortEntry(range, text, spec.hostIp, spec.published, spec.target, spec.protocol, v.i.defaultsUsed));
      return;
    }
    if (!isMap(item)) {
      this.report('invalid-port', 'a port entry is a string like "8080:80" or a map with `target`', range, svc.name);
      return;
    }
    this.longPort(item, range, text, svc);
  }

  private longPort(item: Node, range: SourceRange, text: string, svc: ServiceModel) {
    const r = readLongPort(this.longPortContext, item, range, text, svc.name);
    if (r === undefined) return;
    if ('variables' in r) svc.unresolvedPorts = withItem(svc.unresolvedPorts, r);
    else this.pendingPorts.push(r);
  }

}

// The entry points the extension and the CLI call: compose texts in, findings (with fixes as text edits), code lens
// totals and hover text out. Everything is offsets into the texts handed in; the caller converts to editor ranges.
import { costNote, costOfBindings, describeCost, formatCount, portCount } from '../cost/dockerProxyCost';
import type { BindingCost, CostOptions } from '../cost/dockerProxyCost';
import { buildComposeProject } from './buildProject';
import type { ComposeFileReader, ComposeSource } from './buildProject';
import type { Finding, SuggestedFix } from './findings';
import type { Env } from './interpolate';
import type { ComposeFile } from './loadComposeFile';
import type { ComposeProject, PortEntry, ServiceModel, UnresolvedPortEntry } from './model';
import { formatHostIp, formatInterval } from './portSpec';
import { composeProjectName } from './projectName';
import { bindingGroupOf, networkModeKind, serviceCost } from './publishedPorts';
import { defaultProxyCostThresholdPorts } from './rules/port-range-proxy-cost';
import { defaultSeverities, defaultSeverityFor, resolveFix, runRules } from './rules/registry';
import type { ComposeRuleFinding, FindingCode } from './rules/registry';
import type { RuleOptions, SeveritySetting } from './rules/rule';
import { portAlternatives } from './explanations';
import { codeSpan } from './markdownText';

export interface ComposeAnalysisOptions extends RuleOptions {
  /** Variables for interpolation: the project's `.env` over the process environment, as the caller reads them. */
  env?: Env;
  /** Reads files named by `extends: { file }`. Without it, such extends are reported as unreadable. */
  readFile?: ComposeFileReader;
  /** Per-code severity; 'off' drops the code. Unset codes use defaultSeverities. */
  severities?: Partial<Record<FindingCode, SeveritySetting>>;
}

export interface ComposeAnalysis {
  project: ComposeProject;
  /** Sorted by file (in the order given) and offset. */
  findings: Finding[];
  /** The files handed in, then those read for `extends` and `include:`. */
  files: ComposeFile[];
  options: ComposeAnalysisOptions;
}

export function analyzeCompose(sources: readonly ComposeSource[], options: ComposeAnalysisOptions = {}): ComposeAnalysis {
  const built = buildComposeProject(sources, options.env ?? {}, options.readFile);
  const allFiles = [...built.files, ...built.extendedFiles];
  const yamlByFile = new Map(allFiles.map((f) => [f.fileName, f.yaml]));
  const enabled = (code: FindingCode) => (options.severities?.[code] ?? defaultSeverityFor(code, options)) !== 'off';
  const findings: Finding[] = [];
  const add = (r: ComposeRuleFinding) => {
    const configured = options.severities?.[r.code];
    const setting = configured ?? (r.severity as SeveritySetting | undefined) ?? defaultSeverities[r.code];
    if (setting === 'off') return;
    const fixes: SuggestedFix[] = [];
    if (r.fixes) for (const f of r.fixes) { const fix = resolveFix(f, yamlByFile); if (fix) fixes.push(fix); }
    // one literal per shape (a field added afterwards costs a property store per finding), fields in their order
    const related = r.related ?? [];
    findings.push(r.service === undefined
      ? { code: r.code, severity: setting, message: r.message, range: r.range, related, fixes }
      : { code: r.code, severity: setting, message: r.message, range: r.range, related, fixes, service: r.service });
  };
  for (const r of built.findings) add(r);
  const projectName = options.projectName ?? (options.runningBindings?.length || options.engineNetworks?.length ? composeProjectName(options.env ?? {}, built.project.name, options.projectDir) : undefined);
  for (const r of runRules(built.project, projectName === options.projectName ? options : { ...options, projectName }, enabled)) add(r);
  const fileOrder = new Map(sources.map((s, i) => [s.fileName, i]));
  findings.sort((a, b) => (fileOrder.get(a.range.file) ?? 99) - (fileOrder.get(b.range.file) ?? 99) || a.range.start - b.range.start);
  return { project: built.project, findings, files: allFiles, options };
}

/**
 * The analysis of a file whose analysis threw (a bug, or input nothing above guards against): one finding at the
 * file's start that says so, so an editor shows it instead of failing its providers.
 */
export function failedAnalysis(fileName: string, error: unknown, options: ComposeAnalysisOptions = {}): ComposeAnalysis {
  const why = error instanceof Error ? error.message : String(error);
  return {
    project: { files: [fileName], services: new Map(), networks: new Map() },
    findings: [{
      code: 'invalid-compose-file', severity: 'error', message: `the file could not be analysed: ${why}`,
      range: { file: fileName, start: 0, end: 0 }, related: [], fixes: [],
    }],
    files: [], options,
  };
}

/** One file's text on its own (no override files). */
export function analyzeComposeText(text: string, fileName: string, options: ComposeAnalysisOptions = {}): ComposeAnalysis {
  return analyzeCompose([{ fileName, text }], options);
}

export interface PortsLens {
  service: string;
  file: string;
  /** The `ports:` key: where the lens goes. */
  start: number;
  end: number;
  cost: BindingCost;
  /** Entries whose value depends on unset variables (not counted). */
  unresolvedEntries: number;
  /** Over the `port-range-proxy-cost` threshold. */
  overThreshold: boolean;
  /** `⚠ 10,001 ports → 20,002 docker-proxy · ~19 GB · ~30,003 iptables rules · use host network?` */
  title: string;
  /** The figures' assumption, when the engine did not say whether the userland proxy is on. */
  note?: string;
}

/** One lens per service `ports:` key in `fileName`, with the service's totals across all files. */
export function portsLenses(analysis: ComposeAnalysis, fileName: string): PortsLens[] {
  const file = analysis.files.find((f) => f.fileName === fileName);
  if (!file) return [];
  const threshold = analysis.options.proxyCostThresholdPorts ?? defaultProxyCostThresholdPorts;
  const out: PortsLens[] = [];
  for (const local of file.services.values()) {
    const svc = analysis.project.services.get(local.name);
    if (!svc || !local.portsKeyRange) continue;
    const cost = serviceCost(svc, analysis.options);
    const ignored = networkModeKind(svc.networkMode?.value);
    const over = cost.hostPorts >= threshold;
    const unresolved = svc.unresolvedPorts.length;
    let title: string;
    if (ignored) title = `ports ignored: network_mode ${svc.networkMode!.value}`;
    else {
      title = `${over ? '⚠ ' : ''}${formatCount(cost.hostPorts)} ${cost.hostPorts === 1 ? 'port' : 'ports'} → ${describeCost(cost)}`;
      if (unresolved) title += ` · ${unresolved} unresolved`;
      if (over) title += ' · use host network?';
    }
    const lens: PortsLens = {
      service: svc.name, file: fileName, start: local.portsKeyRange.start, end: local.portsKeyRange.end,
      cost, unresolvedEntries: unresolved, overThreshold: over && !ignored, title,
    };
    lens.note = costNote(cost);
    out.push(lens);
  }
  return out;
}

export interface PortHover {
  service: string;
  start: number;
  end: number;
  entry?: PortEntry;
  unresolved?: UnresolvedPortEntry;
  cost?: BindingCost;
  /** Markdown. */
  markdown: string;
}

/** The hover for the port entry at `offset` of `fileName`, if there is one. */
export function portHoverAt(analysis: ComposeAnalysis, fileName: string, offset: number): PortHover | undefined {
  for (const svc of analysis.project.services.values()) {
    const within = (r: { file: string; start: number; end: number }) => r.file === fileName && offset >= r.start && offset <= r.end;
    const entry = svc.ports.find((p) => within(p.range));
    if (entry) return hoverForEntry(svc, entry, analysis.options);
    const unresolved = svc.unresolvedPorts.find((p) => within(p.range));
    if (unresolved) {
      return {
        service: svc.name, start: unresolved.range.start, end: unresolved.range.end, unresolved,
        markdown: `**${codeSpan(unresolved.text)}**: depends on ${unresolved.variables.map(codeSpan).join(', ')}, which `
          + `${unresolved.variables.length === 1 ? 'is' : 'are'} not set (in \`.env\` or the environment). The ports and their cost are not known until then.`,
      };
    }
  }
  return undefined;
}

function hoverForEntry(svc: ServiceModel, entry: PortEntry, costOptions: CostOptions): PortHover {
  const group = bindingGroupOf(entry);
  const cost = costOfBindings([group], costOptions);
  const n = portCount(group.hostPorts);
  const where = entry.hostIp ? formatHostIp(entry.hostIp) : 'every address (0.0.0.0 and [::])';
  const hostSide = !entry.published
    ? `${n === 1 ? 'an ephemeral host port' : `${formatCount(n)} ephemeral host ports`} chosen by the engine`
    : entry.publishedIsPool
      ? `one free host port of ${formatInterval(entry.published)}`
      : `host ${n === 1 ? 'port' : 'ports'} ${formatInterval(entry.published)}`;
  const lines = [
    `**${codeSpan(entry.text.replace(/^['"]|['"]$/g, ''))}**: ${hostSide} on ${where} → container ${portCount(entry.target) === 1 ? 'port' : 'ports'} ${formatInterval(entry.target)}/${entry.protocol}`,
  ];
  if (entry.defaultsUsed.length) lines.push(`With the defaults: ${entry.defaultsUsed.map((d) => codeSpan(`${d.name}=${d.value}`)).join(', ')}.`);
  const ignored = networkModeKind(svc.networkMode?.value);
  if (ignored) {
    lines.push('', `Not published: ${codeSpan(`network_mode: ${svc.networkMode!.value}`)} discards \`ports\`.`);
  } else {
    lines.push('', `Cost: ${describeCost(cost)} (${costNote(cost)}).`);
    lines.push(`Why: the engine starts one docker-proxy per host port and address family${entry.hostIp ? '' : ' (no host IP: IPv4 and IPv6, so twice)'}, and adds iptables rules for each port.`);
    if (n > 1) {
      lines.push('', 'Alternatives:');
      for (const a of portAlternatives) lines.push(`- **${a.title}**: ${a.text}`);
    }
  }
  return { service: svc.name, start: entry.range.start, end: entry.range.end, entry, cost, markdown: lines.join('\n') };
}

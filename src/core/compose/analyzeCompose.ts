// The entry point the extension and the CLI call: compose texts in, findings (with fixes as text edits) out, over
// the rules of rules/registry.ts. Everything is offsets into the texts handed in; the caller converts to editor
// ranges. Code lenses and hovers over an analysis are in present/.
import { errorMessage } from '../errorMessage';
import { buildComposeProject } from './buildProject';
import type { ComposeFileReader, ComposeSource } from './buildProject';
import type { Finding, SuggestedFix } from './findings';
import type { Env } from './interpolate';
import type { ComposeFile } from './loadComposeFile';
import type { ComposeProject } from './model';
import { composeProjectName } from './projectName';
import { defaultSeverities, defaultSeverityFor, resolveFix, runRules } from './rules/registry';
import type { ComposeRuleFinding, FindingCode } from './rules/registry';
import type { RuleOptions, SeveritySetting } from './rules/rule';

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
  const projectName = options.projectName
    ?? (options.runningBindings?.length || options.engineNetworks?.length ? composeProjectName(options.env ?? {}, built.project.name, options.projectDir)
    : undefined);
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
  const why = errorMessage(error);
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

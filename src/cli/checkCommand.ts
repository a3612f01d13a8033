// `docker-network-doctor check [FILES…] [--format text|json|sarif] [--fail-on error|warning] [--engine]
// [--engine-version 28.5] [--host-rules DUMP]`: the compose findings the editor shows, for CI.
import { readFullEngine } from '../adapters/engineReads';
import { composeFileReader, composeInputsSync } from '../adapters/composeFiles';
import * as path from 'path';
import { analyzeCompose, crossProjectConflicts, docsAnchor, engineNetworksOf, runningBindingsOf } from '../core/compose';
import type { ComposeAnalysis, ComposeAnalysisOptions, Finding } from '../core/compose';
import { calibratedVersions, chooseCalibration, findCalibration } from '../core/cost/calibration';
import { userlandProxyFromInfo } from '../core/engine/engineInfo';
import { cliErrorKind, exitCodeHelp, exitCodes, InputError, oneOf, parseCommandArgs, UsageError } from './cliArgs';
import { cliEngine, engineFailure } from './cliEngine';
import { readRuleset } from './dumpInput';
import { errorMessage } from '../core/errorMessage';
import { hostFirewallOf } from '../core/firewall/exposure';
import type { CliCommand, CliIo } from './commands';
import { LineIndex } from './lineColumn';
import { toSarif } from './sarif';
import { capped, counted, quoted, visible } from './terminalText';

const usage = [
  'usage: docker-network-doctor check [FILES…] [--format text|json|sarif] [--fail-on error|warning] [--engine]',
  '                                   [--engine-version VERSION] [--host-rules DUMP] [--env-file FILE]… [--profile NAME]…',
  '',
  'Checks compose files (default: those COMPOSE_FILE names, else compose.yaml / docker-compose.yml and its',
  '.override in the current folder), with the files they include. Files of one folder are one project (as',
  'docker compose -f); files of different folders are different projects, each checked on its own and against the',
  'others (host-port-conflict: two projects that publish the same host port). Variables come from the',
  'environment, then --env-file, else .env (of the current folder when no file is named, else next to each',
  'project\'s first file).',
  'COMPOSE_PROFILES (or --profile) limits the check to the services compose would start. Files are read only if',
  'they are regular files of at most 10 MB.',
  '',
  'options:',
  '  --format text|json|sarif   output format (default text)',
  '  --fail-on error|warning    exit 1 when a finding is at this level or above (default error)',
  '  --engine                   also read the engine (found as the docker CLI finds it: DOCKER_HOST, DOCKER_CONTEXT,',
  '                             the current docker context, the default socket): ports its running containers hold',
  '                             clash with the files\' (host-port-conflict), its networks\' subnets with theirs',
  '                             (subnet-overlap), its version picks the cost figures, and',
  '                             an engine that reports its userland proxy (Engine 29+) sets them',
  `  --engine-version VERSION   use the cost figures measured on that engine (${calibratedVersions().join(', ')});`,
  '                             without it and without --engine, the newest calibration',
  '  --host-rules DUMP          the engine host\'s rules (sudo iptables-save, or nft list ruleset; - for stdin): when',
  '                             they show ufw or firewalld, published-on-all-interfaces is a warning that names it',
  '                             (Docker\'s rules bypass them, as the editor says once the firewall view read them)',
  '  --env-file FILE            read variables from FILE instead of .env (repeatable; later files win)',
  '  --profile NAME             enable a profile, as docker compose --profile (repeatable; replaces COMPOSE_PROFILES)',
  '  -h, --help                 this text',
  '',
  exitCodeHelp,
].join('\n');

type Format = 'text' | 'json' | 'sarif';

const options = {
  format: { type: 'string' },
  'fail-on': { type: 'string' },
  engine: { type: 'boolean' },
  'engine-version': { type: 'string' },
  'host-rules': { type: 'string' },
  'env-file': { type: 'string', multiple: true },
  profile: { type: 'string', multiple: true },
} as const;

/** The engine's facts for the analysis (--engine); an unreachable engine is an input error (exit 2). */
async function engineOptions(env: CliIo['env'], options: ComposeAnalysisOptions): Promise<string> {
  const { engine, client } = cliEngine(env);
  try {
    const { model, version } = await readFullEngine(client);
    options.runningBindings = runningBindingsOf(model);
    options.engineNetworks = engineNetworksOf(model);
    options.engineVersion = version.version;
    const userlandProxy = userlandProxyFromInfo(await client.info());
    if (userlandProxy !== undefined) { options.userlandProxy = userlandProxy; options.userlandProxyReported = true; }
    return version.version;
  } catch (err) {
    throw engineFailure(err, engine);
  }
}

/** The engine host's rules for --host-rules; a file that holds none says which option it was and what to give. */
async function hostRules(file: string, io: CliIo) {
  try {
    return await readRuleset(file, io);
  } catch (err) {
    if (cliErrorKind(err) !== 'input') throw err;
    throw new InputError(`--host-rules ${quoted(file)}: ${errorMessage(err)}\n`
      + 'Give the engine host\'s rules as text: sudo iptables-save > rules.txt (or sudo nft list ruleset > rules.txt).');
  }
}

export const checkCommand: CliCommand = {
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, options, true);
    const format = oneOf('--format', values.format, ['text', 'json', 'sarif'] as const, 'text');
    const failOn = oneOf('--fail-on', values['fail-on'], ['error', 'warning'] as const, 'error');
    const chosenVersion = values['engine-version'];
    if (chosenVersion !== undefined && !findCalibration(chosenVersion)) {
      throw new UsageError(`--engine-version takes a calibrated engine version: ${calibratedVersions().join(', ')} (got ${quoted(chosenVersion)})`);
    }
    // files of different folders are different projects (compose's -f takes one project; each folder here is one),
    // checked each on its own and then against each other; no file named: the current folder's project
    const groups = positionals.length ? filesByFolder(positionals, io.cwd) : [[]];
    const projects = groups.map((files) => {
      const inputs = composeInputsSync({ cwd: io.cwd, env: io.env, files, envFiles: values['env-file'] ?? [], profiles: values.profile ?? [] });
      if (!inputs.files.length) throw new InputError(`no compose file in ${capped(io.cwd)} (compose.yaml, docker-compose.yml, …); name one`);
      if (inputs.unread.length) throw new InputError(inputs.unread.map((u) => `cannot read ${quoted(u.fileName)}: ${u.reason}`).join('\n'));
      return inputs;
    });
    const baseOptions: ComposeAnalysisOptions = { readFile: composeFileReader({ cwd: io.cwd }) };
    if (values['host-rules'] !== undefined) {
      const firewall = hostFirewallOf(await hostRules(values['host-rules'], io));
      if (firewall.kind === 'ufw' || firewall.kind === 'firewalld') baseOptions.hostFirewall = firewall.name;
    }
    const engineVersion = values.engine ? await engineOptions(io.env, baseOptions) : undefined;
    baseOptions.calibration = chooseCalibration({ ...(engineVersion ? { engineVersion } : {}), ...(chosenVersion ? { chosenVersion } : {}) });
    const analyses = withoutReadByOthers(projects.map(({ sources, env, projectDir, activeProfiles }) =>
      analyzeCompose(sources, { ...baseOptions, env, projectDir, ...(activeProfiles ? { activeProfiles } : {}) })));
    const findings = analyses.length === 1 ? analyses[0]!.findings : withCrossProjectConflicts(analyses);
    write(io, format, findings, lineIndexes(analyses));
    const failing = findings.some((f) => f.severity === 'error' || (failOn === 'warning' && f.severity === 'warning'));
    return failing ? exitCodes.findings : exitCodes.ok;
  },
};

/** The files named, grouped by folder in the order first named (one group: one project, as before). */
function filesByFolder(files: readonly string[], cwd: string): string[][] {
  const groups = new Map<string, string[]>();
  for (const f of files) {
    const dir = path.dirname(path.resolve(cwd, f));
    const group = groups.get(dir);
    if (group) group.push(f); else groups.set(dir, [f]);
  }
  return [...groups.values()];
}

/** Drops a folder's analysis whose files another project reads (an `include:`d or `extends` file named too): its
 *  findings are that project's, and would be written twice. */
function withoutReadByOthers(analyses: ComposeAnalysis[]): ComposeAnalysis[] {
  const covers = (o: ComposeAnalysis, a: ComposeAnalysis) => a.project.files.every((file) => o.files.some((f) => f.fileName === file));
  // of two that read each other's files, the first named stays
  return analyses.filter((a, i) => !analyses.some((o, j) => j !== i && covers(o, a) && (!covers(a, o) || j < i)));
}

/** Every project's findings with host-port-conflict against the others, in the order the files were named. */
function withCrossProjectConflicts(analyses: ComposeAnalysis[]): Finding[] {
  const fileOrder = new Map<string, number>();
  for (const a of analyses) for (const f of a.files) if (!fileOrder.has(f.fileName)) fileOrder.set(f.fileName, fileOrder.size);
  const findings = analyses.flatMap((a) => [...a.findings, ...crossProjectConflicts(a, analyses.filter((o) => o !== a))]);
  return findings.sort((a, b) => (fileOrder.get(a.range.file) ?? 0) - (fileOrder.get(b.range.file) ?? 0) || a.range.start - b.range.start);
}

/** A line index per file, made on first use (files read for `extends` included). */
function lineIndexes(analyses: ComposeAnalysis[]): (file: string) => LineIndex {
  const indexes = new Map<string, LineIndex>();
  return (file) => {
    let index = indexes.get(file);
    if (!index) {
      const text = analyses.map((a) => a.files.find((f) => f.fileName === file)?.text).find((t) => t !== undefined);
      index = new LineIndex(text ?? '');
      indexes.set(file, index);
    }
    return index;
  };
}

function write(io: CliIo, format: Format, findings: Finding[], lineIndex: (file: string) => LineIndex) {
  if (format === 'json') {
    const out = findings.map((f) => {
      const index = lineIndex(f.range.file);
      return { ...f, start: index.at(f.range.start), end: index.at(f.range.end), docs: docsAnchor(f.code) };
    });
    io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return;
  }
  if (format === 'sarif') {
    io.stdout.write(`${JSON.stringify(toSarif(findings, lineIndex), null, 2)}\n`);
    return;
  }
  const lines: string[] = [];
  for (const f of findings) {
    const start = lineIndex(f.range.file).at(f.range.start);
    // messages quote the user's own values (a port, a variable): capped per message, control characters visible
    lines.push(`${visible(f.range.file)}:${start.line}:${start.column}: ${f.severity} ${f.code}: ${capped(f.message, maxMessageChars)}`);
    for (const fix of f.fixes) lines.push(`    fix: ${capped(fix.title, maxMessageChars)}${fix.isPreferred ? ' (preferred)' : ''}`);
  }
  const count = (...severities: string[]) => findings.filter((f) => severities.includes(f.severity)).length;
  if (lines.length) lines.push('');
  lines.push(`${counted(count('error'), 'error')}, ${counted(count('warning'), 'warning')}, ${counted(count('info', 'hint'), 'note')}`);
  io.stdout.write(`${lines.join('\n')}\n`);
}

/** A finding message is ours around the user's values; longer than this, it is the user's value that is long. */
const maxMessageChars = 1000;

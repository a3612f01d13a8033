// `docker-network-doctor check [FILES…] [--format text|json|sarif] [--fail-on error|warning] [--engine]
// [--engine-version 28.5]`: the compose
// findings the editor shows, for CI. Exit 1 when a finding reaches the failure level, 0 otherwise, 2 on usage or input
// errors (and, with --engine, when the engine cannot be read).
import * as path from 'node:path';
import { DockerClient } from '../adapters/dockerClient';
import { readFullEngine } from '../adapters/engineReads';
import { analyzeCompose, docsAnchor, findingCodes, runningBindingsOf } from '../core/compose';
import type { ComposeAnalysisOptions, Finding } from '../core/compose';
import { calibratedVersions, chooseCalibration, findCalibration } from '../core/cost/calibration';
import { resolveEngineEndpoint } from '../core/engine/endpoint';
import { classifyEngineError } from '../core/engine/engineError';
import { userlandProxyFromInfo } from '../core/engine/engineInfo';
import type { CliCommand, CliIo } from './commands';
import { composeEnv, composeFileReader, findDefaultComposeFiles, readComposeSources } from '../adapters/composeFiles';
import { lineColumn } from './lineColumn';

const usage = [
  'usage: docker-network-doctor check [FILES…] [--format text|json|sarif] [--fail-on error|warning] [--engine]',
  '                                    [--engine-version VERSION]',
  '',
  'Checks compose files (default: compose.yaml / docker-compose.yml and its .override in the current folder).',
  'Variables come from .env next to the first file and the environment. Exit 1 on errors (or warnings with',
  '--fail-on warning), 0 otherwise, 2 on usage or input errors.',
  '--engine also reads the engine (DOCKER_HOST or the default socket): ports its running containers hold clash',
  'with the files\' (host-port-conflict), its version picks the cost figures, and an engine that reports its',
  'userland proxy (Engine 29+) sets them.',
  `--engine-version VERSION uses the cost figures measured on that engine (calibrated: ${calibratedVersions().join(', ')});`,
  'without it and without --engine, the newest calibration.',
].join('\n');

type Format = 'text' | 'json' | 'sarif';

interface CheckArgs {
  files: string[];
  format: Format;
  failOn: 'error' | 'warning';
  engine: boolean;
  engineVersion?: string;
}

function parseArgs(args: string[]): CheckArgs | string {
  const out: CheckArgs = { files: [], format: 'text', failOn: 'error', engine: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => inline ?? args[++i];
    if (flag === '--format') {
      const v = value();
      if (v !== 'text' && v !== 'json' && v !== 'sarif') return `--format takes text, json or sarif (got ${v ?? 'nothing'})`;
      out.format = v;
    } else if (flag === '--fail-on') {
      const v = value();
      if (v !== 'error' && v !== 'warning') return `--fail-on takes error or warning (got ${v ?? 'nothing'})`;
      out.failOn = v;
    } else if (flag === '--engine-version') {
      const v = value();
      if (!v || !findCalibration(v)) return `--engine-version takes a calibrated engine version: ${calibratedVersions().join(', ')} (got ${v ?? 'nothing'})`;
      out.engineVersion = v;
    } else if (a === '--engine') {
      out.engine = true;
    } else if (a.startsWith('-')) {
      return `unknown option ${a}`;
    } else {
      out.files.push(a);
    }
  }
  return out;
}

export const checkCommand: CliCommand = {
  summary: 'check compose files: port costs, conflicts, unreachable ports (text, json, sarif)',
  async run(args, io) {
    if (args.includes('--help') || args.includes('-h')) {
      io.stdout.write(`${usage}\n`);
      return 0;
    }
    const parsed = parseArgs(args);
    if (typeof parsed === 'string') {
      io.stderr.write(`docker-network-doctor check: ${parsed}\n\n${usage}\n`);
      return 2;
    }
    const files = parsed.files.length ? parsed.files : findDefaultComposeFiles(io.cwd);
    if (!files.length) {
      io.stderr.write(`docker-network-doctor check: no compose file in ${io.cwd} (compose.yaml, docker-compose.yml, …); name one\n`);
      return 2;
    }
    let sources;
    try {
      sources = readComposeSources(files, io.cwd);
    } catch (err) {
      io.stderr.write(`docker-network-doctor check: ${err instanceof Error ? err.message : String(err)}\n`);
      return 2;
    }
    const projectDir = path.dirname(path.resolve(io.cwd, files[0]!));
    const options: ComposeAnalysisOptions = { env: composeEnv(projectDir, io.env), readFile: composeFileReader({ cwd: io.cwd }), projectDir };
    let engineVersion: string | undefined;
    if (parsed.engine) {
      const endpoint = resolveEngineEndpoint({ env: io.env, platform: process.platform });
      try {
        const client = new DockerClient(endpoint, io.env);
        const { model, version } = await readFullEngine(client);
        options.runningBindings = runningBindingsOf(model);
        engineVersion = version.version;
        options.engineVersion = version.version;
        const userlandProxy = userlandProxyFromInfo(await client.info());
        if (userlandProxy !== undefined) { options.userlandProxy = userlandProxy; options.userlandProxyReported = true; }
      } catch (err) {
        const problem = classifyEngineError(err, endpoint.host);
        io.stderr.write(`docker-network-doctor check --engine: ${problem.message}\n${problem.fix}\n`);
        return 2;
      }
    }
    options.calibration = chooseCalibration({ ...(engineVersion ? { engineVersion } : {}), ...(parsed.engineVersion ? { chosenVersion: parsed.engineVersion } : {}) });
    const analysis = analyzeCompose(sources, options);
    const texts = new Map(sources.map((s) => [s.fileName, s.text]));
    const fileText = (f: string) => texts.get(f) ?? readExtra(analysis.files, f);
    write(io, parsed.format, analysis.findings, fileText);
    const failing = analysis.findings.some((f) => f.severity === 'error' || (parsed.failOn === 'warning' && f.severity === 'warning'));
    return failing ? 1 : 0;
  },
};

function readExtra(files: { fileName: string; text: string }[], name: string): string {
  return files.find((f) => f.fileName === name)?.text ?? '';
}

function position(text: string, f: Finding) {
  const start = lineColumn(text, f.range.start);
  const end = lineColumn(text, f.range.end);
  return { start, end };
}

function write(io: CliIo, format: Format, findings: Finding[], fileText: (f: string) => string) {
  if (format === 'json') {
    const out = findings.map((f) => ({ ...f, ...position(fileText(f.range.file), f), docs: docsAnchor(f.code) }));
    io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return;
  }
  if (format === 'sarif') {
    io.stdout.write(`${JSON.stringify(toSarif(findings, fileText), null, 2)}\n`);
    return;
  }
  for (const f of findings) {
    const { start } = position(fileText(f.range.file), f);
    io.stdout.write(`${f.range.file}:${start.line}:${start.column}: ${f.severity} ${f.code}: ${f.message}\n`);
    for (const fix of f.fixes) io.stdout.write(`    fix: ${fix.title}${fix.isPreferred ? ' (preferred)' : ''}\n`);
  }
  const count = (...severities: string[]) => findings.filter((f) => severities.includes(f.severity)).length;
  const counted = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
  io.stdout.write(`${findings.length ? '\n' : ''}${counted(count('error'), 'error')}, ${counted(count('warning'), 'warning')}, ${counted(count('info', 'hint'), 'note')}\n`);
}

const sarifLevel = { error: 'error', warning: 'warning', info: 'note', hint: 'note' } as const;

function toSarif(findings: Finding[], fileText: (f: string) => string) {
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'docker-network-doctor',
          informationUri: 'https://example.invalid/docker-network-doctor',
          rules: findingCodes.map((id) => ({ id, helpUri: docsAnchor(id), shortDescription: { text: id.replace(/-/g, ' ') } })),
        },
      },
      results: findings.map((f) => {
        const { start, end } = position(fileText(f.range.file), f);
        return {
          ruleId: f.code,
          level: sarifLevel[f.severity],
          message: { text: f.message },
          locations: [{
            physicalLocation: {
              artifactLocation: { uri: f.range.file.split(path.sep).join('/') },
              region: {
                startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column,
                charOffset: f.range.start, charLength: f.range.end - f.range.start,
              },
            },
          }],
        };
      }),
    }],
  };
}

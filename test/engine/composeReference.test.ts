// The reference test: docker-compose v2 (2.40.3) reads every compose fixture and a generated set, and the
// product's resolved model must agree with `config --format json` field by field: which services are active under
// the profiles, network_mode, the networks attached, each published port (host IP, host port or range, target,
// protocol, mode). Where compose refuses a file, the product reports an error finding on it; where compose accepts,
// the product reports no error. Every difference is pinned below with its reason, or is a failure.
// Corpus files run from a copy beside empty stand-ins for the `env_file`s they name (compose refuses a missing one;
// the product does not read env_file contents, which change nothing compared here), with the variables a file needs
// to be accepted in an empty environment (named per file, with why).
import { strict as assert } from 'node:assert';
import * as fs from 'fs';
import * as path from 'path';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { composeModel, composeVersion, productAnalysis, productModel, runCompose, writeTree } from './composeCli';
import type { ComposeRun } from './composeCli';
import { generatedCases } from './composeReferenceCases';
import { fact } from './support';
import { fixturePath } from '../paths';

const FIXTURES = fixturePath();

/** `${NAME}` without a default, each given a value: distinct ports for names with PORT, a path for the rest. */
function fillVariables(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let port = 20000;
  for (const m of text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) {
    const name = m[1]!;
    if (!(name in out)) out[name] = /PORT/.test(name) ? String(port++) : `/dnd/${name.toLowerCase()}`;
  }
  return out;
}

/** Variables a corpus file needs before compose 2.40.3 accepts it in an empty environment (its project ships a `.env`
 *  that the corpus did not copy). */
const corpusEnv: Record<string, (text: string) => Record<string, string>> = {
  // `${PLEX_MEDIA_PATH}:/media/` unset: "invalid spec: :/media/: empty section between colons"
  // ports from its project's .env (without them the product reports unresolved-variable and compares no ports there)
  '007-jitsi-meet.yml': () => ({ HTTP_PORT: '8000', HTTPS_PORT: '8443' }),
  '002-awesome-plex-hostnet.yml': () => ({ PLEX_MEDIA_PATH: '/srv/media' }),
  // healthcheck durations and retries from unset variables: `time: invalid duration ""`, `strconv.Atoi: parsing ""`
  // and images from unset `$…_IMAGE`: "service \"relay\" has neither an image nor a build context specified"
  '010-sentry-self-hosted.yml': (text) => ({
    ...Object.fromEntries([...text.matchAll(/\$\{?([A-Z_]+_IMAGE)\b/g)].map((m) => [m[1]!, `dnd-test/${m[1]!.toLowerCase()}`])),
    SENTRY_BIND: '9000',
    HEALTHCHECK_INTERVAL: '30s', HEALTHCHECK_TIMEOUT: '1m30s', HEALTHCHECK_RETRIES: '10', HEALTHCHECK_START_PERIOD: '10s',
    HEALTHCHECK_FILE_INTERVAL: '10s', HEALTHCHECK_FILE_TIMEOUT: '10s', HEALTHCHECK_FILE_RETRIES: '3', HEALTHCHECK_FILE_START_PERIOD: '10s',
  }),
  // volumes (`invalid spec: :/hostfs:ro`) and ports (`No port specified: <empty>`) from its project's .env
  '024-otel-demo.yml': fillVariables,
};

/** The `env_file` paths a file names (compose refuses a missing one; the corpus has none of them). */
function envFilesOf(text: string, home: string): string[] {
  const doc = parseYaml(text, { maxAliasCount: -1 }) as { services?: Record<string, { env_file?: unknown }> } | null;
  const out: string[] = [];
  for (const s of Object.values(doc?.services ?? {})) {
    const list = Array.isArray(s?.env_file) ? s.env_file : s?.env_file === undefined ? [] : [s.env_file];
    for (const e of list) {
      const p = typeof e === 'string' ? e : (e as { path?: string }).path;
      if (p) out.push(p.replace(/\$\{?HOME\}?/, home));
    }
  }
  return out;
}

/**
 * Refusals the product does not report yet, by file, with why. Each must still be refused by compose (checked), so a
 * pin that stops being true fails too.
 */
const pinnedRefusals: Record<string, { compose: RegExp; why: string }> = {};

/** Refusals where compose's place and the product's differ, by file, with why. */
const pinnedPlaces: Record<string, string> = {
  'go-template.compose.yaml': 'go-yaml says "line 1" (the comment above the first `{{-`); the product points at the '
    + 'first `{{` on line 2, where the flow mapping that cannot be parsed starts, and counts the other problems',
};

interface Case extends ComposeRun {
  name: string;
  /** Removed afterwards (generated cases). */
  temp?: boolean;
}

function corpusCases(): Case[] {
  const out: Case[] = [];
  const add = (dir: string, file: string, files = [file]) => out.push({ name: path.relative(FIXTURES, path.join(dir, file)), cwd: dir, files });
  // corpus files are copied into a folder of their own with empty stand-ins for the env files they name (and HOME
  // there, for `$HOME/…/x.env`); the fixture itself is never changed
  const corpus = path.join(FIXTURES, 'corpus/compose');
  for (const f of fs.readdirSync(corpus).filter((n) => /\.ya?ml$/.test(n)).sort()) {
    const text = fs.readFileSync(path.join(corpus, f), 'utf8');
    const cwd = writeTree({ [f]: text });
    for (const e of envFilesOf(text, cwd)) {
      const full = path.resolve(cwd, e);
      fs.mkdirSync(path.dirname(full), { recursive: true });
      fs.writeFileSync(full, '');
    }
    out.push({ name: `corpus/compose/${f}`, cwd, files: [f], env: { HOME: cwd, ...corpusEnv[f]?.(text) }, temp: true });
  }
  add(path.join(FIXTURES, 'compose'), 'media-server.compose.yaml');
  add(path.join(FIXTURES, 'compose/extends'), 'compose.yaml', ['compose.yaml', 'compose.override.yaml']);
  // no -f: compose's discovery, and COMPOSE_PROFILES from the folder's .env
  add(path.join(FIXTURES, 'compose/include'), 'compose.yaml', []);
  add(path.join(FIXTURES, 'compose-hostile'), 'go-template.compose.yaml');
  add(path.join(FIXTURES, 'compose-editor'), 'compose.yaml');
  add(path.join(FIXTURES, 'workspace'), 'compose.yaml');
  return out;
}

/** The 1-based line of a finding's start in its file. */
function lineOf(analysis: ReturnType<typeof productAnalysis>['analysis'], range: { file: string; start: number }): number {
  const text = analysis.files.find((f) => f.fileName === range.file)?.text ?? '';
  return text.slice(0, range.start).split('\n').length;
}

/** What differs between compose and the product on one case; empty when they agree (or the difference is pinned). */
function compare(c: Case): { problems: string[]; note: string } {
  const compose = runCompose(c, ['config', '--format', 'json']);
  const { analysis, activeProfiles } = productAnalysis(c);
  const errors = analysis.findings.filter((f) => f.severity === 'error');
  const pinned = pinnedRefusals[path.basename(c.name)] ?? (c as { pinned?: { compose: RegExp; why: string } }).pinned;
  if (compose.status !== 0) {
    const said = compose.stderr.trim().split('\n').filter((l) => !l.includes('level=warning')).join(' ');
    // where compose names a line (`yaml: line 4: …`), the product's error is on that line of a file it read
    // where it names a service (`service "jibri" refers…`, `services.web conflicts…`, `services.a.ports`), on that service
    const line = /\bline (\d+)\b/.exec(said)?.[1];
    const service = /\bservices?[ .]"?([A-Za-z0-9_.-]+?)"?(?:\.|\s|:|$)/.exec(said)?.[1];
    const atLine = (line === undefined ? errors : errors.filter((e) => lineOf(analysis, e.range) === Number(line)))
      .filter((e) => service === undefined || e.service === service);
    if (pinned && errors.length) {
      return { problems: [`pinned (${pinned.why}) but the product reports it now (${errors[0]!.code}: ${errors[0]!.message}): remove the pin`], note: '' };
    }
    if (atLine.length) return { problems: [], note: `refused by compose (${said}); product: ${atLine[0]!.code} ${atLine[0]!.message}` };
    const placePin = pinnedPlaces[path.basename(c.name)];
    if (errors.length && placePin) return { problems: [],
      note: `refused by compose (${said}); PINNED place: ${placePin}; product: line ${lineOf(analysis, errors[0]!.range)} ${errors[0]!.message}` };
    if (errors.length) return { problems: [`compose refuses ` +
      `at ${line !== undefined ? `line ${line}` : ''}${service !== undefined ? ` service ${service}` : ''} (${said}); the product's errors are ` +
      `elsewhere: ${errors.map((e) => `line ${lineOf(analysis, e.range)} ${e.service ?? ''} ${e.message}`).join('; ')}`], note: '' };
    if (pinned && pinned.compose.test(said)) return { problems: [], note: `PINNED refusal (${said}): ${pinned.why}` };
    return { problems: [`compose refuses (${said}) but the product reports no error`], note: '' };
  }
  const problems: string[] = [];
  const expectError = (c as { productErrorPinned?: string }).productErrorPinned;
  if (errors.length && !expectError) problems.push(`compose accepts but the product reports ${errors.map((e) => `${e.code}: ${e.message}`).join('; ')}`);
  const theirs = composeModel(compose.stdout);
  const ours = productModel(analysis, activeProfiles);
  const names = (m: Map<string, unknown>) => [...m.keys()].sort().join(', ');
  if (names(theirs) !== names(ours.services)) problems.push(`active services: compose [${names(theirs)}], product [${names(ours.services)}]`);
  for (const [name, t] of theirs) {
    const o = ours.services.get(name);
    if (!o) continue;
    if (t.networkMode !== o.networkMode) problems.push(`${name}.network_mode: compose "${t.networkMode}", product "${o.networkMode}"`);
    if (t.networks.join() !== o.networks.join()) problems.push(`${name}.networks: compose [${t.networks}], product [${o.networks}]`);
    // the product does not guess a port from unset variables (it reports unresolved-variable); compose uses ""
    if (ours.unresolved.has(name)) continue;
    if (t.ports.join(' ') !== o.ports.join(' ')) {
      problems.push(`${name}.ports:\n      compose ${t.ports.join(' ') || '(none)'}\n      product ${o.ports.join(' ') || '(none)'}`);
    }
  }
  const unresolved = ours.unresolved.size ? `; ports of ${[...ours.unresolved].join(', ')} not compared (unset variables)` : '';
  return { problems, note: `${theirs.size} services agree${unresolved}${expectError ? `; product error pinned: ${expectError}` : ''}` };
}

describe(`docker-compose ${composeVersion()} config --format json against the product's model`, () => {
  const cases = [...corpusCases(), ...generatedCases().map((g) => ({ ...g, cwd: writeTree(g.tree), temp: true }))];

  it(`every fixture and generated case agrees (${cases.length} cases)`, (t) => {
    const failures: string[] = [];
    try {
      for (const c of cases) {
        const r = compare(c);
        fact(t, `${c.name}: ${r.problems.length ? 'DIFFERS' : r.note}`, `compose ${composeVersion()}`);
        if (r.problems.length) failures.push(`${c.name}:\n    ${r.problems.join('\n    ')}`);
      }
    } finally {
      for (const c of cases) if (c.temp) fs.rmSync(c.cwd, { recursive: true, force: true });
    }
    fact(t, `${cases.length} cases compared, ${failures.length} differ`, `compose ${composeVersion()}`);
    assert.deepEqual(failures, [], failures.join('\n'));
  });
});

// Builds the bundles: the extension (node, cjs), the CLI (node, cjs), the webview (browser) and, with --tests, the
// unit, engine and integration test files. `tsc --noEmit` type-checks; esbuild only strips types.
//   node esbuild.js [--production] [--watch] [--tests]
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const tests = process.argv.includes('--tests');

/**
 * dockerode pulls in ssh2, which loads two optional native parts inside try/catch: `cpu-features` and
 * `./crypto/build/Release/sshcrypto.node`. A bundle cannot carry `.node` files (npm here does not even build them),
 * so both resolve to a module that throws, and ssh2 falls back to its pure-JS crypto: `ssh://` engines keep working.
 * dockerode's `./session` (BuildKit sessions for image builds, which this extension never does) drags in gRPC and
 * protobufjs, about 1 MB; it resolves to a stub that throws if ever called.
 */
const optionalNativePlugin = {
  name: 'optional-native',
  setup(build) {
    build.onResolve({ filter: /^cpu-features$|\.node$/ }, (args) => ({ path: args.path, namespace: 'optional-native' }));
    build.onResolve({ filter: /^\.\/(session|buildkit)$/ }, (args) =>
      args.importer.includes(`${path.sep}dockerode${path.sep}`) ? { path: args.path, namespace: 'no-buildkit' } : undefined);
    build.onLoad({ filter: /.*/, namespace: 'optional-native' }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`optional native module ${args.path} is not bundled`)});`,
      loader: 'js',
    }));
    build.onLoad({ filter: /.*/, namespace: 'no-buildkit' }, (args) => ({
      contents: args.path === './session'
        ? 'module.exports = function withSession() { throw new Error("BuildKit sessions are not bundled in Docker Network Doctor"); };'
        : 'module.exports = { decodeBuildKitStatus() { throw new Error("BuildKit output decoding is not bundled in Docker Network Doctor"); } };',
      loader: 'js',
    }));
  },
};

/**
 * Activation speed: V8 compiles a whole bundle when it is loaded, used or not, and dockerode (with ssh2) and yaml are
 * most of ours. The extension bundle therefore loads them from separate files, `dist/vendor/*.js`, at their first
 * use (the code that needs them is itself loaded lazily), so a window that never opens a compose file never compiles
 * yaml, and one that never reaches an engine never compiles dockerode.
 */
const vendorPackages = ['dockerode', 'yaml'];
/** `vendorDir`: the vendor folder relative to the bundle being built (`./vendor` from dist/, `../vendor` from dist/cli/). */
const vendorExternalPlugin = (vendorDir = './vendor') => ({
  name: 'vendor-external',
  setup(build) {
    build.onResolve({ filter: new RegExp(`^(${vendorPackages.join('|')})$`) }, (args) => ({ path: `${vendorDir}/${args.path}.js`, external: true }));
  },
});

/**
 * CLI start-up, for the same reason: `dist/cli.js` is only the dispatcher; each command is a bundle of its own in
 * `dist/cli/`, required when it runs (src/cli/commands.ts imports them by name), with dockerode and yaml from
 * `dist/vendor/`. So `check` compiles yaml and the compose core but not dockerode (unless --engine), `firewall`
 * neither, `--version` nothing.
 */
const cliCommands = ['checkCommand', 'exposureCommand', 'firewallCommand', 'matrixCommand', 'networksCommand', 'reachCommand'];
const cliCommandExternalPlugin = {
  name: 'cli-command-external',
  setup(build) {
    build.onResolve({ filter: new RegExp(`^\\./(${cliCommands.join('|')})$`) }, (args) =>
      (args.importer.endsWith(path.join('src', 'cli', 'commands.ts')) ? { path: `./cli/${args.path.slice(2)}.js`, external: true } : undefined));
  },
};

/** What the code reads from package.json at build time (see src/cli/main.ts and src/cli/sarif.ts). */
const packageJson = JSON.parse(fs.readFileSync(path.join(__dirname, 'package.json'), 'utf8'));
/** The repository URL, or '' when it is a placeholder (a reserved name such as example.invalid): links must be real. */
function realRepositoryUrl() {
  const url = typeof packageJson.repository === 'string' ? packageJson.repository : packageJson.repository?.url ?? '';
  const host = /^(?:git\+)?[a-z]+:\/\/(?:[^@/]*@)?([^/:]+)/i.exec(url)?.[1] ?? (/^[\w.-]+\/[\w.-]+$|^github:/.test(url) ? 'github.com' : '');
  const reserved = /(^|\.)(invalid|example|test|localhost)$|(^|\.)example\.(com|net|org)$/i;
  return host && !reserved.test(host) ? url : '';
}
const buildDefines = {
  DND_VERSION: JSON.stringify(packageJson.version),
  DND_REPOSITORY_URL: JSON.stringify(realRepositoryUrl()),
};

/** Prints errors in the `file:line:col: error: text` form VS Code's $esbuild-watch problem matcher reads. */
const problemMatcherPlugin = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => { if (watch) console.log('[watch] build started'); });
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      if (watch) console.log('[watch] build finished');
    });
  },
};

const common = {
  bundle: true,
  define: buildDefines,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'silent',
  plugins: [optionalNativePlugin, problemMatcherPlugin],
};

/** Every `*.test.ts` below a folder, for the test bundles. */
function testFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(dir, f));
}

function configs() {
  const list = [
    // the banner's timestamps let activate() report how long evaluating the bundle took (npm run bench), apart from
    // the first require('vscode'), where the extension host builds this extension's API object (VS Code's work)
    { ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs',
      target: 'node20', external: ['vscode'],
      banner: { js: 'var __dndBundleStart = performance.now(); require("vscode"); var __dndVscodeApiMs = performance.now() - __dndBundleStart;' },
      plugins: [vendorExternalPlugin(), ...common.plugins] },
    ...vendorPackages.map((name) => ({ ...common, entryPoints: [name], outfile: `dist/vendor/${name}.js`, platform: 'node',
      format: 'cjs', target: 'node20' })),
    { ...common, entryPoints: ['src/cli/bin.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs',
      target: 'node20', banner: { js: '#!/usr/bin/env node' }, plugins: [cliCommandExternalPlugin, ...common.plugins] },
    { ...common, entryPoints: cliCommands.map((name) => `src/cli/${name}.ts`), outdir: 'dist/cli', platform: 'node', format: 'cjs',
      target: 'node20', plugins: [vendorExternalPlugin('../vendor'), ...common.plugins] },
  ];
  if (fs.existsSync('webview/main.ts')) {
    list.push({ ...common, entryPoints: ['webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser',
      format: 'iife', target: 'es2022' });
    list.push({ ...common, entryPoints: ['webview/matrix/main.ts'], outfile: 'dist/matrix.js', platform: 'browser',
      format: 'iife', target: 'es2022' });
  }
  if (tests) {
    list.push({ ...common, entryPoints: testFiles('test/unit').filter((f) => f.endsWith('.test.ts')), outdir: 'out/test/unit',
      outbase: 'test/unit', platform: 'node', format: 'cjs', target: 'node20' });
    list.push({ ...common, entryPoints: testFiles('test/engine').filter((f) => f.endsWith('.test.ts')), outdir: 'out/test/engine',
      outbase: 'test/engine', platform: 'node', format: 'cjs', target: 'node20' });
    list.push({ ...common, entryPoints: testFiles('test/integration'), outdir: 'out/test/integration',
      outbase: 'test/integration', platform: 'node', format: 'cjs', target: 'node20', external: ['vscode', 'mocha'] });
  }
  return list;
}

async function main() {
  const contexts = await Promise.all(configs().map((c) => esbuild.context(c)));
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  let failed = false;
  for (const c of contexts) {
    try { await c.rebuild(); } catch { failed = true; }
    await c.dispose();
  }
  if (failed) process.exit(1);
}

main().catch((e) => { console.error(e); process.exit(1); });

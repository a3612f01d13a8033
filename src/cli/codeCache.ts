// V8 code cache for the CLI's own bundles (dist/cli/*.js, dist/vendor/*.js), so a run does not compile yaml and the
// compose core again each time: node 20 has no module.enableCompileCache (22.1+), so this does what it does for
// CommonJS: compile with vm.Script and `cachedData`, and at exit store the code V8 made, including the functions the
// run compiled lazily. V8 rejects a cache that does not match the source or the V8 build (`cachedDataRejected`), and
// the file is then compiled as usual and the cache rewritten. The cache lives in the user's own cache folder
// (XDG_CACHE_HOME or ~/.cache), never a shared temp folder: cached bytecode is code. DND_CLI_CODE_CACHE=off turns it
// off (the unit tests do, so they read nothing outside the repository).
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';

interface CompilableModule {
  exports: unknown;
  _compile(content: string, filename: string): unknown;
}

/** Where the cache goes, or undefined when it is off or there is no home to put it in. */
export function codeCacheDir(env: Record<string, string | undefined>, version: string): string | undefined {
  if (env.DND_CLI_CODE_CACHE === 'off') return undefined;
  const base = env.XDG_CACHE_HOME || (env.HOME ? path.join(env.HOME, '.cache') : os.homedir() && path.join(os.homedir(), '.cache'));
  return base ? path.join(base, 'docker-network-doctor', `cli-code-cache-${version}-${process.version}-${process.arch}`) : undefined;
}

/** Compiles files under `bundleRoot` through the cache in `cacheDir` from now on. */
export function enableCodeCache(bundleRoot: string, cacheDir: string): void {
  const proto = (Module as unknown as { prototype: CompilableModule }).prototype;
  const compile = proto._compile;
  const toStore: { script: vm.Script; file: string }[] = [];
  proto._compile = function cachedCompile(this: CompilableModule, content: string, filename: string) {
    if (!filename.startsWith(bundleRoot + path.sep)) return compile.call(this, content, filename);
    const file = path.join(cacheDir, `${createHash('sha256').update(filename).digest('hex').slice(0, 32)}.v8`);
    let cachedData: Buffer | undefined;
    try {
      cachedData = fs.readFileSync(file);
    } catch {
      // no cache yet
    }
    const script = new vm.Script((Module as unknown as { wrap(s: string): string }).wrap(content), { filename, ...(cachedData ? { cachedData } : {}) });
    if (!cachedData || script.cachedDataRejected) toStore.push({ script, file });
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    const moduleRequire = Module.createRequire(filename);
    return wrapper.call(this.exports, this.exports, moduleRequire, this, filename, path.dirname(filename));
  };
  process.once('exit', () => {
    if (!toStore.length) return;
    try {
      fs.mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
      for (const { script, file } of toStore) {
        // write then rename: a run reading at the same time never sees half a file
        const partial = `${file}.${process.pid}`;
        fs.writeFileSync(partial, script.createCachedData());
        fs.renameSync(partial, file);
      }
    } catch {
      // a cache that cannot be written only makes the next run as slow as this one
    }
  });
}

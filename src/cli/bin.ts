// The docker-network-doctor process: runs the CLI on this process's arguments and streams and sets the exit code.
// Nothing else may exit the process, so pending output is always written.
import { exitCodes } from './cliArgs';
import { codeCacheDir, enableCodeCache } from './codeCache';
import type { CliIo } from './commands';
import { runCli, toolName } from './main';
import { visible } from './terminalText';

const reportLine = 'This is a bug in docker-network-doctor: please report it, with the command line and this message.';

/** Anything that escaped the command: exit 3, never 2 (scripts read 2 as "your input was wrong"). */
function internalError(err: unknown): void {
  const text = err instanceof Error ? err.stack ?? err.message : String(err);
  process.stderr.write(`${toolName}: internal error: ${text.split('\n').map(visible).join('\n')}\n${reportLine}\n`);
  process.exitCode = exitCodes.internal;
}

/**
 * A reader that went away (`| head -1`) is not an error: stop writing and finish quietly with the command's own exit
 * code. Without a listener node throws EPIPE from the stream with a stack trace. Other write errors are internal.
 */
function quietOnClosedPipe(stream: NodeJS.WritableStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') return;
    internalError(err);
  });
}

// put in by esbuild (`define`) from package.json
declare const DND_VERSION: string;

const cacheDir = codeCacheDir(process.env, DND_VERSION);
if (cacheDir) enableCodeCache(__dirname, cacheDir);
quietOnClosedPipe(process.stdout);
quietOnClosedPipe(process.stderr);
process.on('uncaughtException', internalError);
const io: CliIo = {
  stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env,
  // on first use only: making process.stdin costs ~15 ms, and only `firewall -` reads it
  get stdin() { return process.stdin; },
};
runCli(process.argv.slice(2), io).then(
  (code) => { if (process.exitCode !== exitCodes.internal) process.exitCode = code; },
  internalError,
);

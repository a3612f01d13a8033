// docker-network-doctor: the CLI over the same core as the extension. runCli is the whole CLI but the process
// (bin.ts): arguments and streams in, exit code out. Kept small: it loads only the command it runs (commands.ts).
import { commands, type CliIo } from './commands';
import { cliErrorKind, exitCodeHelp, exitCodes } from './cliArgs';
import { quoted } from './terminalText';

// the package's version, put in by esbuild (`define`) from package.json at build time
declare const DND_VERSION: string;

export const toolName = 'docker-network-doctor';

const usage = () => [
  `usage: ${toolName} <command> [options]`,
  `       ${toolName} --version | --help`,
  '',
  'commands:',
  ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`),
  '',
  `Run ${toolName} <command> --help for its options.`,
  '',
  exitCodeHelp,
].join('\n');

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout).write(`${usage()}\n`);
    return name === undefined ? exitCodes.usage : exitCodes.ok;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${DND_VERSION}\n`);
    return exitCodes.ok;
  }
  const entry = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!entry) {
    io.stderr.write(`${toolName}: unknown command ${quoted(name)}\n\n${usage()}\n`);
    return exitCodes.usage;
  }
  const command = entry.load();
  // `<command> --help` (before any `--`): its usage, whatever else is given
  const beforeDashes = rest.indexOf('--') < 0 ? rest : rest.slice(0, rest.indexOf('--'));
  if (beforeDashes.includes('--help') || beforeDashes.includes('-h')) {
    io.stdout.write(`${command.usage}\n`);
    return exitCodes.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    const kind = cliErrorKind(err);
    if (!kind) throw err;
    const message = (err as Error).message;
    io.stderr.write(kind === 'usage' ? `${toolName} ${name}: ${message}\n\n${command.usage}\n` : `${toolName} ${name}: ${message}\n`);
    return exitCodes.usage;
  }
}

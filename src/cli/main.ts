// docker-network-doctor: the CLI over the same core as the extension.
//   docker-network-doctor <command> [options]
import { commands } from './commands';

const usage = () => [
  'usage: docker-network-doctor <command> [options]',
  '',
  'commands:',
  ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`),
  '',
  'Run docker-network-doctor <command> --help for its options.',
].join('\n');

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    process.stdout.write(`${usage()}\n`);
    return name ? 0 : 2;
  }
  if (name === '--version') {
    process.stdout.write(`${process.env.DND_VERSION ?? '0.1.0'}\n`);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`docker-network-doctor: unknown command "${name}"\n\n${usage()}\n`);
    return 2;
  }
  return command.run(rest, { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, cwd: process.cwd(), env: process.env });
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`docker-network-doctor: ${err instanceof Error ? err.message : String(err)}\n`); process.exitCode = 2; },
);

// The CLI's commands, one module each, loaded only when run: `node esbuild.js` builds each into its own file
// (dist/cli/<name>.js), so `check` never compiles dockerode and `firewall` never compiles yaml. Add a command by
// adding it to this table.

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  cwd: string;
  env: Record<string, string | undefined>;
}

/** What a command module exports. */
export interface CliCommand {
  /** The text `<command> --help` prints: usage, options, exit codes. */
  usage: string;
  /** Returns the exit code (see exitCodes); throws UsageError or InputError for exit 2. */
  run(args: string[], io: CliIo): Promise<number>;
}

export interface CliCommandEntry {
  summary: string;
  /** `require`, not `import()`: a dynamic import goes through node's ESM loader, which lexes the whole CommonJS
   *  bundle for its exports first (cjs-module-lexer took 180-230 ms of a 250 ms `check` in a --cpu-prof). */
  load(): CliCommand;
}

export const commands: Record<string, CliCommandEntry> = {
  check: {
    summary: 'check compose files: port costs, conflicts, unreachable ports (text, json, sarif)',
    load: () => (require('./checkCommand') as typeof import('./checkCommand')).checkCommand,
  },
  exposure: {
    summary: 'who can reach each published port (outside, host, containers), and where ufw/firewalld is bypassed',
    load: () => (require('./exposureCommand') as typeof import('./exposureCommand')).exposureCommand,
  },
  firewall: {
    summary: 'read a firewall dump (iptables/nft), show Docker\'s rules, trace a port',
    load: () => (require('./firewallCommand') as typeof import('./firewallCommand')).firewallCommand,
  },
  reach: {
    summary: 'why a connection to a container fails: running, listening (on which address), published, rules, DNS',
    load: () => (require('./reachCommand') as typeof import('./reachCommand')).reachCommand,
  },
  matrix: {
    summary: 'who among the engine\'s containers can connect to whom, each cell a trace (JSON)',
    load: () => (require('./matrixCommand') as typeof import('./matrixCommand')).matrixCommand,
  },
  networks: {
    summary: 'list the engine\'s networks (DOCKER_HOST, DOCKER_CONTEXT, the current context or the default socket)',
    load: () => (require('./networksCommand') as typeof import('./networksCommand')).networksCommand,
  },
};

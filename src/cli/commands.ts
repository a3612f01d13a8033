// The CLI's commands, one module each. Add a command by adding it to this table.
import { firewallCommand } from './firewallCommand';
import { networksCommand } from './networksCommand';
import { checkCommand } from './checkCommand';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  cwd: string;
  env: Record<string, string | undefined>;
}

export interface CliCommand {
  summary: string;
  /** Returns the exit code: 0 ok, 1 findings at or above the failure level, 2 usage or input errors. */
  run(args: string[], io: CliIo): Promise<number>;
}

export const commands: Record<string, CliCommand> = {
  networks: networksCommand,
  firewall: firewallCommand,
  check: checkCommand,
};

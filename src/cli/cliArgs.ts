// One argument parser for every command (node:util parseArgs, strict: an unknown option is a usage error), the exit
// codes, and the errors that map to them.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { quoted } from './terminalText';

/** The CLI's exit codes, as README and --help state them. */
export const exitCodes = {
  ok: 0,
  /** A finding at or above --fail-on. */
  findings: 1,
  /** Usage error, unreadable input, engine unreachable. */
  usage: 2,
  /** A bug: anything thrown that is not one of the errors below. */
  internal: 3,
} as const;

/** The exit-code lines every command's --help ends with. */
export const exitCodeHelp = [
  'exit codes:',
  '  0  ok',
  '  1  check: findings at or above --fail-on; reach: a step failed',
  '  2  usage error, unreadable input, engine unreachable',
  '  3  internal error (a bug: please report it)',
].join('\n');

/** Wrong options or arguments: the message and the command's usage are printed, exit 2. */
export class UsageError extends Error {
  // recognised by this field, not instanceof: each command is a bundle of its own with its own copy of this class
  readonly cliError = 'usage';
}

/** Input that cannot be read or used (a file, the engine): the message alone is printed, exit 2. */
export class InputError extends Error {
  readonly cliError = 'input';
}

/** Which of the two an error is, if either (across bundles). */
export function cliErrorKind(err: unknown): 'usage' | 'input' | undefined {
  const kind = err instanceof Error ? (err as { cliError?: unknown }).cliError : undefined;
  return kind === 'usage' || kind === 'input' ? kind : undefined;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses `args` strictly: unknown options, a missing value or a value given to a flag are UsageErrors. `--help`/`-h`
 * is added to every command. Option values come back as strings or booleans, as parseArgs gives them.
 */
export function parseCommandArgs<T extends Options>(args: string[], options: T, allowPositionals: boolean) {
  try {
    return parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals, strict: true });
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (!code.startsWith('ERR_PARSE_ARGS_')) throw err;
    throw new UsageError(usageMessage(code, (err as Error).message));
  }
}

/** parseArgs' messages, shortened and with the user's text capped and made visible. */
function usageMessage(code: string, message: string): string {
  const named = /'([^']*)'/.exec(message)?.[1] ?? '';
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': return `unknown option ${quoted(named)}`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL': return `unexpected argument ${quoted(named)}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const option = (/Option '([^']*)'/.exec(message)?.[1] ?? '').replace(/ <value>$/, '');
      return /does not take an argument/.test(message) ? `${quoted(option)} takes no value` : `${quoted(option)} needs a value`;
    }
    default: return quoted(message, 400);
  }
}

/** One of `choices`, or a UsageError naming them. */
export function oneOf<C extends string>(option: string, value: string | undefined, choices: readonly C[], fallback: C): C {
  if (value === undefined) return fallback;
  if ((choices as readonly string[]).includes(value)) return value as C;
  throw new UsageError(`${option} takes ${choices.join(', ')} (got ${quoted(value)})`);
}

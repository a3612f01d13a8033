// Waiting on conditions, never on sleeps: shared by the engine tier (node), the integration tier (VS Code) and the
// unit tests' fakes.

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `probe` every `intervalMs` until it returns a value other than undefined/false, or fails after `timeoutMs`.
 * A short interval suits fakes whose timers run in milliseconds.
 */
export async function waitFor<T>(
  what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000, intervalMs = 50,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await pause(intervalMs);
  }
}

/**
 * Tries `attempt` again, at most `retries` times `intervalMs` apart, while `again(result)` says its answer may be
 * passing; returns the last answer either way (a refusal that lasts is itself the answer, not a time-out).
 */
export async function retryWhile<T>(attempt: () => Promise<T>, again: (result: T) => boolean, retries: number, intervalMs: number): Promise<T> {
  let last = await attempt();
  for (let i = 0; i < retries && again(last); i++) {
    await pause(intervalMs);
    last = await attempt();
  }
  return last;
}

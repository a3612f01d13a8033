// What a caught value says, for a log line or a message: an Error's message, anything else (a string thrown, a
// dockerode callback's reason) as text. The one place that knows `catch (err)` may hold a non-Error.

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

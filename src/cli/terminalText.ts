// Text that came from the user (a file, an argument, a dump) on its way to a terminal: control characters would be
// obeyed by the terminal (ESC starts an escape sequence that can move the cursor or retitle the window), and a huge
// token would flood it. Every command prints user text through these.

/** Longest piece of user input echoed in a message, in characters; longer ones end with "…". */
export const maxEchoedChars = 200;

/**
 * `text` with C0 and C1 control characters (except tab) and DEL shown as `\xNN`. Newlines are escaped too: callers
 * print whole lines.
 */
export function visible(text: string): string {
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** User input quoted for a message: capped at maxEchoedChars (then "…"), control characters visible. */
export function quoted(text: string, maxChars = maxEchoedChars): string {
  const cut = text.length > maxChars ? `${text.slice(0, maxChars)}…` : text;
  return `"${visible(cut)}"`;
}

/** `text` capped (with "…") and made visible, unquoted: for user text inside a longer line (a rule, a message). */
export function capped(text: string, maxChars = maxEchoedChars): string {
  return visible(text.length > maxChars ? `${text.slice(0, maxChars)}…` : text);
}

/** "1 port", "2 ports", "0 ports"; `plural` for irregular nouns. */
export function counted(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}

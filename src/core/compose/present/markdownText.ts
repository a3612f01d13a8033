// User text (port entries, variable defaults, network modes: anything written in a compose file) inside the markdown
// of hovers goes in code spans, so `![t](https://attacker.example/p.png)` in a port shows as written instead of
// loading an image or making a link (a code span shows its text literally and is not linkified; backslash escapes
// would still leave a bare URL to linkify).

/** Text as a code span: a fence of backticks longer than any run inside it; line breaks become spaces. */
export function codeSpan(text: string): string {
  const flat = text.replace(/\r\n?|\n/g, ' ');
  let longest = 0;
  for (const run of flat.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  // a space inside the fence when the text starts or ends with a backtick (CommonMark strips one on each side)
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

// What parseFirewall hands the lines of one format's section to: the one interface every format's reader implements
// (which format uses which reader: formats.ts). A reader writes what it reads into the RulesetBuilder it was made with.

export interface SectionReader {
  /** Takes a content line of the section; false when the line is not this format's (other formats are then tried). */
  line(text: string, line: number): boolean;
  /** The section ends before `line` or at it: another format or a shell prompt begins, or the text ends. */
  end(line: number): void;
  /** A reader that takes every line until its own closing line (nft's braces) rather than only the lines it knows. */
  readonly takesEveryLine?: boolean;
  /** Whether such a reader has read its closing line. */
  readonly done?: boolean;
}

// Character codes and classes of the YAML subset the fast path reads (fastYaml.ts, quotedScalar.ts, blockScalar.ts).

export const SPACE = 32;
export const TAB = 9;
export const LF = 10;
export const CR = 13;
export const HASH = 35;
export const COLON = 58;
export const COMMA = 44;
export const DASH = 45;
export const DOT = 46;
export const AMP = 38;
export const STAR = 42;
export const DQUOTE = 34;
export const SQUOTE = 39;
export const BACKSLASH = 92;
export const LBRACKET = 91;
export const RBRACKET = 93;
export const LBRACE = 123;
export const RBRACE = 125;

/** Characters that may not start a plain scalar (YAML c-indicator), `-` handled apart. */
export function isIndicator(c: number): boolean {
  switch (c) {
    case 63: case COLON: case COMMA: case LBRACKET: case RBRACKET: case LBRACE: case RBRACE: case HASH: case AMP:
    case STAR: case 33: case 124: case 62: case SQUOTE: case DQUOTE: case 37: case 64: case 96:
      return true;
    default:
      return false;
  }
}

export function isFlowIndicator(c: number): boolean {
  return c === COMMA || c === LBRACKET || c === RBRACKET || c === LBRACE || c === RBRACE;
}

/** Characters the scanner refuses anywhere in a scalar: controls (tab included), DEL, C1 controls, BOM. */
export function isRefused(c: number): boolean {
  return c < 32 || (c >= 0x7f && c <= 0x9f) || c === 0xfeff;
}

/** Anchor and alias names: a conservative subset of what YAML allows. */
export function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === DASH || c === DOT;
}

// Where JSON text stops being JSON. V8's JSON.parse names the offset for some errors (`… in JSON at position 11`) and
// only a snippet for others (`Unexpected token 'x', ..."name" x: "L"... is not valid JSON`), so the offset is found
// here by a scan of the same grammar: iterative (a stack of open brackets), as deep as the input nests.

/** The offset of the first character that is not valid JSON (the text's length when it ends too soon); -1 if valid. */
export function jsonErrorOffset(text: string): number {
  const n = text.length;
  let i = 0;
  const open: number[] = [];
  // what may come next: a value, or (in a container) a separator or the container's end
  let expectValue = true;
  let afterComma = false;
  const skipSpace = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
      i++;
    }
  };
  for (;;) {
    skipSpace();
    if (i >= n) return open.length || expectValue ? n : -1;
    const c = text.charCodeAt(i);
    const top = open[open.length - 1];
    if (expectValue) {
      if ((c === 93 /* ] */ && top === 91 && !afterComma) || (c === 125 /* } */ && top === 123 && !afterComma)) {
        open.pop();
        i++;
        expectValue = false;
        continue;
      }
      // an object's members start with a string key and a colon
      if (top === 123) {
        if (c !== 34) return i;
        const end = stringEnd(text, i);
        if (end < 0) return n;
        i = end;
        skipSpace();
        if (i >= n) return n;
        if (text.charCodeAt(i) !== 58 /* : */) return i;
        i++;
        skipSpace();
        if (i >= n) return n;
      }
      const v = text.charCodeAt(i);
      if (v === 91 || v === 123) {
        open.push(v);
        i++;
        afterComma = false;
        continue;
      }
      const end = v === 34 ? stringEnd(text, i) : literalEnd(text, i);
      if (end === -2) return i;
      if (end < 0) return n;
      i = end;
      expectValue = false;
      continue;
    }
    if (top === undefined) return i;
    if (c === 44 /* , */) {
      i++;
      expectValue = true;
      afterComma = true;
      // the next member of an object: back to its key
      continue;
    }
    if ((c === 93 && top === 91) || (c === 125 && top === 123)) {
      open.pop();
      i++;
      continue;
    }
    return i;
  }
}

/** Past the closing quote of the string opening at `i`; -1 when the text ends first, -2 for a control character. */
function stringEnd(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 34) return j + 1;
    if (c === 92) j++;
    else if (c < 32) return -2;
  }
  return -1;
}

/** Past a number, `true`, `false` or `null` at `i`; -2 when none starts there, -1 when the text ends inside one. */
function literalEnd(text: string, i: number): number {
  for (const word of ['true', 'false', 'null']) {
    if (text.startsWith(word, i)) return i + word.length;
    if (word.startsWith(text.slice(i)) && i < text.length) return -1;
  }
  const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
  if (!m) return -2;
  return i + m[0].length === text.length && /[.eE+-]$/.test(m[0]) ? -1 : i + m[0].length;
}

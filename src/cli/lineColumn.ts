// Offsets to the 1-based line and column that text and SARIF output show. A file's line starts are found once and
// each offset is placed by binary search: rescanning the text per finding made a 1 MB file with many findings take
// 17-25 s (npm run bench -- cli states the ratio).

export interface LineColumn {
  line: number;
  column: number;
}

export class LineIndex {
  /** Offsets where lines start; the first is 0. */
  private readonly starts: Uint32Array;

  constructor(text: string) {
    let count = 1;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
    this.starts = new Uint32Array(count);
    let line = 1;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts[line++] = i + 1;
  }

  /** 1-based line and column (in UTF-16 code units, as the offsets are) of `offset`. */
  at(offset: number): LineColumn {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      if (this.starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - this.starts[low]! + 1 };
  }
}

/** One offset's line and column; for many offsets in one text, make a LineIndex once. */
export function lineColumn(text: string, offset: number): LineColumn {
  return new LineIndex(text).at(offset);
}

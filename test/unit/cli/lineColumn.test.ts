import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { LineIndex, lineColumn } from '../../../src/cli/lineColumn';

/** The obvious way, as the reference. */
function scanned(text: string, offset: number) {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

describe('line index', () => {
  it('turns offsets into 1-based lines and columns', () => {
    assert.deepEqual(lineColumn('ab\ncd\n', 4), { line: 2, column: 2 });
    assert.deepEqual(lineColumn('ab', 0), { line: 1, column: 1 });
    assert.deepEqual(lineColumn('ab\n', 3), { line: 2, column: 1 });
    assert.deepEqual(lineColumn('', 0), { line: 1, column: 1 });
  });
  it('agrees with a scan at every offset of a text with empty lines, CRLF and a last line without newline', () => {
    const text = 'services:\r\n\n  a:\n\n\n    ports: ["80"]\nend';
    const index = new LineIndex(text);
    for (let offset = 0; offset <= text.length; offset++) assert.deepEqual(index.at(offset), scanned(text, offset), `offset ${offset}`);
  });
});

import { describe, expect, it } from 'vitest';
import { CopyFramer } from './copy-framer.js';

function frame(input: string | Buffer[], options: { columns: number; skipHeader?: boolean; delimiter?: string }) {
  const framer = new CopyFramer({
    delimiter: (options.delimiter ?? ',').charCodeAt(0),
    columns: options.columns,
    skipHeader: options.skipHeader ?? true,
  });
  const chunks = typeof input === 'string' ? [Buffer.from(input)] : input;
  const out = [...chunks.map((chunk) => framer.push(chunk)), framer.finish()];
  return { text: Buffer.concat(out).toString(), rows: framer.rows };
}

describe('CopyFramer', () => {
  it('drops the header, prefixes row numbers, normalises line ends and skips blank lines', () => {
    expect(frame('a,b\r\n1,2\r\n\r\n3,4', { columns: 2 })).toEqual({ text: '1,1,2\n2,3,4\n', rows: 2 });
  });

  it('keeps quoted delimiters and line breaks, across chunk boundaries', () => {
    const text = 'a,b\n1,"x,\ny"\n2,"q"""\n';
    const bytes = Buffer.from(text);
    for (let cut = 1; cut < bytes.length; cut++) {
      const result = frame([bytes.subarray(0, cut), bytes.subarray(cut)], { columns: 2 });
      expect(result).toEqual({ text: '1,1,"x,\ny"\n2,2,"q"""\n', rows: 2 });
    }
  });

  it('names a ragged row with its 1-based data row number and thousands separators', () => {
    const lines = ['a,b,c'];
    for (let i = 1; i <= 1234; i++) lines.push(i === 1234 ? '1,2' : '1,2,3');
    expect(() => frame(lines.join('\n'), { columns: 3 })).toThrow('row 1,234, expected 3 columns, found 2');
    expect(() => frame('a,b\n1,2,3\n', { columns: 2 })).toThrow('row 1, expected 2 columns, found 3');
  });

  it('reports an unclosed quote at the end of the file', () => {
    expect(() => frame('a,b\n1,"open\n2,3\n', { columns: 2 })).toThrow(
      'row 1: a quoted field is not closed before the end of the file',
    );
  });

  it('numbers every record when there is no header', () => {
    expect(frame('1;2\n3;4\n', { columns: 2, skipHeader: false, delimiter: ';' }).text).toBe('1;1;2\n2;3;4\n');
  });
});

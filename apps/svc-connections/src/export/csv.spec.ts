import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvField, CsvEncoder, csvLine } from './csv.js';

/** A strict RFC 4180 parser, for checking the encoder round-trips. */
function parseCsv(text: string): (string | null)[][] {
  const rows: (string | null)[][] = [];
  let row: (string | null)[] = [];
  let index = 0;
  while (index < text.length) {
    let value: string | null;
    if (text[index] === '"') {
      index++;
      let out = '';
      for (;;) {
        const quote = text.indexOf('"', index);
        if (quote < 0) throw new Error('unterminated quote');
        out += text.slice(index, quote);
        if (text[quote + 1] === '"') {
          out += '"';
          index = quote + 2;
        } else {
          index = quote + 1;
          break;
        }
      }
      value = out;
    } else {
      let end = index;
      while (end < text.length && text[end] !== ',' && text[end] !== '\r') end++;
      value = end === index ? null : text.slice(index, end);
      index = end;
    }
    row.push(value);
    if (text[index] === ',') {
      index++;
    } else if (text.startsWith('\r\n', index)) {
      rows.push(row);
      row = [];
      index += 2;
    } else if (index < text.length) {
      throw new Error(`unexpected ${JSON.stringify(text[index])} at ${index}`);
    }
  }
  return rows;
}

async function encode(header: string[], rows: (string | null)[][], booleans: number[] = []): Promise<string> {
  let out = '';
  await pipeline(Readable.from(rows), new CsvEncoder(header, booleans), async (source: AsyncIterable<string>) => {
    for await (const chunk of source) out += chunk;
  });
  return out;
}

describe('CSV (RFC 4180)', () => {
  it('quotes only when needed and doubles quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    expect(csvField(null)).toBe('');
    expect(csvField('')).toBe('""');
    expect(csvLine(['1', null, 'x'])).toBe('1,,x\r\n');
  });

  it('writes a header, CRLF lines and true/false for booleans', async () => {
    const text = await encode(
      ['id', 'vip', 'note'],
      [
        ['1', 't', 'a'],
        ['2', 'f', null],
      ],
      [1],
    );
    expect(text).toBe('id,vip,note\r\n1,true,a\r\n2,false,\r\n');
  });

  it('round-trips any text through a strict parser, across chunk boundaries', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.option(fc.string({ unit: 'grapheme' }), { nil: null }), { minLength: 3, maxLength: 3 }), {
          maxLength: 50,
        }),
        async (rows) => {
          const text = await encode(['a', 'b,c', 'd"e'], rows);
          expect(parseCsv(text)).toEqual([['a', 'b,c', 'd"e'], ...rows]);
        },
      ),
      { numRuns: 200 },
    );
    const many = Array.from({ length: 20_000 }, (_, index) => [String(index), 'x'.repeat(10), null]);
    const text = await encode(['a', 'b', 'c'], many);
    expect(parseCsv(text)).toHaveLength(20_001);
  });
});

import { describe, expect, it } from 'vitest';
import { DirectInput, NeedsFramingError } from './direct-input.js';

function run(chunks: string[], header = true) {
  const input = new DirectInput(header);
  const out = chunks.map((chunk) => input.push(Buffer.from(chunk)).toString()).join('') + input.finish().toString();
  return { out, rows: input.rows };
}

describe('DirectInput', () => {
  it('passes the bytes through, without blank lines before the header or at the end', () => {
    expect(run(['\r\n\na,b\n1,2\n', '3,4\n\n', '\r\n'])).toEqual({ out: 'a,b\n1,2\n3,4', rows: 1 });
  });

  it('keeps line breaks between chunks that end a line', () => {
    expect(run(['a,b\n', '1,2\n', '3,4']).out).toBe('a,b\n1,2\n3,4');
  });

  it('sends a file holding a lone \\. line to the framer', () => {
    expect(() => run(['a\n1\n\\.\n2\n'])).toThrow(NeedsFramingError);
    expect(() => run(['a\n1\n', '\\.\n2\n'])).toThrow(NeedsFramingError);
    expect(() => run(['a\n1\n\\', '.\n2\n'])).toThrow(NeedsFramingError);
    expect(run(['a\n1\n\\', '.x\n2\n']).out).toBe('a\n1\n\\.x\n2');
    expect(run(['a,b\n1,x\\.y\n']).out).toBe('a,b\n1,x\\.y');
  });
});

import { describe, expect, it } from 'vitest';
import { detectDelimiter, detectEncoding, detectNotCsv, trimIncompleteUtf8 } from './csv-sniff.js';

describe('detectEncoding', () => {
  it('reads byte-order marks', () => {
    expect(detectEncoding(Buffer.from([0xef, 0xbb, 0xbf, 0x61]), true)).toEqual({ encoding: 'utf-8', bomLength: 3 });
    expect(detectEncoding(Buffer.from([0xff, 0xfe, 0x61, 0x00]), true)).toEqual({ encoding: 'utf-16le', bomLength: 2 });
    expect(detectEncoding(Buffer.from([0xfe, 0xff, 0x00, 0x61]), true)).toEqual({ encoding: 'utf-16be', bomLength: 2 });
  });

  it('takes valid UTF-8 as UTF-8 and anything else as windows-1252', () => {
    expect(detectEncoding(Buffer.from('id,city\n1,Zürich\n'), true).encoding).toBe('utf-8');
    expect(detectEncoding(Buffer.from([0x69, 0x64, 0x0a, 0x43, 0x61, 0x66, 0xe9, 0x0a]), true).encoding).toBe(
      'windows-1252',
    );
  });

  it('does not blame a multi-byte character cut by the end of the sniffed prefix', () => {
    const text = Buffer.from('a,ü');
    const cut = text.subarray(0, text.length - 1);
    expect(detectEncoding(cut, false).encoding).toBe('utf-8');
    expect(detectEncoding(cut, true).encoding).toBe('windows-1252');
    expect(trimIncompleteUtf8(Buffer.from('ab'))).toEqual(Buffer.from('ab'));
    expect(trimIncompleteUtf8(Buffer.from('a€').subarray(0, 3))).toEqual(Buffer.from('a'));
  });
});

describe('detectNotCsv', () => {
  it('recognises archives and binary data', () => {
    expect(detectNotCsv(Buffer.from([0x1f, 0x8b, 8, 0]))).toBe('The file is not a CSV: it looks like a gzip archive');
    expect(detectNotCsv(Buffer.from('PK\u0003\u0004', 'latin1'))).toMatch(/ZIP archive/);
    expect(detectNotCsv(Buffer.from('%PDF-1.7'))).toMatch(/PDF document/);
    expect(detectNotCsv(Buffer.from('a,b\n1,\u0000', 'latin1'))).toBe(
      'The file is not a CSV: it contains binary data (NUL bytes)',
    );
    expect(detectNotCsv(Buffer.from('a,b\n1,2\n'))).toBeNull();
  });
});

describe('detectDelimiter', () => {
  it('picks the consistent delimiter among , ; tab |', () => {
    expect(detectDelimiter('a,b,c\n1,2,3\n4,5,6\n')).toBe(',');
    expect(detectDelimiter('a;b;c\n1;2;3\n')).toBe(';');
    expect(detectDelimiter('a\tb\n1\t2\n')).toBe('\t');
    expect(detectDelimiter('a|b|c\r\n1|2|3\r\n')).toBe('|');
  });

  it('ignores delimiters inside quotes and decimal commas of a semicolon file', () => {
    expect(detectDelimiter('name;amount\n"Smith, J";1,5\n"Doe, A";2,25\n')).toBe(';');
    expect(detectDelimiter('a,b\n"x;y;z",1\n"p;q;r",2\n')).toBe(',');
  });

  it('falls back to a comma for a one-column file', () => {
    expect(detectDelimiter('name\nAda\nGrace\n')).toBe(',');
  });
});

import { describe, expect, it } from 'vitest';
import { CsvProgress, filenameFromDisposition, formatBytes } from '../../apps/web/lib/data/csv-progress.js';

const encoder = new TextEncoder();

function countIn(chunks: string[]): CsvProgress {
  const progress = new CsvProgress();
  for (const chunk of chunks) progress.push(encoder.encode(chunk));
  return progress;
}

describe('CSV export progress', () => {
  it('counts data rows, not the header, across chunk boundaries', () => {
    const csv = 'id,name\r\n1,Ann\r\n2,"Bo, the ""second"""\r\n3,Zoë\r\n';
    for (let split = 0; split <= csv.length; split++) {
      const progress = countIn([csv.slice(0, split), csv.slice(split)]);
      expect(progress.finalRows).toBe(3);
    }
    expect(countIn([csv]).bytes).toBe(encoder.encode(csv).length);
  });

  it('does not count line breaks inside quoted fields', () => {
    const progress = countIn(['id,note\r\n1,"line one\r\nline two"\r\n2,"a\n', 'b"\r\n']);
    expect(progress.rows).toBe(2);
    expect(progress.finalRows).toBe(2);
  });

  it('counts a last line without a line end once the stream is done', () => {
    const progress = countIn(['id\r\n1\r\n2']);
    expect(progress.rows).toBe(1);
    expect(progress.finalRows).toBe(2);
    expect(countIn([]).finalRows).toBe(0);
    expect(countIn(['id\r\n']).finalRows).toBe(0);
  });

  it('formats sizes and reads the file name from content-disposition', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1536)).toBe('1.50 KB');
    expect(formatBytes(250 * 1024 * 1024)).toBe('250 MB');
    expect(filenameFromDisposition(`attachment; filename="caf_.csv"; filename*=UTF-8''caf%C3%A9.csv`, 'x.csv')).toBe(
      'café.csv',
    );
    expect(filenameFromDisposition('attachment; filename="orders.csv"', 'x.csv')).toBe('orders.csv');
    expect(filenameFromDisposition(`attachment; filename*=UTF-8''..%2F..%2Fetc.csv`, 'x.csv')).toBe('.._.._etc.csv');
    expect(filenameFromDisposition(null, 'x.csv')).toBe('x.csv');
  });
});

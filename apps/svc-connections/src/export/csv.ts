import { Transform, type TransformCallback } from 'node:stream';

const NEEDS_QUOTES = /[",\r\n]/;
const CHUNK_CHARS = 64 * 1024;

/**
 * One CSV field (RFC 4180): quoted when it holds a quote, comma, CR or LF, with inner quotes
 * doubled. NULL is an empty field; an empty string is `""`, so the two stay distinguishable.
 */
export function csvField(value: string | null): string {
  if (value === null) return '';
  if (value === '') return '""';
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function csvLine(values: readonly (string | null)[]): string {
  let line = '';
  for (let index = 0; index < values.length; index++) {
    if (index > 0) line += ',';
    line += csvField(values[index] ?? null);
  }
  return `${line}\r\n`;
}

/**
 * A batch of positional rows of Postgres text → CSV lines (CRLF). `booleanColumns`: positions
 * whose Postgres text `t`/`f` is written as `true`/`false`.
 */
export function csvRows(rows: readonly (string | null)[][], booleanColumns: readonly number[] = []): string {
  let out = '';
  for (const row of rows) {
    for (const index of booleanColumns) {
      const value = row[index];
      if (value === 't') row[index] = 'true';
      else if (value === 'f') row[index] = 'false';
    }
    out += csvLine(row);
  }
  return out;
}

/**
 * Positional rows of Postgres text (rowMode 'array', no type parsing) → CSV text, header first,
 * CRLF line ends. Lines are gathered into ~64 KB chunks so the socket sees few large writes;
 * backpressure flows from the socket through this transform to the database cursor.
 */
export class CsvEncoder extends Transform {
  private pending: string;
  private readonly booleans: readonly number[];

  /** `booleanColumns`: positions whose Postgres text `t`/`f` is written as `true`/`false`. */
  constructor(header: readonly string[], booleanColumns: readonly number[] = []) {
    super({ writableObjectMode: true, writableHighWaterMark: 1024, readableHighWaterMark: CHUNK_CHARS });
    this.pending = csvLine(header);
    this.booleans = booleanColumns;
  }

  override _transform(row: (string | null)[], _encoding: BufferEncoding, callback: TransformCallback): void {
    for (const index of this.booleans) {
      const value = row[index];
      if (value === 't') row[index] = 'true';
      else if (value === 'f') row[index] = 'false';
    }
    this.pending += csvLine(row);
    if (this.pending.length >= CHUNK_CHARS) {
      const chunk = this.pending;
      this.pending = '';
      callback(null, chunk);
      return;
    }
    callback();
  }

  override _flush(callback: TransformCallback): void {
    const chunk = this.pending;
    this.pending = '';
    callback(null, chunk.length > 0 ? chunk : undefined);
  }
}

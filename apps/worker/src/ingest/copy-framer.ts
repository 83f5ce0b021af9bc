import { IngestInputError, formatCount } from './ingest-errors.js';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

export interface CopyFramerOptions {
  /** The delimiter byte (ASCII). */
  delimiter: number;
  /** Every record must have exactly this many fields. */
  columns: number;
  /** The first record is the header: it is checked and dropped. */
  skipHeader: boolean;
}

/**
 * Turns UTF-8 CSV bytes into COPY (FORMAT csv) input without parsing values: each record is
 * copied through byte for byte, prefixed with its 1-based row number as an extra first field and
 * ended with LF. It tracks quotes exactly as COPY does, so it counts fields (a ragged row fails
 * here with its row number) and knows record boundaries across chunks; blank lines are dropped.
 *
 * Row n of the output is COPY's "line n", so a COPY error's line number is the data row number.
 */
export class CopyFramer {
  /** Data rows emitted so far. */
  rows = 0;
  private readonly delimiter: number;
  private readonly delimiterChar: string;
  private readonly columns: number;
  private headerPending: boolean;
  private inRecord = false;
  private inQuote = false;
  private fields = 0;
  private skipping = false;
  private out: Buffer = Buffer.allocUnsafe(0);
  private pos = 0;

  constructor(options: CopyFramerOptions) {
    this.delimiter = options.delimiter;
    this.delimiterChar = String.fromCharCode(options.delimiter);
    this.columns = options.columns;
    this.headerPending = options.skipHeader;
  }

  /** Frames one chunk; the result holds whole and partial records (COPY accepts any split). */
  push(chunk: Buffer): Buffer {
    this.reserve(chunk.length + 64);
    const delimiter = this.delimiter;
    let segStart = this.inRecord && !this.skipping ? 0 : -1;
    const n = chunk.length;
    for (let i = 0; i < n; i++) {
      const b = chunk[i]!;
      if (this.inQuote) {
        if (b === QUOTE) this.inQuote = false;
        continue;
      }
      if (!this.inRecord) {
        if (b === LF || b === CR) continue;
        this.inRecord = true;
        this.fields = 1;
        if (this.headerPending) {
          this.skipping = true;
        } else {
          this.rows += 1;
          this.writePrefix(this.rows, n - i);
          segStart = i;
        }
      }
      if (b === QUOTE) {
        this.inQuote = true;
      } else if (b === delimiter) {
        this.fields += 1;
      } else if (b === LF || b === CR) {
        this.endRecord();
        if (segStart >= 0) this.copySegment(chunk, segStart, i, n - i);
        segStart = -1;
      }
    }
    if (segStart >= 0) this.copySegment(chunk, segStart, n, 0, false);
    const result = Buffer.from(this.out.subarray(0, this.pos));
    this.pos = 0;
    return result;
  }

  /** Ends the input: closes a last record without terminator. */
  finish(): Buffer {
    if (this.inQuote) {
      throw new IngestInputError(
        `row ${formatCount(Math.max(this.rows, 1))}: a quoted field is not closed before the end of the file`,
      );
    }
    if (!this.inRecord) return Buffer.alloc(0);
    this.endRecord();
    this.reserve(1);
    if (!this.skipping) this.out[this.pos++] = LF;
    const result = Buffer.from(this.out.subarray(0, this.pos));
    this.pos = 0;
    return result;
  }

  private endRecord(): void {
    if (this.fields !== this.columns) {
      const what = this.skipping ? 'the header' : `row ${formatCount(this.rows)}`;
      throw new IngestInputError(
        `${what}, expected ${formatCount(this.columns)} columns, found ${formatCount(this.fields)}`,
      );
    }
    this.inRecord = false;
    if (this.skipping) {
      this.skipping = false;
      this.headerPending = false;
    }
  }

  private writePrefix(row: number, remaining: number): void {
    this.reserve(24 + remaining);
    this.pos += this.out.write(String(row), this.pos, 'latin1');
    this.out.write(this.delimiterChar, this.pos, 'latin1');
    this.pos += 1;
  }

  private copySegment(chunk: Buffer, start: number, end: number, remaining: number, terminate = true): void {
    this.reserve(end - start + 1 + remaining);
    chunk.copy(this.out, this.pos, start, end);
    this.pos += end - start;
    if (terminate) this.out[this.pos++] = LF;
  }

  private reserve(extra: number): void {
    if (this.pos + extra <= this.out.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.out.length * 2, this.pos + extra, 64 * 1024));
    this.out.copy(next, 0, 0, this.pos);
    this.out = next;
  }
}

/** The direct path cannot take this file as is; the framer has to read it. */
export class NeedsFramingError extends Error {}

const LF = 0x0a;
const CR = 0x0d;

/**
 * The direct path's only byte work: drops blank lines before the header and at the end (COPY
 * would take the first as the header and the last as rows), counts line feeds for progress and
 * refuses a line that is exactly `\.` (COPY's end-of-data marker in CSV mode).
 */
export class DirectInput {
  /** Rows sent so far, approximately (for progress; COPY's count is the real one). */
  rows = 0;
  private newlines = 0;
  private started = false;
  private held: Buffer | null = null;
  private lineStart = true;
  private backslashAtLineStart = false;

  constructor(private readonly header: boolean) {}

  push(input: Buffer): Buffer {
    let chunk = input;
    if (!this.started) {
      let skip = 0;
      while (skip < chunk.length && (chunk[skip] === LF || chunk[skip] === CR)) skip += 1;
      chunk = chunk.subarray(skip);
      if (chunk.length === 0) return chunk;
      this.started = true;
    }
    this.scan(chunk);
    let end = chunk.length;
    while (end > 0 && (chunk[end - 1] === LF || chunk[end - 1] === CR)) end -= 1;
    const parts: Buffer[] = [];
    if (this.held && end > 0) parts.push(this.held);
    if (end > 0) this.held = null;
    parts.push(chunk.subarray(0, end));
    if (end < chunk.length) this.held = Buffer.concat([this.held ?? Buffer.alloc(0), chunk.subarray(end)]);
    const out = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    this.countLines(out);
    return out;
  }

  finish(): Buffer {
    return Buffer.alloc(0);
  }

  /** Line breaks sent so far, less the header's: rows sent whole (quoted breaks count too). */
  private countLines(out: Buffer): void {
    for (let index = out.indexOf(LF); index !== -1; index = out.indexOf(LF, index + 1)) this.newlines += 1;
    this.rows = Math.max(0, this.newlines - (this.header ? 1 : 0));
  }

  private scan(chunk: Buffer): void {
    // A marker cut by the chunk boundary: `\` ended the previous chunk at a line start.
    if (this.backslashAtLineStart && chunk[0] === DOT && isLineEnd(chunk[1])) throw markerError();
    let marker = chunk.indexOf('\\.');
    while (marker !== -1) {
      const before = marker === 0 ? (this.lineStart ? LF : 0) : chunk[marker - 1];
      if ((before === LF || before === CR) && isLineEnd(chunk[marker + 2])) throw markerError();
      marker = chunk.indexOf('\\.', marker + 1);
    }
    const n = chunk.length;
    const beforeLast = n >= 2 ? chunk[n - 2] : this.lineStart ? LF : 0;
    this.backslashAtLineStart = chunk[n - 1] === BACKSLASH && (beforeLast === LF || beforeLast === CR);
    const last = chunk[n - 1];
    this.lineStart = last === LF || last === CR;
  }
}

const DOT = 0x2e;
const BACKSLASH = 0x5c;

/** End of line or of the chunk (what follows is unknown: assume the worst, reframing is safe). */
function isLineEnd(byte: number | undefined): boolean {
  return byte === undefined || byte === LF || byte === CR;
}

function markerError(): NeedsFramingError {
  return new NeedsFramingError('a line holds only \\. (end-of-data marker)');
}

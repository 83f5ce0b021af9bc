/**
 * Counts CSV records while the export streams in, chunk by chunk, without decoding text:
 * in UTF-8 the bytes of `"` and `\n` never occur inside a multi-byte character, so a newline
 * outside quotes ends a record even across chunk boundaries. The header line is not a row.
 */
const QUOTE = 0x22;
const NEWLINE = 0x0a;

export class CsvProgress {
  bytes = 0;
  private records = 0;
  private inQuotes = false;
  private lastByte = -1;

  push(chunk: Uint8Array): void {
    this.bytes += chunk.length;
    let inQuotes = this.inQuotes;
    let records = this.records;
    for (let index = 0; index < chunk.length; index++) {
      const byte = chunk[index];
      if (byte === QUOTE) inQuotes = !inQuotes;
      else if (byte === NEWLINE && !inQuotes) records++;
    }
    this.inQuotes = inQuotes;
    this.records = records;
    if (chunk.length > 0) this.lastByte = chunk[chunk.length - 1] ?? -1;
  }

  /** Data rows received so far (complete lines after the header). */
  get rows(): number {
    return Math.max(0, this.records - 1);
  }

  /** Data rows once the stream has ended (a last line without a line end counts). */
  get finalRows(): number {
    const records = this.bytes > 0 && this.lastByte !== NEWLINE ? this.records + 1 : this.records;
    return Math.max(0, records - 1);
  }
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

/** File name from a `content-disposition` header (RFC 6266 `filename*` first), or the fallback. */
export function filenameFromDisposition(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (star?.[1]) {
    try {
      return sanitizeFilename(decodeURIComponent(star[1].trim())) || fallback;
    } catch {
      // fall through to the plain filename
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(header);
  return (plain?.[1] && sanitizeFilename(plain[1].trim())) || fallback;
}

function sanitizeFilename(name: string): string {
  // eslint-disable-next-line no-control-regex
  return name.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_').slice(0, 200);
}

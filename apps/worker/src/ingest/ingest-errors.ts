/**
 * Bad input: the file itself is wrong. The message is shown to the user as is, the job is not
 * retried (the processor turns it into bullmq's UnrecoverableError) and nothing visible changes.
 */
export class IngestInputError extends Error {
  override readonly name = 'IngestInputError';
}

/** The job was cancelled (worker shutting down): the attempt is abandoned and re-queued. */
export class IngestCancelledError extends Error {
  override readonly name = 'IngestCancelledError';
}

const numberFormat = new Intl.NumberFormat('en-US');

/** `18223` → `18,223` (row numbers and counts in user-facing messages). */
export function formatCount(value: number): string {
  return numberFormat.format(value);
}

/** `5368709120` → `5 GiB`, `1536` → `1.5 KiB`. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const rounded = unit === 0 ? String(value) : String(Math.round(value * 10) / 10);
  return `${rounded} ${units[unit]}`;
}

/** Shortens a value quoted in a message so one bad cell cannot flood the failure reason. */
export function quoteValue(value: string, max = 60): string {
  const short = value.length > max ? `${value.slice(0, max)}…` : value;
  return `'${short}'`;
}

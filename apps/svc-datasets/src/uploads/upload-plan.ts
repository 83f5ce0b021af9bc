/** Pure helpers for presigned uploads (names, content types, part sizes, human sizes). */

/** S3 allows at most 10,000 parts per multipart upload. */
export const MAX_PARTS = 10_000;

/**
 * The file name kept for display: the last path segment, without control characters, at most
 * 255 characters. It never becomes part of an object key.
 */
export function displayFileName(raw: string): string {
  const last =
    raw
      .split(/[\\/]/)
      .filter((part) => part.trim() !== '')
      .pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = last.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  const name = clean === '' || clean === '.' || clean === '..' ? 'upload.csv' : clean;
  return name.slice(0, 255);
}

const CONTENT_TYPE =
  /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}(; ?charset=[a-z0-9_-]{1,40})?$/i;

/**
 * Media types a CSV/TSV upload may declare: what browsers and tools send for .csv, .tsv and
 * .txt files. Anything else (text/html, image/svg+xml, …) is refused: the type is signed into
 * the PUT and stored on the object, which must never be servable as active content.
 */
export const ACCEPTED_UPLOAD_TYPES = [
  'text/csv',
  'text/plain',
  'text/tab-separated-values',
  'application/csv',
  'application/vnd.ms-excel',
  'application/octet-stream',
] as const;

/** Whether a declared content type may be accepted (malformed ones are replaced, see below). */
export function isAcceptedUploadType(raw: string | undefined): boolean {
  const value = (raw ?? '').trim();
  if (!CONTENT_TYPE.test(value)) return true;
  const essence = value.split(';')[0]?.trim().toLowerCase() ?? '';
  return (ACCEPTED_UPLOAD_TYPES as readonly string[]).includes(essence);
}

/** A well-formed media type (signed into the PUT), else `text/csv`. */
export function uploadContentType(raw: string | undefined): string {
  const value = (raw ?? '').trim();
  return CONTENT_TYPE.test(value) ? value : 'text/csv';
}

/** Part size for a multipart upload: the configured size, larger when the file needs > 10,000 parts. */
export function partSizeFor(sizeBytes: number, configuredPartSize: number): number {
  return Math.max(configuredPartSize, Math.ceil(sizeBytes / MAX_PARTS));
}

/** `5368709120` → `5 GiB`, `1536` → `1.5 KiB`. */
export function humanBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const rounded = Math.round(value * 10) / 10;
  return `${Number.isInteger(rounded) ? rounded.toFixed(0) : rounded.toFixed(1)} ${units[unit]}`;
}

export const formatBytes = (bytes: number) => `${bytes.toLocaleString('en')} bytes`;

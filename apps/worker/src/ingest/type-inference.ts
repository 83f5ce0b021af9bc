import type { TColumnType } from '@elasticdash/contracts/datasets/dataset';

const INTEGER = /^[+-]?\d+$/;
const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const BOOLEAN = new Set(['true', 'false', 't', 'f', 'yes', 'no', 'y', 'n']);
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(:(\d{2})(\.\d{1,6})?)?(Z|[+-]\d{2}(:?\d{2})?)?$/i;
const INT64_MAX = 9223372036854775807n;

function validDate(year: string, month: string, day: string): boolean {
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** The narrowest type a single non-empty value (already trimmed) fits, as COPY will read it. */
export function valueType(value: string): TColumnType {
  if (INTEGER.test(value)) {
    const digits = value.replace(/^[+-]/, '');
    // Leading zeros (zip codes, ids like 007) are identifiers: keep them as text.
    if (digits.length > 1 && digits.startsWith('0')) return 'text';
    if (digits.length <= 18) return 'integer';
    const big = BigInt(value);
    return big <= INT64_MAX && big >= -INT64_MAX - 1n ? 'integer' : 'numeric';
  }
  if (NUMERIC.test(value)) return 'numeric';
  if (BOOLEAN.has(value.toLowerCase())) return 'boolean';
  const date = DATE.exec(value);
  if (date) return validDate(date[1]!, date[2]!, date[3]!) ? 'date' : 'text';
  const ts = TIMESTAMP.exec(value);
  if (ts) {
    const [, y, mo, d, h, mi, , s] = ts;
    if (!validDate(y!, mo!, d!) || Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59) return 'text';
    return 'timestamp';
  }
  return 'text';
}

/** The narrowest type holding both (integer ⊂ numeric, date ⊂ timestamp, anything else → text). */
export function widerType(a: TColumnType | null, b: TColumnType): TColumnType {
  if (a === null || a === b) return b;
  const pair = new Set([a, b]);
  if (pair.has('integer') && pair.has('numeric')) return 'numeric';
  if (pair.has('date') && pair.has('timestamp')) return 'timestamp';
  return 'text';
}

/** Column types from sample rows; a column with no value in the sample is text. */
export function inferTypes(rows: readonly (readonly string[])[], columns: number): TColumnType[] {
  const types: Array<TColumnType | null> = new Array<TColumnType | null>(columns).fill(null);
  for (const row of rows) {
    for (let c = 0; c < columns; c++) {
      const current = types[c]!;
      if (current === 'text') continue;
      const value = row[c]?.trim();
      if (!value) continue;
      types[c] = widerType(current, valueType(value));
    }
  }
  return types.map((type) => type ?? 'text');
}

/**
 * The type a column falls back to when COPY rejects `value` for it: the next type that holds
 * the value (integer → numeric for big or decimal numbers, date → timestamp), else text, so an
 * ingest never fails because the sample guessed too narrow.
 */
export function widenFor(type: TColumnType, value: string): TColumnType {
  const fits = valueType(value.trim());
  const wider = widerType(type, fits);
  if (wider !== type) return wider;
  // The value looks like the type but COPY refused it (out of range, e.g. year 0 or 10^30).
  if (type === 'integer') return 'numeric';
  return 'text';
}

/**
 * Whether the first record is a header. It is data only when its values fit the types the other
 * rows have (at least one typed column agreeing and none disagreeing); a file whose columns are
 * all text is taken to have a header, which is what CSV exports almost always do.
 */
export function looksLikeHeader(first: readonly string[], rest: readonly (readonly string[])[]): boolean {
  if (rest.length === 0) return true;
  const types = inferTypes(rest, first.length);
  let agree = 0;
  let disagree = 0;
  types.forEach((type, c) => {
    if (type === 'text') return;
    const value = first[c]?.trim() ?? '';
    if (!value) return;
    if (widerType(type, valueType(value)) === type) agree += 1;
    else disagree += 1;
  });
  return !(agree > 0 && disagree === 0);
}

import type { TCatalogColumn, TColumnKind } from '@elasticdash/contracts/data/catalog';

/**
 * Cells as the API sends them (see ZCellValue): numbers for integer/float, strings for
 * bigint/numeric (exact), booleans, Postgres text for dates/times/uuid/enum/interval, parsed
 * JSON for json, arrays for arrays, `\x…` for bytea, null for NULL. This module turns them into
 * display text and editor text, and editor text back into values the server accepts.
 */
export type TColumnLike = Pick<TCatalogColumn, 'kind' | 'elementKind' | 'enumValues' | 'nullable' | 'dataType'>;

export type TParsed = { ok: true; value: unknown } | { ok: false; error: string };

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;
const SPECIAL_NUMBER = /^(?:nan|[+-]?infinity)$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?$/;
const LOCAL_DATETIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)$/;
const PG_TIMESTAMP =
  /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s?(Z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)?$/i;
const BYTEA = /^\\x(?:[0-9a-f]{2})*$/i;

/** One line of display text for a cell (NULL is shown by the cell itself, as an empty value). */
export function formatCell(value: unknown, kind: TColumnKind): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (kind === 'json' || kind === 'array' || typeof value === 'object') {
    try {
      return JSON.stringify(value);
    } catch {
      return String(value);
    }
  }
  return String(value);
}

/** Editors that are a multi-line JSON text. */
export function isJsonEditor(kind: TColumnKind): boolean {
  return kind === 'json' || kind === 'array';
}

/** Splits Postgres timestamp text into the datetime-local part and its offset (`+00`, `+05:30`, or ''). */
export function splitTimestamp(text: string): { local: string; offset: string } | null {
  const match = PG_TIMESTAMP.exec(text.trim());
  if (!match) return null;
  const [, date = '', time = '', offset = ''] = match;
  // datetime-local takes at most milliseconds.
  const trimmedTime = time.replace(/(\.\d{3})\d+$/, '$1');
  const withSeconds = trimmedTime.length === 5 ? `${trimmedTime}:00` : trimmedTime;
  return { local: `${date}T${withSeconds}`, offset };
}

/** The browser's UTC offset as `+HH:MM`, for new timestamptz values. */
export function localOffset(date = new Date()): string {
  const minutes = -date.getTimezoneOffset();
  const sign = minutes >= 0 ? '+' : '-';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * The text an editor starts with. Date-like values become what `<input type=date|datetime-local|time>`
 * accepts; JSON and arrays are pretty-printed.
 */
export function toEditorText(value: unknown, column: TColumnLike): string {
  if (value === null || value === undefined) return '';
  switch (column.kind) {
    case 'json':
    case 'array':
      return JSON.stringify(value, null, 2);
    case 'timestamp':
    case 'timestamptz': {
      const parts = typeof value === 'string' ? splitTimestamp(value) : null;
      return parts ? parts.local : formatCell(value, column.kind);
    }
    case 'time':
      return typeof value === 'string' ? value.replace(/([+-]\d{2}(?::?\d{2})?)$/, '') : formatCell(value, column.kind);
    default:
      return formatCell(value, column.kind);
  }
}

/** Which native input an editor uses for a kind (when the current value fits it). */
export function inputTypeFor(kind: TColumnKind, text: string): 'text' | 'date' | 'datetime-local' | 'time' {
  if (kind === 'date' && (text === '' || DATE.test(text))) return 'date';
  if ((kind === 'timestamp' || kind === 'timestamptz') && (text === '' || LOCAL_DATETIME.test(text)))
    return 'datetime-local';
  if (kind === 'time' && (text === '' || TIME.test(text))) return 'time';
  return 'text';
}

/**
 * Editor text → the value sent to the server, or a sentence saying what is wrong. Empty text is
 * an error for kinds where it cannot mean anything (use NULL); for text it is the empty string.
 * `original` is the value being edited (timestamptz keeps its offset).
 */
export function parseEditorText(text: string, column: TColumnLike, original?: unknown): TParsed {
  const trimmed = text.trim();
  const kind = column.kind;
  const needValue = (what: string): TParsed => ({
    ok: false,
    error: column.nullable ? `Enter ${what}, or set NULL` : `Enter ${what}`,
  });
  switch (kind) {
    case 'integer':
    case 'bigint': {
      if (trimmed === '') return needValue('a whole number');
      if (!INTEGER.test(trimmed)) return { ok: false, error: `"${trimmed}" is not a whole number` };
      if (kind === 'bigint') return { ok: true, value: trimmed.replace(/^\+/, '') };
      const number = Number(trimmed);
      return { ok: true, value: Number.isSafeInteger(number) ? number : trimmed };
    }
    case 'numeric': {
      if (trimmed === '') return needValue('a number');
      if (!DECIMAL.test(trimmed) && !SPECIAL_NUMBER.test(trimmed))
        return { ok: false, error: `"${trimmed}" is not a number` };
      return { ok: true, value: trimmed };
    }
    case 'float': {
      if (trimmed === '') return needValue('a number');
      if (SPECIAL_NUMBER.test(trimmed)) return { ok: true, value: trimmed };
      if (!DECIMAL.test(trimmed)) return { ok: false, error: `"${trimmed}" is not a number` };
      return { ok: true, value: Number(trimmed) };
    }
    case 'boolean': {
      const lower = trimmed.toLowerCase();
      if (lower === 'true' || lower === 't' || lower === 'yes' || lower === '1') return { ok: true, value: true };
      if (lower === 'false' || lower === 'f' || lower === 'no' || lower === '0') return { ok: true, value: false };
      return needValue('true or false');
    }
    case 'uuid': {
      if (trimmed === '') return needValue('a UUID');
      return UUID.test(trimmed)
        ? { ok: true, value: trimmed.toLowerCase() }
        : { ok: false, error: `"${trimmed}" is not a UUID` };
    }
    case 'date': {
      if (trimmed === '') return needValue('a date');
      if (DATE.test(trimmed) || /^-?infinity$/i.test(trimmed) || /^\d{4,}-\d{2}-\d{2} BC$/.test(trimmed))
        return { ok: true, value: trimmed };
      return { ok: false, error: `"${trimmed}" is not a date (YYYY-MM-DD)` };
    }
    case 'timestamp':
    case 'timestamptz': {
      if (trimmed === '') return needValue('a date and time');
      if (/^-?infinity$/i.test(trimmed)) return { ok: true, value: trimmed };
      const local = LOCAL_DATETIME.exec(trimmed);
      if (local) {
        const time = (local[2] ?? '').length === 5 ? `${local[2]}:00` : (local[2] ?? '');
        const base = `${local[1]} ${time}`;
        if (kind === 'timestamp') return { ok: true, value: base };
        const previous = typeof original === 'string' ? splitTimestamp(original) : null;
        return { ok: true, value: `${base}${previous?.offset || localOffset()}` };
      }
      if (PG_TIMESTAMP.test(trimmed)) return { ok: true, value: trimmed };
      return { ok: false, error: `"${trimmed}" is not a date and time (YYYY-MM-DD HH:MM:SS)` };
    }
    case 'time': {
      if (trimmed === '') return needValue('a time');
      if (TIME.test(trimmed)) return { ok: true, value: trimmed.length === 5 ? `${trimmed}:00` : trimmed };
      if (/^\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?[+-]\d{2}(?::?\d{2})?$/.test(trimmed)) return { ok: true, value: trimmed };
      return { ok: false, error: `"${trimmed}" is not a time (HH:MM:SS)` };
    }
    case 'json': {
      if (trimmed === '') return needValue('JSON');
      try {
        return { ok: true, value: JSON.parse(trimmed) as unknown };
      } catch (error) {
        return { ok: false, error: `Not valid JSON: ${error instanceof Error ? error.message : 'parse error'}` };
      }
    }
    case 'array': {
      if (trimmed === '') return needValue('a list, e.g. ["a", "b"]');
      try {
        const value = JSON.parse(trimmed) as unknown;
        if (!Array.isArray(value)) return { ok: false, error: 'Enter a JSON list, e.g. ["a", "b"] or [1, 2]' };
        return { ok: true, value };
      } catch (error) {
        return { ok: false, error: `Not a valid list: ${error instanceof Error ? error.message : 'parse error'}` };
      }
    }
    case 'enum': {
      if (column.enumValues && !column.enumValues.includes(text)) {
        return text === '' ? needValue('one of the allowed values') : { ok: false, error: `"${text}" is not allowed` };
      }
      return { ok: true, value: text };
    }
    case 'bytea': {
      if (trimmed === '') return needValue('bytes as hex (\\x…)');
      return BYTEA.test(trimmed)
        ? { ok: true, value: trimmed }
        : { ok: false, error: 'Enter bytes in hex form, e.g. \\xdeadbeef' };
    }
    case 'interval': {
      if (trimmed === '') return needValue('an interval, e.g. 2 days');
      return { ok: true, value: trimmed };
    }
    default:
      return { ok: true, value: text };
  }
}

/** Canonical JSON (sorted object keys) for comparing cells. */
export function stableStringify(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableStringify(item)}`).join(',')}}`;
}

export function sameValue(a: unknown, b: unknown): boolean {
  return stableStringify(a) === stableStringify(b);
}

/** A short, single-line rendering for dialogs ("NULL" for null). */
export function describeValue(value: unknown, kind: TColumnKind): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string' && value === '') return '(empty text)';
  return formatCell(value, kind);
}

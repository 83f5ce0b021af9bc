import type { TCatalogColumn, TColumnKind } from '@elasticdash/contracts/data/catalog';
import { invalid, show } from './invalid.js';

/** What a value becomes before it is bound: Postgres text input (or an array of it), or NULL. */
export type Bindable = string | boolean | null | Bindable[];

type ValueColumn = Pick<TCatalogColumn, 'name' | 'dataType' | 'kind' | 'elementKind' | 'enumValues'>;

const INTEGER_RANGES: Record<string, [bigint, bigint]> = {
  smallint: [-32768n, 32767n],
  int2: [-32768n, 32767n],
  integer: [-2147483648n, 2147483647n],
  int4: [-2147483648n, 2147483647n],
  int: [-2147483648n, 2147483647n],
  oid: [0n, 4294967295n],
};
const BIGINT_RANGE: [bigint, bigint] = [-9223372036854775808n, 9223372036854775807n];

const INTEGER_TEXT = /^[+-]?\d+$/;
const DECIMAL_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;
const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_TEXT = /^(\d{4,})-(\d{2})-(\d{2})(?: BC)?$/;
const OFFSET = String.raw`(?:Z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)`;
const TIMESTAMP_TEXT = new RegExp(
  String.raw`^(\d{4,})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?)?\s?(${OFFSET})?(?: BC)?$`,
  'i',
);
const TIME_TEXT = new RegExp(String.raw`^(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?\s?(${OFFSET})?$`, 'i');
const BYTEA_TEXT = /^\\x(?:[0-9a-f]{2})*$/i;
const BOOLEAN_TEXT: Record<string, boolean> = {
  true: true,
  false: false,
  t: true,
  f: false,
  yes: true,
  no: false,
  '1': true,
  '0': false,
};
const INFINITIES = new Set(['infinity', '-infinity', '+infinity']);
const MAX_TEXT_LENGTH = 1_000_000;

function numberText(value: unknown): string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return value.trim();
  return null;
}

function validCalendarDate(year: string, month: string, day: string): boolean {
  const m = Number(month);
  const d = Number(day);
  if (m < 1 || m > 12 || d < 1) return false;
  const y = Number(year);
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 31;
  return d <= days;
}

function stringOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return null;
}

function checkText(text: string, path: string): string {
  if (text.includes('\0')) throw invalid(path, 'text cannot contain the NUL character');
  if (text.length > MAX_TEXT_LENGTH) throw invalid(path, 'text is too long');
  return text;
}

/**
 * Validates a user value for a column of the given kind and turns it into the text Postgres
 * parses for that type (bound as a parameter, cast to the column's base type). Throws a 400
 * naming `path` with a sentence a person understands.
 */
export function coerceValue(column: ValueColumn, value: unknown, path: string): Bindable {
  if (value === null || value === undefined) return null;
  return coerceKind(column, column.kind, value, path);
}

/**
 * Like coerceValue, and also checks what only a write must respect (filters may compare with
 * anything): the precision of `numeric(p,s)` and the length of `varchar(n)`/`char(n)`, so the
 * answer names the field instead of Postgres's column-less "numeric field overflow".
 */
export function coerceForWrite(column: ValueColumn, value: unknown, path: string): Bindable {
  const bound = coerceValue(column, value, path);
  if (typeof bound !== 'string') return bound;
  if (column.kind === 'numeric') {
    const typmod = /^numeric\((\d+)(?:,\s*(-?\d+))?\)$/.exec(column.dataType);
    if (typmod && DECIMAL_TEXT.test(bound)) {
      const precision = Number(typmod[1]);
      const scale = Number(typmod[2] ?? 0);
      const [mantissa = '', exponent = '0'] = bound.replace(/^[+-]/, '').toLowerCase().split('e');
      const [whole = '', fraction = ''] = mantissa.split('.');
      const digits = (whole + fraction).replace(/^0+/, '');
      const integerDigits = Math.max(0, digits.length - fraction.length + Number(exponent));
      if (integerDigits > precision - scale) {
        throw invalid(
          path,
          `${bound} is too large for ${column.dataType} (at most ${precision - scale} digits before the decimal point)`,
        );
      }
    }
  }
  if (column.kind === 'text') {
    const typmod = /^(?:character varying|character|varchar|char)\((\d+)\)$/.exec(column.dataType);
    const max = typmod ? Number(typmod[1]) : null;
    if (max !== null && [...bound].length > max) throw invalid(path, `is longer than ${max} characters`);
  }
  return bound;
}

function coerceKind(column: ValueColumn, kind: TColumnKind, value: unknown, path: string): Bindable {
  switch (kind) {
    case 'integer':
    case 'bigint': {
      const text = numberText(value);
      if (text === null || !INTEGER_TEXT.test(text)) throw invalid(path, `${show(value)} is not a whole number`);
      const [min, max] = kind === 'bigint' ? BIGINT_RANGE : (INTEGER_RANGES[column.dataType] ?? BIGINT_RANGE);
      const big = BigInt(text);
      if (big < min || big > max)
        throw invalid(path, `${text} is out of range for ${column.dataType} (${min} to ${max})`);
      return big.toString();
    }
    case 'numeric':
    case 'float': {
      const text = numberText(value);
      if (text === null) throw invalid(path, `${show(value)} is not a number`);
      if (DECIMAL_TEXT.test(text)) return text;
      if (/^(?:nan|[+-]?infinity)$/i.test(text)) return text;
      throw invalid(path, `${show(value)} is not a number`);
    }
    case 'boolean': {
      if (typeof value === 'boolean') return value;
      const text =
        typeof value === 'string' ? value.trim().toLowerCase() : typeof value === 'number' ? String(value) : '';
      const parsed = BOOLEAN_TEXT[text];
      if (parsed === undefined) throw invalid(path, `${show(value)} is not true or false`);
      return parsed;
    }
    case 'uuid': {
      const text = typeof value === 'string' ? value.trim() : '';
      if (!UUID_TEXT.test(text)) throw invalid(path, `${show(value)} is not a UUID`);
      return text.toLowerCase();
    }
    case 'date': {
      const text = typeof value === 'string' ? value.trim() : '';
      if (INFINITIES.has(text.toLowerCase())) return text;
      const match = DATE_TEXT.exec(text);
      if (!match || !validCalendarDate(match[1] ?? '', match[2] ?? '', match[3] ?? '')) {
        throw invalid(path, `${show(value)} is not a date (YYYY-MM-DD)`);
      }
      return text;
    }
    case 'timestamp':
    case 'timestamptz': {
      const text = typeof value === 'string' ? value.trim() : '';
      if (INFINITIES.has(text.toLowerCase())) return text;
      const match = TIMESTAMP_TEXT.exec(text);
      const valid =
        match !== null &&
        validCalendarDate(match[1] ?? '', match[2] ?? '', match[3] ?? '') &&
        (match[4] === undefined || Number(match[4]) <= 24) &&
        (match[5] === undefined || Number(match[5]) <= 59) &&
        (match[6] === undefined || Number(match[6]) <= 60);
      if (!valid) throw invalid(path, `${show(value)} is not a date and time (YYYY-MM-DD HH:MM:SS)`);
      return text;
    }
    case 'time': {
      const text = typeof value === 'string' ? value.trim() : '';
      const match = TIME_TEXT.exec(text);
      if (!match || Number(match[1]) > 24 || Number(match[2]) > 59 || Number(match[3] ?? 0) > 60) {
        throw invalid(path, `${show(value)} is not a time (HH:MM:SS)`);
      }
      return text;
    }
    case 'interval': {
      const text = typeof value === 'string' ? value.trim() : '';
      if (text.length === 0 || text.length > 200)
        throw invalid(path, `${show(value)} is not an interval (e.g. "2 days")`);
      return checkText(text, path);
    }
    case 'json': {
      let text: string | undefined;
      try {
        text = JSON.stringify(value);
      } catch {
        text = undefined;
      }
      if (text === undefined) throw invalid(path, `${show(value)} is not JSON`);
      return checkText(text, path);
    }
    case 'enum': {
      const text = typeof value === 'string' ? value : null;
      if (text === null) throw invalid(path, `${show(value)} is not one of the allowed values`);
      if (column.enumValues && !column.enumValues.includes(text)) {
        const allowed = column.enumValues.slice(0, 20).map((option) => JSON.stringify(option));
        throw invalid(path, `${show(value)} is not one of ${allowed.join(', ')}`);
      }
      return text;
    }
    case 'array': {
      if (!Array.isArray(value)) throw invalid(path, `${show(value)} is not a list`);
      if (value.length > 10_000) throw invalid(path, 'the list is too long');
      const elementKind = column.elementKind ?? 'other';
      const element: ValueColumn = {
        ...column,
        kind: elementKind,
        elementKind: null,
        dataType: column.dataType.replace(/(?:\[\])+$/, ''),
      };
      return value.map((item: unknown, index) => {
        const itemPath = `${path}.${index}`;
        if (item === null || item === undefined) return null;
        if (Array.isArray(item)) return coerceKind(column, 'array', item, itemPath);
        return coerceKind(element, elementKind, item, itemPath);
      });
    }
    case 'bytea': {
      const text = typeof value === 'string' ? value.trim() : '';
      if (!BYTEA_TEXT.test(text)) throw invalid(path, `${show(value)} is not bytes in hex form (\\x…)`);
      return text;
    }
    case 'text':
    case 'other':
    default: {
      const text = stringOf(value);
      if (text === null) throw invalid(path, `${show(value)} is not text`);
      return checkText(text, path);
    }
  }
}

import type { TCatalogColumn, TColumnKind } from '@elasticdash/contracts/data/catalog';

/**
 * The only ways text reaches SQL built by the rows engine:
 * - identifiers that were first matched against the introspected catalog, then quoted here;
 * - type names taken from the catalog (`format_type` output), checked against a strict grammar;
 * - `$n` placeholders whose values travel separately as bound parameters;
 * - fixed keywords written in this module's callers.
 */

/** Quotes an identifier: wraps it in double quotes and doubles any quote inside. */
export function quoteIdent(name: string): string {
  if (name.length === 0 || name.includes('\0')) throw new Error('Invalid identifier');
  return `"${name.replaceAll('"', '""')}"`;
}

/** `"schema"."table"` for a catalog table. */
export function qualifiedName(schema: string, table: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(table)}`;
}

/** Collects bound parameters; `add` answers the `$n` placeholder of the value. */
export class Params {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }

  /** `$n::type`: a bound value with an explicit cast. */
  typed(value: unknown, castType: string): string {
    return `${this.add(value)}::${castType}`;
  }
}

/** Escapes `%`, `_` and `\` so a user's text matches literally inside LIKE/ILIKE (default escape `\`). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

// A type name as `format_type` prints it, once typmods are removed: words or quoted identifiers,
// optionally schema-qualified, spaces between words (`double precision`, `time with time zone`),
// then any number of `[]`.
const WORD = String.raw`(?:[a-z_][a-z0-9_$]*|"(?:[^"]|"")+")`;
const TYPE_NAME = new RegExp(String.raw`^${WORD}(?:\.${WORD})?(?: [a-z_][a-z0-9_]*)*(?:\[\])*$`);

/** Removes `(n)` / `(p,s)` type modifiers that are outside quoted identifiers. */
export function stripTypmod(dataType: string): string {
  let out = '';
  let index = 0;
  while (index < dataType.length) {
    const char = dataType[index] as string;
    if (char === '"') {
      const end = findClosingQuote(dataType, index);
      out += dataType.slice(index, end + 1);
      index = end + 1;
      continue;
    }
    if (char === '(') {
      const close = dataType.indexOf(')', index);
      if (close > index && /^\(\s*\d+\s*(?:,\s*-?\d+\s*)?\)$/.test(dataType.slice(index, close + 1))) {
        index = close + 1;
        continue;
      }
    }
    out += char;
    index++;
  }
  return out
    .replace(/\s+/g, ' ')
    .replace(/ (?=\[)/g, '')
    .trim();
}

function findClosingQuote(text: string, open: number): number {
  let index = open + 1;
  while (index < text.length) {
    if (text[index] === '"') {
      if (text[index + 1] === '"') {
        index += 2;
        continue;
      }
      return index;
    }
    index++;
  }
  throw new Error('Unbalanced quote in type name');
}

/** Refuses anything that is not a plain type name (defence in depth: the catalog is the source). */
export function safeTypeName(name: string): string {
  if (!TYPE_NAME.test(name)) throw new Error(`Unsupported column type ${JSON.stringify(name)}`);
  return name;
}

const TEXT_TYPES = new Set(['text', 'character varying', 'varchar', 'character', 'char', 'bpchar', 'name', '"char"']);
const INTEGER_TYPES = new Set(['smallint', 'integer', 'bigint', 'int2', 'int4', 'int8', 'int', 'oid']);
const FLOAT_TYPES = new Set(['real', 'double precision', 'float4', 'float8']);

/**
 * The type a bound value is cast to for a column: the column's type without its modifier, so a
 * comparison never rounds or truncates the user's value (`'abcd'::varchar(3)` silently gives
 * `abc`) and a write still meets the column's own limits by assignment (too long → an error).
 */
export function castTypeFor(column: Pick<TCatalogColumn, 'dataType' | 'kind' | 'elementKind'>): string {
  return baseType(column.dataType, column.kind, column.elementKind);
}

function baseType(dataType: string, kind: TColumnKind, elementKind: TColumnKind | null): string {
  const stripped = stripTypmod(dataType);
  switch (kind) {
    case 'integer':
    case 'bigint':
      return INTEGER_TYPES.has(stripped) ? stripped : 'bigint';
    case 'float':
      return FLOAT_TYPES.has(stripped) ? stripped : 'double precision';
    case 'numeric':
      return 'numeric';
    case 'boolean':
      return 'boolean';
    case 'text':
      return TEXT_TYPES.has(stripped) ? 'text' : safeTypeName(stripped);
    case 'uuid':
      return 'uuid';
    case 'date':
      return 'date';
    case 'timestamp':
      return 'timestamp';
    case 'timestamptz':
      return 'timestamptz';
    case 'time':
      return stripped.includes('with time zone') || stripped === 'timetz' ? 'timetz' : 'time';
    case 'interval':
      return 'interval';
    case 'json':
      return stripped === 'json' ? 'json' : 'jsonb';
    case 'bytea':
      return 'bytea';
    case 'enum':
      return safeTypeName(stripped);
    case 'array': {
      const element = stripped.replace(/(?:\[\])+$/, '');
      const dims = stripped.length - element.length;
      return `${baseType(element, elementKind ?? 'other', null)}${'[]'.repeat(Math.max(1, dims / 2))}`;
    }
    case 'other':
    default: {
      if (stripped === 'bit') return 'varbit';
      if (TEXT_TYPES.has(stripped)) return 'text';
      return safeTypeName(stripped);
    }
  }
}

/** Kinds whose values compare as text with ILIKE (quick search, contains…). */
export const TEXT_SEARCHABLE_KINDS: ReadonlySet<TColumnKind> = new Set(['text', 'uuid', 'enum']);

/** Kinds that can be sorted and used as keyset keys (json has no ordering; bytea/others are odd). */
export const SORTABLE_KINDS: ReadonlySet<TColumnKind> = new Set([
  'integer',
  'bigint',
  'numeric',
  'float',
  'boolean',
  'text',
  'uuid',
  'date',
  'timestamp',
  'timestamptz',
  'time',
  'interval',
  'enum',
]);

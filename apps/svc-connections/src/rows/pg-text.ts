import type { TCatalogColumn, TColumnKind } from '@elasticdash/contracts/data/catalog';
import type { CustomTypesConfig } from 'pg';

/**
 * Every rows query asks node-postgres for Postgres's own text output of each value (no type
 * parsers), whatever the pool's defaults are. The text round-trips exactly through `$n::type`
 * (keyset cursors, conflict checks), and is converted to JSON cells here, by catalog kind.
 */
const identity = (value: string): string => value;
export const RAW_TEXT_TYPES: CustomTypesConfig = {
  getTypeParser: (() => identity) as unknown as CustomTypesConfig['getTypeParser'],
};

export type PgArray = (string | null | PgArray)[];

/** Parses Postgres array output (`{a,"b c",NULL,{1,2}}`, optionally `[0:1]={…}`). */
export function parsePgArray(text: string): PgArray {
  let pos = 0;
  if (text.startsWith('[')) {
    const equals = text.indexOf('=');
    if (equals < 0) throw new Error('Malformed array literal');
    pos = equals + 1;
  }
  const parseLevel = (): PgArray => {
    if (text[pos] !== '{') throw new Error('Malformed array literal');
    pos++;
    const out: PgArray = [];
    if (text[pos] === '}') {
      pos++;
      return out;
    }
    for (;;) {
      const char = text[pos];
      if (char === '{') {
        out.push(parseLevel());
      } else if (char === '"') {
        pos++;
        let value = '';
        let start = pos;
        while (pos < text.length && text[pos] !== '"') {
          if (text[pos] === '\\') {
            value += text.slice(start, pos);
            pos++;
            start = pos;
          }
          pos++;
        }
        value += text.slice(start, pos);
        pos++;
        out.push(value);
      } else {
        const start = pos;
        while (pos < text.length && text[pos] !== ',' && text[pos] !== '}') pos++;
        const raw = text.slice(start, pos);
        out.push(raw === 'NULL' ? null : raw);
      }
      if (text[pos] === ',') {
        pos++;
        continue;
      }
      if (text[pos] === '}') {
        pos++;
        return out;
      }
      throw new Error('Malformed array literal');
    }
  };
  return parseLevel();
}

function scalarCell(kind: TColumnKind, dataType: string, text: string): unknown {
  switch (kind) {
    case 'integer':
      return dataType === 'oid' ? Number(text) : Number.parseInt(text, 10);
    case 'float': {
      const number = Number(text);
      return Number.isFinite(number) ? number : text;
    }
    case 'boolean':
      return text === 't' || text === 'true';
    case 'json':
      return JSON.parse(text) as unknown;
    default:
      // bigint/numeric stay strings (exact); dates, times, uuid, enum, interval, bytea (\x…) as printed.
      return text;
  }
}

function arrayCell(elementKind: TColumnKind, elementType: string, items: PgArray): unknown[] {
  return items.map((item) =>
    item === null
      ? null
      : Array.isArray(item)
        ? arrayCell(elementKind, elementType, item)
        : scalarCell(elementKind, elementType, item),
  );
}

/** Postgres text output of one cell → the JSON cell the API returns (see ZCellValue). */
export function toCell(
  column: Pick<TCatalogColumn, 'kind' | 'elementKind' | 'dataType'>,
  text: string | null,
): unknown {
  if (text === null) return null;
  if (column.kind === 'array') {
    return arrayCell(column.elementKind ?? 'other', column.dataType.replace(/(?:\[\])+$/, ''), parsePgArray(text));
  }
  return scalarCell(column.kind, column.dataType, text);
}

/** A primary key value as text for the audit log. */
export function keyText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

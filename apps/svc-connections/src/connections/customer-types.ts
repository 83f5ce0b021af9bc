import pg from 'pg';

/**
 * How values of customer databases become JavaScript: nothing is converted lossily.
 * - int8 and numeric stay strings (exact beyond 2^53 and beyond float precision);
 * - date, time, timetz, timestamp, timestamptz, interval stay the server's text (no JS Date,
 *   no time-zone shifts, no lost microseconds);
 * - bytea stays the server's text (`\x…` hex);
 * - json/jsonb are parsed; int2/int4/float/bool/text/uuid keep pg's usual parsing;
 * - arrays of all of those are parsed into JS arrays of the same element values.
 * Arrays of types without a fixed oid (enums, domains) arrive as Postgres array text:
 * `parsePgArray` turns them into arrays of strings.
 */
const identity = (value: string): string => value;

interface ArrayParserModule {
  create(source: string, transform: (entry: string) => unknown): { parse(): unknown[] };
}
// pg-types' typings declare `arrayParser` as a function; at runtime it is `{ create }`.
const arrayParser = pg.types.arrayParser as unknown as ArrayParserModule;

/** Parses a Postgres array literal (`{a,"b c",NULL}`, nested `{{1,2},{3,4}}`) with pg's own parser. */
export function parsePgArray(source: string, transform: (entry: string) => unknown = identity): unknown[] {
  return arrayParser.create(source, transform).parse();
}

export const PgOid = {
  bytea: 17,
  int8: 20,
  json: 114,
  money: 790,
  date: 1082,
  time: 1083,
  timestamp: 1114,
  timestamptz: 1184,
  interval: 1186,
  timetz: 1266,
  numeric: 1700,
  jsonb: 3802,
} as const;

const SCALARS_AS_TEXT = new Set<number>([
  PgOid.bytea,
  PgOid.int8,
  PgOid.money,
  PgOid.date,
  PgOid.time,
  PgOid.timestamp,
  PgOid.timestamptz,
  PgOid.interval,
  PgOid.timetz,
  PgOid.numeric,
]);

/** Array types (oid → element oid) whose default parsing would convert elements lossily. */
const ARRAYS_AS_TEXT = new Set<number>([
  1001, // bytea[]
  1016, // int8[]
  791, // money[]
  1182, // date[]
  1183, // time[]
  1115, // timestamp[]
  1185, // timestamptz[]
  1187, // interval[]
  1270, // timetz[]
  1231, // numeric[]
]);

const parseTextArray = (value: string): unknown[] => parsePgArray(value);

function getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
  if (format === 'binary') return pg.types.getTypeParser(oid, 'binary') as (value: string) => unknown;
  if (SCALARS_AS_TEXT.has(oid)) return identity;
  if (ARRAYS_AS_TEXT.has(oid)) return parseTextArray;
  return pg.types.getTypeParser(oid, 'text') as (value: string) => unknown;
}

/** The `types` option of every customer pool and client. */
export const customerTypes: pg.CustomTypesConfig = {
  getTypeParser: getTypeParser as pg.CustomTypesConfig['getTypeParser'],
};

import type { TColumnKind } from '@elasticdash/contracts/data/catalog';

/** A row of pg_type, as introspection reads it. */
export interface PgTypeInfo {
  oid: number;
  name: string;
  schema: string;
  /** typtype: b base, c composite, d domain, e enum, p pseudo, r range, m multirange. */
  type: string;
  /** typcategory: A array, S string, N numeric, … */
  category: string;
  /** Element type of an array (typelem). */
  elem: number;
  /** Base type of a domain (typbasetype). */
  base: number;
}

const BY_NAME: Record<string, TColumnKind> = {
  int2: 'integer',
  int4: 'integer',
  int8: 'bigint',
  numeric: 'numeric',
  float4: 'float',
  float8: 'float',
  bool: 'boolean',
  text: 'text',
  varchar: 'text',
  bpchar: 'text',
  char: 'text',
  name: 'text',
  citext: 'text',
  uuid: 'uuid',
  date: 'date',
  timestamp: 'timestamp',
  timestamptz: 'timestamptz',
  time: 'time',
  timetz: 'time',
  interval: 'interval',
  json: 'json',
  jsonb: 'json',
  bytea: 'bytea',
};

export interface ResolvedKind {
  kind: TColumnKind;
  elementKind: TColumnKind | null;
  /** The enum type whose labels apply (the column's, or its array element's). */
  enumOid: number | null;
}

/** Follows domains down to their base type. */
function resolveDomain(oid: number, types: ReadonlyMap<number, PgTypeInfo>): PgTypeInfo | undefined {
  let type = types.get(oid);
  for (let depth = 0; type && type.type === 'd' && type.base !== 0 && depth < 10; depth += 1) {
    type = types.get(type.base);
  }
  return type;
}

function scalarKind(type: PgTypeInfo | undefined): TColumnKind {
  if (!type) return 'other';
  if (type.type === 'e') return 'enum';
  // Built-in names only count in pg_catalog; citext lives wherever its extension was installed.
  if (type.schema === 'pg_catalog' || type.name === 'citext') return BY_NAME[type.name] ?? 'other';
  return 'other';
}

/** The grid kind of a column type (domains resolved, arrays with their element kind). */
export function kindOfType(oid: number, types: ReadonlyMap<number, PgTypeInfo>): ResolvedKind {
  const type = resolveDomain(oid, types);
  if (type && type.category === 'A' && type.elem !== 0) {
    const element = resolveDomain(type.elem, types);
    const elementKind = element?.category === 'A' ? 'array' : scalarKind(element);
    return { kind: 'array', elementKind, enumOid: elementKind === 'enum' && element ? element.oid : null };
  }
  const kind = scalarKind(type);
  return { kind, elementKind: null, enumOid: kind === 'enum' && type ? type.oid : null };
}

/** Columns that make a good label for a referenced row, in order of preference. */
export const LABEL_CANDIDATES = ['name', 'title', 'label', 'display_name', 'full_name', 'email', 'username', 'code'];

/** The label column of a referenced table: the first text-like candidate, else the referenced column. */
export function pickLabelColumn(columns: readonly { name: string; kind: TColumnKind }[], referenced: string): string {
  for (const candidate of LABEL_CANDIDATES) {
    const exact = columns.find((column) => column.name === candidate && column.kind === 'text');
    if (exact) return exact.name;
  }
  for (const candidate of LABEL_CANDIDATES) {
    const loose = columns.find((column) => column.name.toLowerCase() === candidate && column.kind === 'text');
    if (loose) return loose.name;
  }
  return referenced;
}

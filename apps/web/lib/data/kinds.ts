import type { TCatalogColumn, TCatalogTable, TColumnKind } from '@elasticdash/contracts/data/catalog';

/** How the grid treats column kinds (sorting, editing, alignment) and tables (writable or not). */
export function isTemporalKind(kind: TColumnKind): boolean {
  return kind === 'date' || kind === 'timestamp' || kind === 'timestamptz';
}

export function isNumericKind(kind: TColumnKind): boolean {
  return kind === 'integer' || kind === 'bigint' || kind === 'numeric' || kind === 'float';
}

/** Kinds the server can sort by (json, arrays, bytea cannot). */
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

/** Kinds the quick search looks into. */
export const SEARCHABLE_KINDS: ReadonlySet<TColumnKind> = new Set(['text', 'uuid', 'enum']);

export function isSortable(column: Pick<TCatalogColumn, 'kind'>): boolean {
  return SORTABLE_KINDS.has(column.kind);
}

/** Rows of this table can be written by this user (the catalog already folds in role, connection and rules). */
export function tableWritable(table: Pick<TCatalogTable, 'readOnly' | 'primaryKey' | 'type'>): boolean {
  return (
    !table.readOnly && table.primaryKey.length > 0 && (table.type === 'table' || table.type === 'partitioned_table')
  );
}

export function columnWritable(
  table: Pick<TCatalogTable, 'readOnly' | 'primaryKey' | 'type'>,
  column: Pick<TCatalogColumn, 'readOnly' | 'isGenerated'>,
): boolean {
  return tableWritable(table) && !column.readOnly && !column.isGenerated;
}

/** Numbers right-aligned, like a spreadsheet. */
export function alignEnd(kind: TColumnKind): boolean {
  return isNumericKind(kind);
}

export const TABLE_TYPE_LABELS: Record<TCatalogTable['type'], string> = {
  table: 'Table',
  view: 'View',
  materialized_view: 'Materialized view',
  foreign_table: 'Foreign table',
  partitioned_table: 'Partitioned table',
};

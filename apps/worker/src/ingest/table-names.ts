import type { TColumnType } from '@elasticdash/contracts/datasets/dataset';

/** Where a dataset version lives: `ds_<tenant hex>.d_<dataset hex>_v<version>`. */
export interface DatasetTable {
  schema: string;
  table: string;
  /** `"ds_…"."d_…_vN"`, the value stored in `datasets.live_table`. */
  qualified: string;
}

const hex = (uuid: string) => uuid.replaceAll('-', '').toLowerCase();

export function datasetTable(tenantId: string, datasetId: string, version: number): DatasetTable {
  const schema = `ds_${hex(tenantId)}`;
  const table = `${tablePrefix(datasetId)}${version}`;
  return { schema, table, qualified: `${quoteIdent(schema)}.${quoteIdent(table)}` };
}

/** `d_<dataset hex>_v`: every version table of one dataset starts with this. */
export function tablePrefix(datasetId: string): string {
  return `d_${hex(datasetId)}_v`;
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export const SQL_TYPES: Record<TColumnType, string> = {
  integer: 'bigint',
  numeric: 'numeric',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'timestamptz',
  text: 'text',
};

/** `c1`, `c2`, …: stable column keys, never taken from the file. */
export const columnKey = (index: number) => `c${index + 1}`;

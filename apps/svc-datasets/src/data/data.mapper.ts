import type { TDatasetColumn } from '@elasticdash/contracts/datasets/dataset';

/** A Postgres int8/numeric text as a number when that is exact enough, else the text itself. */
export function toNumber(raw: string, integer: boolean): number | string {
  const value = Number(raw);
  if (integer) return Number.isSafeInteger(value) ? value : raw;
  return Number.isFinite(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER ? value : raw;
}

function cell(column: TDatasetColumn, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (column.type) {
    case 'integer':
      return typeof value === 'string' ? toNumber(value, true) : value;
    case 'numeric':
      return typeof value === 'string' ? toNumber(value, false) : value;
    case 'timestamp':
      return value instanceof Date ? (Number.isNaN(value.getTime()) ? String(value) : value.toISOString()) : value;
    default:
      return value;
  }
}

/** A data-table row keyed by column key (plus `_row`, the 1-based position in the file). */
export function toDataRow(columns: readonly TDatasetColumn[], row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { _row: toNumber(String(row._row), true) };
  for (const column of columns) out[column.key] = cell(column, row[column.key]);
  return out;
}

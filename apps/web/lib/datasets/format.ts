import type { TColumnType, TDatasetStatus } from '@elasticdash/contracts/datasets/dataset';

export const STATUS_LABELS: Record<TDatasetStatus, string> = {
  awaiting_upload: 'Awaiting upload',
  uploaded: 'Uploaded',
  processing: 'Processing',
  ready: 'Ready',
  failed: 'Failed',
};

export const COLUMN_TYPE_LABELS: Record<TColumnType, string> = {
  integer: 'Integer',
  numeric: 'Number',
  boolean: 'Boolean',
  date: 'Date',
  timestamp: 'Timestamp',
  text: 'Text',
};

const integerFormat = new Intl.NumberFormat('en-US');
const decimalFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const compactFormat = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

export function formatCount(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : integerFormat.format(value);
}

export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return Number.isInteger(value) ? integerFormat.format(value) : decimalFormat.format(value);
}

export function formatCompact(value: number): string {
  return compactFormat.format(value);
}

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '—';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/** A cell of the rows table: dates/timestamps as sent (ISO), empty as an em dash. */
export function formatCell(value: unknown, type: TColumnType): string {
  if (value === null || value === undefined) return '';
  if (type === 'date' && typeof value === 'string') return value.slice(0, 10);
  if (type === 'timestamp' && typeof value === 'string') return value.replace('T', ' ').replace(/\.000Z$|Z$/, '');
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** min/max of a column's stats, in the column's terms. */
export function formatStatValue(value: number | string | boolean | null, type: TColumnType): string {
  if (value === null) return '—';
  if (typeof value === 'number') return formatNumber(value);
  return formatCell(value, type);
}

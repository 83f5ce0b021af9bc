import type { TRowCount } from '@elasticdash/contracts/data/rows';

const integerFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatInteger(value: number): string {
  return integerFormat.format(value);
}

/** "≈ 1,000,000 rows" for an estimate, "1,234 rows" when exact. */
export function formatRowCount(count: Pick<TRowCount, 'value' | 'exact'>): string {
  const noun = count.value === 1 ? 'row' : 'rows';
  return `${count.exact ? '' : '≈ '}${formatInteger(count.value)} ${noun}`;
}

/** Table list: "≈ 1.2M rows" style estimates (null: never analyzed). */
export function formatEstimate(rows: number | null): string {
  if (rows === null || rows < 0) return 'unknown size';
  if (rows < 1000) return `≈ ${rows} ${rows === 1 ? 'row' : 'rows'}`;
  const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 }).format(rows);
  return `≈ ${compact} rows`;
}

/** "5 minutes ago" for introspection times. */
export function formatAgo(iso: string, now = Date.now()): string {
  const seconds = Math.round((now - Date.parse(iso)) / 1000);
  if (!Number.isFinite(seconds)) return '';
  if (seconds < 45) return 'just now';
  const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  if (seconds < 3600) return rtf.format(-Math.round(seconds / 60), 'minute');
  if (seconds < 86_400) return rtf.format(-Math.round(seconds / 3600), 'hour');
  return rtf.format(-Math.round(seconds / 86_400), 'day');
}

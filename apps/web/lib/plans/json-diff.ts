/**
 * A small structural diff of two JSON documents with the same path format as the API's
 * `GET /v1/plans/:id/diff` (`components.0.database.maxConnections`), used where the server has
 * nothing to compare: "theirs vs mine" in the conflict dialog.
 */

export interface TJsonChange {
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function join(prefix: string, key: string | number): string {
  return prefix ? `${prefix}.${key}` : String(key);
}

function isLeafArray(value: unknown): boolean {
  return Array.isArray(value) && value.every((item) => item === null || typeof item !== 'object');
}

export function diffJson(before: unknown, after: unknown, prefix = ''): TJsonChange[] {
  if (before === after) return [];
  if (before === undefined) return [{ path: prefix || '(root)', kind: 'added', after }];
  if (after === undefined) return [{ path: prefix || '(root)', kind: 'removed', before }];
  // Lists of plain values (CIDRs) read better as one change than as index by index.
  if (isLeafArray(before) && isLeafArray(after)) {
    return JSON.stringify(before) === JSON.stringify(after)
      ? []
      : [{ path: prefix || '(root)', kind: 'changed', before, after }];
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const changes: TJsonChange[] = [];
    const length = Math.max(before.length, after.length);
    for (let index = 0; index < length; index++) {
      changes.push(...diffJson(before[index], after[index], join(prefix, index)));
    }
    return changes;
  }
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => diffJson(before[key], after[key], join(prefix, key)));
  }
  return JSON.stringify(before) === JSON.stringify(after)
    ? []
    : [{ path: prefix || '(root)', kind: 'changed', before, after }];
}

/** A value as shown in a diff row: strings quoted, objects as compact JSON, absent as an em dash. */
export function formatDiffValue(value: unknown): string {
  if (value === undefined) return '—';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

import type { TSortKey } from '@elasticdash/contracts/data/rows';

export const MAX_SORT_KEYS = 8;

/**
 * Header click: sort by this column alone (ascending → descending → unsorted).
 * Shift-click (`additive`): add it as the next sort key, or cycle it in place
 * (ascending → descending → removed), keeping the other keys.
 */
export function nextSort(sort: readonly TSortKey[], column: string, additive: boolean): TSortKey[] {
  const index = sort.findIndex((key) => key.column === column);
  const current = index >= 0 ? sort[index] : undefined;
  if (!additive) {
    if (sort.length === 1 && current) {
      return current.direction === 'asc' ? [{ column, direction: 'desc' }] : [];
    }
    return [{ column, direction: 'asc' }];
  }
  if (!current) {
    return sort.length >= MAX_SORT_KEYS ? [...sort] : [...sort, { column, direction: 'asc' }];
  }
  if (current.direction === 'asc') {
    return sort.map((key, position) => (position === index ? { column, direction: 'desc' } : key));
  }
  return sort.filter((_, position) => position !== index);
}

/** Sets one column's direction explicitly (header menu), keeping it the primary key. */
export function sortBy(sort: readonly TSortKey[], column: string, direction: 'asc' | 'desc' | null): TSortKey[] {
  const others = sort.filter((key) => key.column !== column);
  return direction ? [{ column, direction }, ...others].slice(0, MAX_SORT_KEYS) : others;
}

/** 1-based position and direction of a column in the sort, for the header indicator. */
export function sortStateOf(
  sort: readonly TSortKey[],
  column: string,
): { direction: 'asc' | 'desc'; position: number } | null {
  const index = sort.findIndex((key) => key.column === column);
  const key = sort[index];
  return key ? { direction: key.direction, position: index + 1 } : null;
}

export function ariaSort(sort: readonly TSortKey[], column: string): 'ascending' | 'descending' | 'none' {
  const state = sortStateOf(sort, column);
  if (!state || state.position !== 1) return 'none';
  return state.direction === 'asc' ? 'ascending' : 'descending';
}

'use client';

import { useMemo } from 'react';
import { keepPreviousData, useInfiniteQuery, type InfiniteData, type QueryClient } from '@tanstack/react-query';
import { ZRowsPage, type TRow, type TRowsPage } from '@elasticdash/contracts/data/rows';
import { api } from '@/lib/api';
import { connectionPath, dataKeys } from '@/lib/data/api';
import { rowIdOf } from '@/lib/data/selection';
import { tableViewOf, viewKey, type TGridView } from '@/lib/data/view-url';
import { PAGE_SIZE } from './grid-constants';

export type TRowsData = InfiniteData<TRowsPage, string | null>;

export interface RowsTarget {
  tenantId: string;
  connectionId: string;
  schema: string;
  table: string;
  primaryKey: readonly string[];
}

export function rowsQueryKey(target: RowsTarget, view: TGridView) {
  return dataKeys.rows(target.tenantId, target.connectionId, target.schema, target.table, viewKey(view));
}

/**
 * Pages of rows by keyset cursor. The first page asks for the (estimated) count; the next ones
 * do not. Data stays until the view changes or the user refreshes: edits patch it in place.
 */
export function useRows(target: RowsTarget, view: TGridView) {
  const queryKey = rowsQueryKey(target, view);
  const query = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam, signal }) =>
      api(connectionPath(target.connectionId, '/rows/query'), {
        method: 'POST',
        tenantId: target.tenantId,
        signal,
        schema: ZRowsPage,
        body: {
          ...tableViewOf(target.schema, target.table, view, view.columns),
          limit: PAGE_SIZE,
          count: pageParam ? 'none' : 'estimate',
          withLabels: true,
          ...(pageParam ? { after: pageParam } : {}),
        },
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    placeholderData: keepPreviousData,
  });

  const { rows, rowIds } = useMemo(() => {
    const all: TRow[] = [];
    for (const page of query.data?.pages ?? []) all.push(...page.rows);
    return { rows: all, rowIds: all.map((row, index) => rowIdOf(row.key, target.primaryKey, index)) };
  }, [query.data, target.primaryKey]);

  const count = query.data?.pages[0]?.count ?? null;
  return { query, queryKey, rows, rowIds, count };
}

/** Replaces (or removes, when `update` returns null) loaded rows in the cache. */
export function patchRows(
  client: QueryClient,
  queryKey: readonly unknown[],
  primaryKey: readonly string[],
  update: (row: TRow, rowId: string) => TRow | null,
): void {
  client.setQueryData<TRowsData>(queryKey, (data) => {
    if (!data) return data;
    let offset = 0;
    let removed = 0;
    let changed = false;
    const pages = data.pages.map((page) => {
      const rows: TRow[] = [];
      for (const row of page.rows) {
        const next = update(row, rowIdOf(row.key, primaryKey, offset++));
        if (next !== row) changed = true;
        if (next) rows.push(next);
        else removed++;
      }
      return rows.length === page.rows.length && rows.every((row, index) => row === page.rows[index])
        ? page
        : { ...page, rows };
    });
    if (!changed) return data;
    const first = pages[0];
    if (removed > 0 && first?.count) {
      pages[0] = { ...first, count: { ...first.count, value: Math.max(0, first.count.value - removed) } };
    }
    return { ...data, pages };
  });
}

/** A new row goes on top of the first page (where the user is looking after "Add row"). */
export function prependRow(client: QueryClient, queryKey: readonly unknown[], row: TRow): void {
  client.setQueryData<TRowsData>(queryKey, (data) => {
    if (!data || data.pages.length === 0) return data;
    const [first, ...rest] = data.pages as [TRowsPage, ...TRowsPage[]];
    const count = first.count ? { ...first.count, value: first.count.value + 1 } : first.count;
    return { ...data, pages: [{ ...first, rows: [row, ...first.rows], count }, ...rest] };
  });
}

/** Finds a loaded row by id. */
export function findRow(
  client: QueryClient,
  queryKey: readonly unknown[],
  primaryKey: readonly string[],
  rowId: string,
): TRow | undefined {
  const data = client.getQueryData<TRowsData>(queryKey);
  let offset = 0;
  for (const page of data?.pages ?? []) {
    for (const row of page.rows) {
      if (rowIdOf(row.key, primaryKey, offset++) === rowId) return row;
    }
  }
  return undefined;
}

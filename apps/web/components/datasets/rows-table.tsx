'use client';

import { useState } from 'react';
import { ArrowDown, ArrowUp, ChevronLeft, ChevronRight, ChevronsUpDown, Filter, X } from 'lucide-react';
import type { TDataset } from '@elasticdash/contracts/datasets/dataset';
import type { TDatasetFilter } from '@elasticdash/contracts/datasets/query';
import { useCurrentTenant } from '@/components/app/tenant-context';
import { NativeSelect } from '@/components/data/native-select';
import { Button } from '@/components/ui/button';
import { ErrorState } from '@/components/ui/error-state';
import { Input } from '@/components/ui/input';
import { Skeleton } from '@/components/ui/skeleton';
import { cn } from '@/lib/cn';
import { useDatasetRows } from '@/lib/datasets/api';
import { formatCell, formatCount } from '@/lib/datasets/format';
import { isNumeric } from '@/lib/datasets/panel-query';

const PAGE_SIZES = [25, 50, 100, 250].map((size) => ({ value: String(size), label: `${size} rows` }));

/**
 * The live data, a page at a time: click a header to sort (again to reverse, a third time to
 * clear), a filter per column (contains for text, = for numbers and dates), page size and paging.
 */
export function RowsTable({ dataset }: { dataset: TDataset }) {
  const { tenantId } = useCurrentTenant();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(50);
  const [sort, setSort] = useState<{ key: string; dir: 'asc' | 'desc' } | null>(null);
  const [showFilters, setShowFilters] = useState(false);
  const [filterText, setFilterText] = useState<Record<string, string>>({});
  const columns = [...dataset.columns].sort((a, b) => a.position - b.position);
  const filters: TDatasetFilter[] = columns.flatMap((column): TDatasetFilter[] => {
    const text = filterText[column.key]?.trim();
    if (!text) return [];
    if (column.type === 'text') return [{ column: column.key, op: 'contains' as const, value: text }];
    if (isNumeric(column)) {
      const number = Number(text);
      return Number.isFinite(number) ? [{ column: column.key, op: 'eq' as const, value: number }] : [];
    }
    if (column.type === 'boolean')
      return [{ column: column.key, op: 'eq' as const, value: /^(true|yes|1)$/i.test(text) }];
    return [{ column: column.key, op: 'eq' as const, value: text }];
  });
  const rows = useDatasetRows(tenantId, dataset, {
    page,
    pageSize,
    sort: sort?.key ?? null,
    dir: sort?.dir ?? 'asc',
    filters: filters.length > 0 ? JSON.stringify(filters) : null,
  });
  const total = rows.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);

  function toggleSort(key: string) {
    setPage(1);
    setSort((current) =>
      current?.key !== key ? { key, dir: 'asc' } : current.dir === 'asc' ? { key, dir: 'desc' } : null,
    );
  }

  return (
    <div className="flex flex-col" data-testid="dataset-rows-table">
      <div className="flex flex-wrap items-center justify-between gap-2 border-b border-border px-4 py-2 sm:px-6">
        <p className="text-sm text-fg-muted" aria-live="polite" data-testid="rows-range">
          {rows.isPending
            ? 'Loading rows…'
            : `${formatCount(first)}–${formatCount(last)} of ${formatCount(total)} rows`}
        </p>
        <div className="flex flex-wrap items-center gap-2">
          <Button
            variant={showFilters ? 'secondary' : 'ghost'}
            size="sm"
            aria-pressed={showFilters}
            onClick={() => setShowFilters((value) => !value)}
          >
            <Filter aria-hidden /> Filters{filters.length > 0 ? ` (${filters.length})` : ''}
          </Button>
          {filters.length > 0 ? (
            <Button
              variant="ghost"
              size="sm"
              onClick={() => {
                setFilterText({});
                setPage(1);
              }}
            >
              <X aria-hidden /> Clear
            </Button>
          ) : null}
          <NativeSelect
            aria-label="Rows per page"
            className="w-auto"
            value={String(pageSize)}
            options={PAGE_SIZES}
            onChange={(event) => {
              setPageSize(Number(event.currentTarget.value));
              setPage(1);
            }}
          />
        </div>
      </div>
      {rows.isError ? (
        <ErrorState error={rows.error} title="Could not load rows" onRetry={() => void rows.refetch()} />
      ) : (
        <div className={cn('max-h-[32rem] overflow-auto', rows.isPlaceholderData && 'opacity-70')}>
          <table className="w-full border-collapse text-sm" aria-busy={rows.isFetching || undefined}>
            <caption className="sr-only">Rows of {dataset.name}</caption>
            <thead className="sticky top-0 z-10 bg-muted">
              <tr>
                {columns.map((column) => {
                  const active = sort?.key === column.key ? sort.dir : null;
                  const Icon = active === 'asc' ? ArrowUp : active === 'desc' ? ArrowDown : ChevronsUpDown;
                  return (
                    <th
                      key={column.key}
                      scope="col"
                      aria-sort={active === 'asc' ? 'ascending' : active === 'desc' ? 'descending' : 'none'}
                      className={cn(
                        'h-10 border-b border-border px-3 text-left align-middle',
                        isNumeric(column) && 'text-right',
                      )}
                    >
                      <button
                        type="button"
                        onClick={() => toggleSort(column.key)}
                        data-testid="rows-sort"
                        data-column={column.key}
                        className={cn(
                          'inline-flex items-center gap-1 rounded-sm text-xs font-medium tracking-wide whitespace-nowrap text-fg-muted uppercase hover:text-fg',
                          active && 'text-fg',
                        )}
                      >
                        {column.name}
                        <Icon className="size-3.5" aria-hidden />
                      </button>
                    </th>
                  );
                })}
              </tr>
              {showFilters ? (
                <tr>
                  {columns.map((column) => (
                    <th key={column.key} className="border-b border-border px-2 py-1.5 font-normal">
                      <Input
                        aria-label={`Filter ${column.name}`}
                        placeholder={column.type === 'text' ? 'contains…' : '= …'}
                        className="h-8 min-w-24 px-2"
                        value={filterText[column.key] ?? ''}
                        onChange={(event) => {
                          const value = event.currentTarget.value;
                          setFilterText((current) => ({ ...current, [column.key]: value }));
                          setPage(1);
                        }}
                      />
                    </th>
                  ))}
                </tr>
              ) : null}
            </thead>
            <tbody>
              {rows.isPending
                ? [0, 1, 2, 3, 4].map((index) => (
                    <tr key={index}>
                      <td colSpan={columns.length} className="px-3 py-2">
                        <Skeleton className="h-5 w-full" />
                      </td>
                    </tr>
                  ))
                : rows.data?.rows.map((row, index) => (
                    <tr
                      key={index}
                      className="border-b border-border last:border-0 hover:bg-muted/50"
                      data-testid="dataset-data-row"
                    >
                      {columns.map((column) => {
                        const value = row[column.key];
                        return (
                          <td
                            key={column.key}
                            className={cn(
                              'max-w-72 truncate px-3 py-2 text-fg',
                              isNumeric(column) && 'text-right tabular-nums',
                              (value === null || value === undefined) && 'text-fg-muted',
                            )}
                          >
                            {value === null || value === undefined ? '—' : formatCell(value, column.type)}
                          </td>
                        );
                      })}
                    </tr>
                  ))}
              {rows.data && rows.data.rows.length === 0 ? (
                <tr>
                  <td colSpan={columns.length} className="px-3 py-8 text-center text-fg-muted">
                    {filters.length > 0 ? 'No rows match these filters.' : 'This dataset has no rows.'}
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
      )}
      <nav aria-label="Pages" className="flex items-center justify-end gap-2 border-t border-border px-4 py-2 sm:px-6">
        <span className="text-sm text-fg-muted tabular-nums">
          Page {page} of {pages}
        </span>
        <Button
          variant="outline"
          size="icon-sm"
          aria-label="Previous page"
          disabled={page <= 1}
          onClick={() => setPage((current) => Math.max(1, current - 1))}
        >
          <ChevronLeft aria-hidden />
        </Button>
        <Button
          variant="outline"
          size="icon-sm"
          aria-label="Next page"
          disabled={page >= pages}
          onClick={() => setPage((current) => Math.min(pages, current + 1))}
          data-testid="rows-next"
        >
          <ChevronRight aria-hidden />
        </Button>
      </nav>
    </div>
  );
}

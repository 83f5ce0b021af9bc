'use client';

import { useMemo, type ReactNode } from 'react';
import { AlertTriangle, RotateCw } from 'lucide-react';
import type { TPanel } from '@elasticdash/contracts/datasets/dashboard';
import type { TDatasetColumn } from '@elasticdash/contracts/datasets/dataset';
import type { TDatasetFilter, TPanelQueryResult } from '@elasticdash/contracts/datasets/query';
import { useCurrentTenant } from '@/components/app/tenant-context';
import { Button } from '@/components/ui/button';
import { Skeleton } from '@/components/ui/skeleton';
import { errorMessage } from '@/lib/api';
import { usePanelQuery } from '@/lib/datasets/api';
import { formatNumber } from '@/lib/datasets/format';
import { effectiveQuery, formatBucket, measureLabel, toChartData } from '@/lib/datasets/panel-query';
import { Chart, type TChartSpec } from './chart';

export type TPanelState = 'invalid' | 'loading' | 'error' | 'empty' | 'ready';

function xLabel(x: TPanelQueryResult['points'][number]['x'], grain: string | undefined, time: boolean): string {
  if (x === null) return '(empty)';
  return time && typeof x === 'string' ? formatBucket(x, grain) : String(x);
}

function Message({ state, children }: { state: TPanelState; children: ReactNode }) {
  return (
    <div
      className="flex h-full flex-col items-center justify-center gap-2 p-3 text-center text-sm text-fg-muted"
      data-panel-state={state}
    >
      {children}
    </div>
  );
}

/**
 * A panel's content: its query (with the dashboard filters) through TanStack Query, then the
 * chart, the big number or the table, with loading, error and empty states of its own.
 */
export function PanelBody({
  panel,
  datasetId,
  version,
  columns,
  dashboardFilters,
}: {
  panel: TPanel;
  datasetId: string;
  version: number;
  columns: readonly TDatasetColumn[];
  dashboardFilters: readonly TDatasetFilter[];
}) {
  const { tenantId } = useCurrentTenant();
  const query = useMemo(() => effectiveQuery(panel.query, dashboardFilters), [panel.query, dashboardFilters]);
  const result = usePanelQuery(tenantId, datasetId, version, query);
  const time = panel.query.x?.kind === 'time';
  const grain = panel.query.x?.kind === 'time' ? panel.query.x.grain : undefined;
  const measure = measureLabel(panel.query, columns);
  const points = result.data?.points;

  const spec = useMemo<TChartSpec | null>(() => {
    if (!points || points.length === 0) return null;
    if (panel.type !== 'line' && panel.type !== 'bar' && panel.type !== 'area' && panel.type !== 'pie') return null;
    const data = toChartData(points, { time, measure });
    const labels = data.xs.map((x) => (time ? formatBucket(x, grain) : x));
    return { type: panel.type, data, labels };
  }, [points, panel.type, time, grain, measure]);

  if (!query)
    return <Message state="invalid">This panel’s query refers to columns that no longer exist. Edit it.</Message>;
  if (result.isPending) {
    return (
      <div className="h-full p-3" data-panel-state="loading" role="status" aria-label={`Loading ${panel.title}`}>
        <Skeleton className="h-full w-full" />
      </div>
    );
  }
  if (result.isError && !points) {
    return (
      <Message state="error">
        <AlertTriangle className="size-5 text-danger-text" aria-hidden />
        <span role="alert">{errorMessage(result.error)}</span>
        <Button variant="outline" size="sm" onClick={() => void result.refetch()}>
          <RotateCw aria-hidden /> Try again
        </Button>
      </Message>
    );
  }
  if (!points || points.length === 0) return <Message state="empty">No data for these filters.</Message>;

  const refreshing = result.isFetching ? ' opacity-70 transition-opacity' : '';
  if (panel.type === 'number') {
    const total = points.reduce((sum, point) => sum + (point.value ?? 0), 0);
    const value = points.length === 1 ? (points[0]?.value ?? null) : total;
    return (
      <div className={`flex h-full flex-col items-center justify-center p-3${refreshing}`} data-panel-state="ready">
        <span className="text-4xl font-semibold tracking-tight text-fg tabular-nums" data-testid="panel-number">
          {formatNumber(value)}
        </span>
        <span className="mt-1 text-xs text-fg-muted">{measure}</span>
      </div>
    );
  }
  if (panel.type === 'table') {
    const grouped = points.some((point) => point.group !== null);
    return (
      <div className={`h-full overflow-auto${refreshing}`} data-panel-state="ready">
        <table className="w-full text-sm">
          <caption className="sr-only">{panel.title}</caption>
          <thead className="sticky top-0 bg-muted">
            <tr>
              <th scope="col" className="px-3 py-1.5 text-left text-xs font-medium text-fg-muted uppercase">
                {panel.query.x ? (columns.find((c) => c.key === panel.query.x?.column)?.name ?? 'x') : ''}
              </th>
              {grouped ? (
                <th scope="col" className="px-3 py-1.5 text-left text-xs font-medium text-fg-muted uppercase">
                  {columns.find((c) => c.key === panel.query.groupBy?.column)?.name ?? 'Group'}
                </th>
              ) : null}
              <th scope="col" className="px-3 py-1.5 text-right text-xs font-medium text-fg-muted uppercase">
                {measure}
              </th>
            </tr>
          </thead>
          <tbody>
            {points.map((point, index) => (
              <tr key={index} className="border-b border-border last:border-0">
                <td className="px-3 py-1.5 text-fg">{xLabel(point.x, grain, time)}</td>
                {grouped ? <td className="px-3 py-1.5 text-fg">{point.group ?? '(empty)'}</td> : null}
                <td className="px-3 py-1.5 text-right text-fg tabular-nums">{formatNumber(point.value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  }
  if (!spec) return <Message state="empty">No data for these filters.</Message>;
  return (
    <div className={`h-full p-2${refreshing}`} data-panel-state="ready">
      <Chart spec={spec} label={`${panel.title}: ${measure}`} />
    </div>
  );
}

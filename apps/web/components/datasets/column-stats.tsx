'use client';

import { useMemo } from 'react';
import { BarChart3 } from 'lucide-react';
import type { TColumnStats, TDataset, TDatasetColumn, TTimeRollup } from '@elasticdash/contracts/datasets/dataset';
import { useCurrentTenant } from '@/components/app/tenant-context';
import { Chart, type TChartSpec } from '@/components/dashboards/chart';
import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorState } from '@/components/ui/error-state';
import { Skeleton } from '@/components/ui/skeleton';
import { useDatasetStats } from '@/lib/datasets/api';
import { COLUMN_TYPE_LABELS, formatCompact, formatCount, formatNumber, formatStatValue } from '@/lib/datasets/format';
import { formatBucket } from '@/lib/datasets/panel-query';

/** Horizontal bars drawn with CSS (no chart library for a dozen rectangles), each with its number. */
function Bars({ items, label }: { items: { label: string; count: number }[]; label: string }) {
  const max = Math.max(1, ...items.map((item) => item.count));
  return (
    <ul className="flex flex-col gap-1" aria-label={label}>
      {items.map((item, index) => (
        <li
          key={`${item.label}-${index}`}
          className="grid grid-cols-[minmax(0,7rem)_1fr_auto] items-center gap-2 text-xs"
        >
          <span className="truncate text-fg-muted" title={item.label}>
            {item.label}
          </span>
          <span className="h-2 rounded-sm bg-muted" aria-hidden>
            <span className="block h-full rounded-sm bg-accent" style={{ width: `${(item.count / max) * 100}%` }} />
          </span>
          <span className="text-fg tabular-nums">{formatCompact(item.count)}</span>
        </li>
      ))}
    </ul>
  );
}

function RollupChart({ rollup, name }: { rollup: TTimeRollup; name: string }) {
  const spec = useMemo<TChartSpec>(
    () => ({
      type: 'bar',
      compact: false,
      labels: rollup.points.map((point) => formatBucket(point.t, rollup.grain)),
      data: {
        xs: rollup.points.map((point) => point.t),
        series: [{ name: 'Rows', values: rollup.points.map((p) => p.count) }],
      },
    }),
    [rollup],
  );
  return (
    <div className="h-36">
      <Chart spec={spec} label={`Rows per ${rollup.grain} of ${name}`} />
    </div>
  );
}

function ColumnCard({
  column,
  stats,
  rollup,
}: {
  column: TDatasetColumn;
  stats: TColumnStats | undefined;
  rollup: TTimeRollup | undefined;
}) {
  const headingId = `column-${column.key}`;
  return (
    <li
      className="flex flex-col gap-3 rounded-lg border border-border bg-surface p-4"
      aria-labelledby={headingId}
      data-testid="column-card"
      data-column={column.key}
    >
      <div className="flex items-start justify-between gap-2">
        <h3 id={headingId} className="truncate font-medium text-fg" title={column.name}>
          {column.name}
        </h3>
        <Badge variant="outline" data-testid="column-type">
          {COLUMN_TYPE_LABELS[column.type]}
        </Badge>
      </div>
      {stats ? (
        <dl className="grid grid-cols-2 gap-x-3 gap-y-1 text-xs">
          <dt className="text-fg-muted">Empty</dt>
          <dd className="text-right text-fg tabular-nums" data-testid="column-nulls">
            {formatCount(stats.nulls)}
            {stats.count > 0 ? ` (${formatNumber((stats.nulls / stats.count) * 100)} %)` : ''}
          </dd>
          <dt className="text-fg-muted">Distinct</dt>
          <dd className="text-right text-fg tabular-nums" data-testid="column-distinct">
            ≈ {formatCount(stats.distinct)}
          </dd>
          <dt className="text-fg-muted">Min</dt>
          <dd className="truncate text-right text-fg tabular-nums">{formatStatValue(stats.min, column.type)}</dd>
          <dt className="text-fg-muted">Max</dt>
          <dd className="truncate text-right text-fg tabular-nums">{formatStatValue(stats.max, column.type)}</dd>
        </dl>
      ) : (
        <p className="text-xs text-fg-muted">No statistics for this column.</p>
      )}
      {rollup && rollup.points.length > 0 ? (
        <RollupChart rollup={rollup} name={column.name} />
      ) : stats?.histogram && stats.histogram.length > 0 ? (
        <Bars
          label={`Distribution of ${column.name}`}
          items={stats.histogram.map((bin) => ({
            label: `${formatNumber(bin.from)} – ${formatNumber(bin.to)}`,
            count: bin.count,
          }))}
        />
      ) : stats?.topValues && stats.topValues.length > 0 ? (
        <Bars
          label={`Most frequent values of ${column.name}`}
          items={stats.topValues.slice(0, 8).map((top) => ({ label: top.value, count: top.count }))}
        />
      ) : null}
    </li>
  );
}

/** Per column: type, empties, distinct, min/max, and a quick chart (time rollup, histogram or top values). */
export function ColumnStatsSection({ dataset }: { dataset: TDataset }) {
  const { tenantId } = useCurrentTenant();
  const stats = useDatasetStats(tenantId, dataset);
  const columns = [...dataset.columns].sort((a, b) => a.position - b.position);
  if (stats.isPending) {
    return (
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3" role="status" aria-label="Loading column statistics">
        {columns.slice(0, 6).map((column) => (
          <Skeleton key={column.key} className="h-40" />
        ))}
      </div>
    );
  }
  if (stats.isError) {
    return <ErrorState error={stats.error} title="Could not load statistics" onRetry={() => void stats.refetch()} />;
  }
  if (columns.length === 0) {
    return <EmptyState icon={BarChart3} title="No columns yet" description="Columns appear once a file is imported." />;
  }
  const byKey = new Map(stats.data.columns.map((column) => [column.key, column]));
  const rollups = new Map(stats.data.rollups.map((rollup) => [rollup.key, rollup]));
  return (
    <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3" data-testid="column-stats">
      {columns.map((column) => (
        <ColumnCard key={column.key} column={column} stats={byKey.get(column.key)} rollup={rollups.get(column.key)} />
      ))}
    </ul>
  );
}

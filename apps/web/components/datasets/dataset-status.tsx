'use client';

import { AlertTriangle, CheckCircle2, Clock, Loader2, UploadCloud } from 'lucide-react';
import type { TDatasetSummary } from '@elasticdash/contracts/datasets/dataset';
import { Tooltip } from '@/components/plans/tooltip';
import { cn } from '@/lib/cn';
import { formatCount, STATUS_LABELS } from '@/lib/datasets/format';

export function ProgressBar({
  percent,
  label,
  className,
  testId,
}: {
  /** null: indeterminate (the total is unknown). */
  percent: number | null;
  label: string;
  className?: string;
  testId?: string;
}) {
  const value = percent === null ? null : Math.max(0, Math.min(100, Math.round(percent)));
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={value ?? undefined}
      data-testid={testId}
      data-value={value ?? ''}
      className={cn('h-1.5 w-full overflow-hidden rounded-full bg-muted', className)}
    >
      <div
        className={cn(
          'h-full rounded-full bg-accent transition-[width] duration-300',
          value === null && 'animate-pulse',
        )}
        style={{ width: `${value ?? 100}%` }}
      />
    </div>
  );
}

/**
 * The status of a dataset's latest ingest, with the live % while processing (moved by SSE) and
 * the exact failure reason (on hover and focus, and read by screen readers). Colour is never the
 * only signal: the label is always there.
 */
export function DatasetStatus({ dataset, compact = false }: { dataset: TDatasetSummary; compact?: boolean }) {
  const { status, progress, failureReason } = dataset;
  const common = { 'data-testid': 'dataset-status', 'data-status': status } as const;

  if (status === 'processing') {
    const percent = progress?.percent ?? null;
    return (
      <span {...common} className="flex min-w-32 flex-col gap-1 text-sm text-fg">
        <span className="inline-flex items-center gap-1.5">
          <Loader2 className="size-3.5 animate-spin text-accent-text" aria-hidden />
          {STATUS_LABELS.processing}
          <span className="text-fg-muted tabular-nums" data-testid="dataset-progress-text">
            {percent !== null ? `${Math.floor(percent)} %` : progress ? `${formatCount(progress.rowsDone)} rows` : ''}
          </span>
        </span>
        {compact ? null : <ProgressBar percent={percent} label={`Importing ${dataset.name}`} className="max-w-40" />}
      </span>
    );
  }
  if (status === 'failed') {
    const reason = failureReason ?? 'The import failed.';
    return (
      <Tooltip content={reason} align="start">
        {(describedBy) => (
          <span
            {...common}
            tabIndex={0}
            aria-describedby={describedBy}
            className="inline-flex cursor-help items-center gap-1.5 rounded-sm text-sm text-danger-text underline decoration-dotted underline-offset-4"
          >
            <AlertTriangle className="size-3.5" aria-hidden /> {STATUS_LABELS.failed}
          </span>
        )}
      </Tooltip>
    );
  }
  const Icon = status === 'ready' ? CheckCircle2 : status === 'uploaded' ? UploadCloud : Clock;
  return (
    <span
      {...common}
      className={cn(
        'inline-flex items-center gap-1.5 text-sm',
        status === 'ready' ? 'text-success-text' : 'text-fg-muted',
      )}
    >
      <Icon className="size-3.5" aria-hidden /> {STATUS_LABELS[status]}
    </span>
  );
}

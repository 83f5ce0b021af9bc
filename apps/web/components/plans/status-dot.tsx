'use client';

import type { TDeploymentStatus } from '@elasticdash/contracts/plans/plan';
import { cn } from '@/lib/cn';
import { Tooltip } from './tooltip';

export const STATUS_LABELS: Record<TDeploymentStatus, string> = {
  not_deployed: 'Not deployed',
  deploying: 'Deploying',
  running: 'Running',
  failing: 'Failing',
};

const DOT: Record<TDeploymentStatus, string> = {
  not_deployed: 'bg-slate-400',
  deploying: 'bg-orange-500 animate-pulse',
  running: 'bg-emerald-500',
  failing: 'bg-red-600',
};

/**
 * Grey not deployed, orange deploying, green running, red failing. Colour is never the only
 * signal: the label is always there, and a failing plan's reason shows on hover and on focus.
 */
export function StatusDot({ status, reason }: { status: TDeploymentStatus; reason: string | null }) {
  const label = (
    <>
      <span aria-hidden className={cn('size-2.5 shrink-0 rounded-full', DOT[status])} />
      <span>{STATUS_LABELS[status]}</span>
    </>
  );
  if (!reason) {
    return (
      <span className="inline-flex items-center gap-2 text-sm text-fg" data-testid="plan-status" data-status={status}>
        {label}
      </span>
    );
  }
  return (
    <Tooltip content={reason} align="start">
      {(describedBy) => (
        <span
          tabIndex={0}
          aria-describedby={describedBy}
          className="inline-flex cursor-help items-center gap-2 rounded-sm text-sm text-fg underline decoration-dotted underline-offset-4"
          data-testid="plan-status"
          data-status={status}
        >
          {label}
        </span>
      )}
    </Tooltip>
  );
}

'use client';

import { cn } from '@/lib/cn';
import type { TDeploymentStatusView, TDeploymentTone } from '@/lib/deployments/status';

const DOT: Record<TDeploymentTone, string> = {
  not_deployed: 'bg-slate-400',
  deploying: 'bg-orange-500',
  running: 'bg-emerald-500',
  failing: 'bg-red-600',
};

/** The coloured dot alone (decorative: the label next to it says the same). */
export function ToneDot({ tone, className }: { tone: TDeploymentTone; className?: string }) {
  return (
    <span aria-hidden className={cn('relative inline-flex size-2.5 shrink-0', className)}>
      {tone === 'deploying' ? (
        <span className="absolute inset-0 rounded-full bg-orange-400 opacity-75 motion-safe:animate-ping" />
      ) : null}
      <span className={cn('relative inline-flex size-full rounded-full', DOT[tone])} />
    </span>
  );
}

/**
 * Grey not deployed, orange on its way (pulsing unless reduced motion is asked for), green
 * running, red failing. Colour is never the only signal: the state is always written next to the
 * dot, and a red one's reason is shown as text under it.
 */
export function StatusDot({
  status,
  testId = 'plan-status',
  reasonLines = 2,
  className,
}: {
  status: TDeploymentStatusView;
  testId?: string;
  /** How many lines of the reason to show (the full text is in the title). */
  reasonLines?: 2 | 3 | 'all';
  className?: string;
}) {
  return (
    <span
      className={cn('inline-flex max-w-xs min-w-0 flex-col gap-0.5 text-sm text-fg', className)}
      data-testid={testId}
      data-status={status.tone}
      data-state={status.state}
    >
      <span className="inline-flex items-center gap-2">
        <ToneDot tone={status.tone} />
        <span data-testid={`${testId}-label`}>{status.label}</span>
      </span>
      {status.reason ? (
        <span
          className={cn(
            'text-xs break-words text-danger-text',
            reasonLines === 2 && 'line-clamp-2',
            reasonLines === 3 && 'line-clamp-3',
          )}
          title={status.reason}
          data-testid={`${testId}-reason`}
        >
          {status.reason}
        </span>
      ) : null}
    </span>
  );
}

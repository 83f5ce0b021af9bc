'use client';

import { memo } from 'react';
import type { Node, NodeProps } from '@xyflow/react';
import { AlertTriangle, CheckCircle2, Database } from 'lucide-react';
import type { TPostgresComponent } from '@elasticdash/contracts/plans/cs-json';
import { cn } from '@/lib/cn';
import { sizeLabel } from '@/lib/plans/document';

export const NODE_WIDTH = 240;

export type TPostgresNodeData = {
  component: TPostgresComponent;
  errorCount: number;
  warningCount: number;
};
export type TPostgresNode = Node<TPostgresNodeData, 'postgresql'>;

const STORAGE_LABEL = { ssd: 'SSD', hdd: 'HDD', nvme: 'NVMe' } as const;

function count(n: number, one: string, many: string) {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * One node = one cs-json component: a PostgreSQL server on its own compute host (see
 * docs/flows/plans.md for why host and database are not a nested pair).
 */
export const PostgresNode = memo(function PostgresNode({ data, selected }: NodeProps<TPostgresNode>) {
  const { component, errorCount, warningCount } = data;
  const disk = Number.isFinite(component.storage.sizeGiB) ? `${component.storage.sizeGiB} GiB` : '? GiB';
  return (
    <div
      data-testid="plan-node"
      data-node-id={component.id}
      data-errors={errorCount}
      style={{ width: NODE_WIDTH }}
      className={cn(
        'rounded-lg border bg-surface text-left text-fg shadow-[var(--shadow)] transition-shadow',
        errorCount > 0 ? 'border-danger ring-2 ring-danger/70' : 'border-border-strong/60',
        selected && (errorCount > 0 ? 'ring-4 ring-danger/50' : 'border-accent ring-2 ring-accent'),
      )}
    >
      <div className="flex items-center gap-2 border-b border-border px-3 py-2">
        <span className="flex size-7 shrink-0 items-center justify-center rounded-md bg-accent-soft text-accent-text">
          <Database className="size-4" aria-hidden />
        </span>
        <div className="min-w-0 flex-1">
          <p className="truncate text-sm font-semibold" data-testid="plan-node-name">
            {component.name || 'Unnamed'}
          </p>
          <p className="truncate text-xs text-fg-muted">PostgreSQL {component.database.majorVersion}</p>
        </div>
      </div>
      <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-0.5 px-3 py-2 text-xs">
        <dt className="text-fg-muted">Size</dt>
        <dd className="font-medium break-words" data-testid="plan-node-size">
          {sizeLabel(component)}
        </dd>
        <dt className="text-fg-muted">Disk</dt>
        <dd className="truncate">
          {disk} {STORAGE_LABEL[component.storage.type]}
        </dd>
        <dt className="text-fg-muted">Workload</dt>
        <dd className="truncate">
          {component.database.workload} · {component.database.maxConnections} conn.
        </dd>
      </dl>
      <div
        className={cn(
          'flex items-center gap-1.5 rounded-b-lg px-3 py-1.5 text-xs font-medium',
          errorCount > 0
            ? 'bg-danger-soft text-danger-text'
            : warningCount > 0
              ? 'bg-warning-soft text-warning-text'
              : 'bg-success-soft text-success-text',
        )}
        data-testid="plan-node-validity"
      >
        {errorCount > 0 ? (
          <>
            <AlertTriangle className="size-3.5" aria-hidden /> {count(errorCount, 'error', 'errors')}
            {warningCount > 0 ? `, ${count(warningCount, 'warning', 'warnings')}` : ''}
          </>
        ) : warningCount > 0 ? (
          <>
            <AlertTriangle className="size-3.5" aria-hidden /> {count(warningCount, 'warning', 'warnings')}
          </>
        ) : (
          <>
            <CheckCircle2 className="size-3.5" aria-hidden /> Valid
          </>
        )}
      </div>
    </div>
  );
});

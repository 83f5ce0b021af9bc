'use client';

import { memo, type ReactNode } from 'react';
import { Loader2 } from 'lucide-react';
import type { TCatalogColumn } from '@elasticdash/contracts/data/catalog';
import { cn } from '@/lib/cn';
import { formatCell } from '@/lib/data/cell-values';
import { alignEnd } from '@/lib/data/kinds';

/** What a cell shows: NULL, booleans, foreign-key labels with the raw key, text. */
export function CellContent({
  column,
  value,
  label,
}: {
  column: TCatalogColumn;
  value: unknown;
  label?: string | null;
}) {
  if (value === null || value === undefined) {
    return <span className="text-xs text-fg-muted/70 italic">NULL</span>;
  }
  if (column.kind === 'boolean' && typeof value === 'boolean') {
    return (
      <span className={cn('font-medium', value ? 'text-success-text' : 'text-fg-muted')}>
        {value ? 'true' : 'false'}
      </span>
    );
  }
  const text = formatCell(value, column.kind);
  if (column.foreignKey && label !== undefined && label !== null) {
    return (
      <span className="flex min-w-0 items-baseline gap-1.5">
        <span className="truncate">{label}</span>
        <span className="shrink-0 font-mono text-[11px] text-fg-muted">#{text}</span>
      </span>
    );
  }
  if (column.kind === 'json' || column.kind === 'array' || column.kind === 'uuid' || column.kind === 'bytea') {
    return <span className="truncate font-mono text-xs">{text}</span>;
  }
  return <span className="truncate">{text === '' ? <span className="text-fg-muted/70">(empty)</span> : text}</span>;
}

interface GridCellProps {
  id: string;
  column: TCatalogColumn;
  rowIndex: number;
  colIndex: number;
  width: number;
  value: unknown;
  label: string | null | undefined;
  active: boolean;
  editable: boolean;
  pending: boolean;
  selected: boolean;
  /** The inline editor, when this cell is being edited. */
  editor?: ReactNode;
}

/** One body cell (memoized: scrolling re-renders only cells whose props changed). */
export const GridCell = memo(function GridCell({
  id,
  column,
  rowIndex,
  colIndex,
  width,
  value,
  label,
  active,
  editable,
  pending,
  selected,
  editor,
}: GridCellProps) {
  const title =
    column.foreignKey && label
      ? `${label} (${column.name} = ${formatCell(value, column.kind)})`
      : value === null || value === undefined
        ? undefined
        : formatCell(value, column.kind).slice(0, 500);
  return (
    <div
      id={id}
      role="gridcell"
      aria-colindex={colIndex + 2}
      aria-readonly={editable ? undefined : true}
      aria-selected={active || undefined}
      aria-busy={pending || undefined}
      data-row={rowIndex}
      data-col-index={colIndex}
      data-column={column.name}
      title={editor ? undefined : title}
      style={editor ? { width } : { width, contain: 'strict' }}
      className={cn(
        'relative flex h-full shrink-0 items-center gap-1 border-r border-b border-border px-2 text-sm text-fg',
        alignEnd(column.kind) && 'justify-end tabular-nums',
        selected && 'bg-accent-soft/60',
        !editable && !selected && 'bg-muted/30',
        pending && 'text-fg-muted',
        active && 'z-10 outline-2 -outline-offset-2 outline-accent',
      )}
    >
      <CellContent column={column} value={value} label={label} />
      {pending ? <Loader2 className="size-3 shrink-0 animate-spin text-fg-muted" aria-label="Saving" /> : null}
      {editor}
    </div>
  );
});

'use client';

import { memo, type CSSProperties } from 'react';
import { Loader2, Maximize2 } from 'lucide-react';
import type { VirtualItem } from '@tanstack/react-virtual';
import type { TCatalogColumn } from '@elasticdash/contracts/data/catalog';
import type { TRow } from '@elasticdash/contracts/data/rows';
import { cn } from '@/lib/cn';
import { InlineCellEditor, type TEditEnd } from './cell-editors';
import { GridCell } from './grid-cell';
import { ROW_HEIGHT, SELECTOR_WIDTH } from './grid-constants';

export interface RowHandlers {
  onToggleRow: (index: number, shift: boolean) => void;
  onOpenRow: (index: number) => void;
  onEditCommit: (rowIndex: number, column: TCatalogColumn, value: unknown, end: TEditEnd) => void;
  onEditCancel: (end: TEditEnd) => void;
  canEdit: (column: TCatalogColumn) => boolean;
}

function rowStyle(start: number, width: number, editing: boolean): CSSProperties {
  return {
    height: ROW_HEIGHT,
    width,
    transform: `translateY(${start}px)`,
    // The row being edited stays above the next ones (tall editors, error messages).
    zIndex: editing ? 5 : undefined,
    // Each row lays out and paints on its own: scrolling never re-lays out the others.
    contain: editing ? undefined : 'strict',
  };
}

/** The "Loading more rows…" row at the end while the next page is fetched. */
export function LoaderRow({ index, start, width }: { index: number; start: number; width: number }) {
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      className="absolute top-0 left-0 flex items-center"
      style={rowStyle(start, width, false)}
    >
      <div
        role="gridcell"
        className="sticky left-0 flex items-center gap-2 px-3 text-sm text-fg-muted"
        aria-colindex={1}
      >
        <Loader2 className="size-4 animate-spin" aria-hidden /> Loading more rows…
      </div>
    </div>
  );
}

interface GridRowProps {
  gridId: string;
  index: number;
  start: number;
  row: TRow;
  columns: readonly TCatalogColumn[];
  virtualColumns: readonly VirtualItem[];
  leftSpacer: number;
  totalWidth: number;
  selectable: boolean;
  selected: boolean;
  highlighted: boolean;
  pendingColumns: ReadonlySet<string> | undefined;
  /** Column index of the active cell when it is in this row, else -1. */
  activeCol: number;
  /** Column index being edited in this row, else -1. */
  editingCol: number;
  editingText: string | undefined;
  handlers: RowHandlers;
}

/**
 * One row: the sticky selection cell, then only the virtual columns. Memoized: scrolling
 * re-renders only rows whose position or visible columns changed.
 */
export const GridRow = memo(function GridRow({
  gridId,
  index,
  start,
  row,
  columns,
  virtualColumns,
  leftSpacer,
  totalWidth,
  selectable,
  selected,
  highlighted,
  pendingColumns,
  activeCol,
  editingCol,
  editingText,
  handlers,
}: GridRowProps) {
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selectable ? selected : undefined}
      data-testid="grid-row"
      data-row-index={index}
      className={cn('group/row absolute top-0 left-0 flex hover:bg-muted/50', highlighted && 'bg-success-soft')}
      style={rowStyle(start, totalWidth, editingCol >= 0)}
    >
      <div
        role="gridcell"
        aria-colindex={1}
        style={{ width: SELECTOR_WIDTH }}
        className={cn(
          'sticky left-0 z-10 flex h-full shrink-0 items-center gap-1 border-r border-b border-border bg-surface px-2 group-hover/row:bg-muted',
          selected && 'bg-accent-soft group-hover/row:bg-accent-soft',
        )}
      >
        <input
          type="checkbox"
          tabIndex={-1}
          hidden={!selectable}
          aria-label={`Select row ${index + 1}`}
          checked={selected}
          onChange={() => {}}
          onClick={(event) => {
            event.preventDefault();
            handlers.onToggleRow(index, event.shiftKey);
          }}
          className="size-4 cursor-pointer accent-[var(--accent)]"
        />
        <button
          type="button"
          tabIndex={-1}
          aria-label={`Open row ${index + 1}`}
          title="Open row (Shift+Enter)"
          onClick={() => handlers.onOpenRow(index)}
          className="flex h-6 min-w-0 flex-1 items-center justify-between rounded px-1 text-[11px] text-fg-muted tabular-nums hover:bg-border hover:text-fg"
        >
          <span className="truncate">{index + 1}</span>
          <Maximize2 className="size-3 shrink-0 opacity-0 group-hover/row:opacity-100" aria-hidden />
        </button>
      </div>
      <div style={{ width: leftSpacer }} className="shrink-0" aria-hidden />
      {virtualColumns.map((item) => {
        const column = columns[item.index];
        if (!column) return null;
        const value = row.values[column.name];
        return (
          <GridCell
            key={column.name}
            id={`${gridId}-r${index}-c${item.index}`}
            column={column}
            rowIndex={index}
            colIndex={item.index}
            width={item.size}
            value={value}
            label={row.labels[column.name]}
            active={activeCol === item.index}
            editable={handlers.canEdit(column)}
            pending={pendingColumns?.has(column.name) ?? false}
            selected={selected}
            editor={
              editingCol === item.index ? (
                <InlineCellEditor
                  column={column}
                  value={value}
                  initialText={editingText}
                  label={`Edit ${column.name}, row ${index + 1}`}
                  onCommit={(next, end) => handlers.onEditCommit(index, column, next, end)}
                  onCancel={handlers.onEditCancel}
                />
              ) : undefined
            }
          />
        );
      })}
    </div>
  );
});

'use client';

import { memo, useRef, type DragEvent, type MouseEvent, type PointerEvent } from 'react';
import {
  ArrowDown,
  ArrowLeft,
  ArrowRight,
  ArrowUp,
  ChevronDown,
  EyeOff,
  KeyRound,
  Link2,
  ListFilter,
  X,
} from 'lucide-react';
import type { TCatalogColumn } from '@elasticdash/contracts/data/catalog';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { cn } from '@/lib/cn';
import { alignEnd, isSortable } from '@/lib/data/kinds';
import { clampWidth } from '@/lib/data/column-layout';

export const COLUMN_DRAG_TYPE = 'application/x-ed-column';

export interface HeaderActions {
  onSort: (column: string, additive: boolean) => void;
  onSortDirection: (column: string, direction: 'asc' | 'desc' | null) => void;
  onMove: (column: string, delta: number) => void;
  onMoveTo: (column: string, index: number) => void;
  onResize: (column: string, width: number) => void;
  onHide: (column: string) => void;
  onFilter: (column: string) => void;
  onMenuClosed: () => void;
}

interface GridHeaderCellProps {
  id: string;
  column: TCatalogColumn;
  index: number;
  count: number;
  width: number;
  sortDirection: 'asc' | 'desc' | null;
  /** 1-based place in the sort (0: not sorted). */
  sortPosition: number;
  multiSort: boolean;
  active: boolean;
  menuOpen: boolean;
  onMenuFor: (column: string | null) => void;
  dropTarget: boolean;
  onDragTarget: (index: number | null) => void;
  actions: HeaderActions;
}

/**
 * A column header: click sorts (shift-click adds a secondary sort), the ▾ menu sorts, filters,
 * moves and hides, the right edge resizes (drag), and the header itself drags to reorder.
 */
export const GridHeaderCell = memo(function GridHeaderCell({
  id,
  column,
  index,
  count,
  width,
  sortDirection,
  sortPosition,
  multiSort,
  active,
  menuOpen,
  onMenuFor,
  dropTarget,
  onDragTarget,
  actions,
}: GridHeaderCellProps) {
  const resizing = useRef<{ startX: number; startWidth: number } | null>(null);
  const sortable = isSortable(column);
  const sortState = sortDirection ? { direction: sortDirection, position: sortPosition } : null;
  const ariaSort = sortPosition === 1 ? (sortDirection === 'asc' ? 'ascending' : 'descending') : undefined;

  function onClick(event: MouseEvent) {
    if (!sortable || resizing.current) return;
    actions.onSort(column.name, event.shiftKey);
  }

  function onResizeStart(event: PointerEvent<HTMLDivElement>) {
    event.preventDefault();
    event.stopPropagation();
    event.currentTarget.setPointerCapture(event.pointerId);
    resizing.current = { startX: event.clientX, startWidth: width };
  }
  function onResizeMove(event: PointerEvent<HTMLDivElement>) {
    const start = resizing.current;
    if (!start) return;
    actions.onResize(column.name, clampWidth(start.startWidth + event.clientX - start.startX));
  }
  function onResizeEnd(event: PointerEvent<HTMLDivElement>) {
    event.stopPropagation();
    // Let the click that ends the drag pass without sorting.
    setTimeout(() => {
      resizing.current = null;
    }, 0);
  }

  function onDragStart(event: DragEvent) {
    event.dataTransfer.setData(COLUMN_DRAG_TYPE, column.name);
    event.dataTransfer.effectAllowed = 'move';
  }
  function onDragOver(event: DragEvent) {
    if (!event.dataTransfer.types.includes(COLUMN_DRAG_TYPE)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'move';
    onDragTarget(index);
  }
  function onDrop(event: DragEvent) {
    const name = event.dataTransfer.getData(COLUMN_DRAG_TYPE);
    onDragTarget(null);
    if (name) {
      event.preventDefault();
      actions.onMoveTo(name, index);
    }
  }

  const typeHint = `${column.dataType}${column.nullable ? '' : ', not null'}${
    column.primaryKeyPosition !== null ? ', primary key' : ''
  }${column.foreignKey ? `, → ${column.foreignKey.table}.${column.foreignKey.column}` : ''}${
    column.readOnly || column.isGenerated ? ', read-only' : ''
  }`;

  return (
    <div
      id={id}
      role="columnheader"
      aria-colindex={index + 2}
      aria-sort={ariaSort}
      aria-selected={active || undefined}
      aria-label={column.name}
      data-column={column.name}
      draggable
      onDragStart={onDragStart}
      onDragOver={onDragOver}
      onDragLeave={() => onDragTarget(null)}
      onDrop={onDrop}
      onDragEnd={() => onDragTarget(null)}
      style={{ width }}
      title={`${column.name}: ${typeHint}${sortable ? '. Click to sort, Shift+click to add a sort.' : ''}`}
      className={cn(
        'group relative flex h-full shrink-0 items-center border-r border-b border-border-strong/40 bg-muted text-xs font-semibold text-fg select-none',
        active && 'z-10 outline-2 -outline-offset-2 outline-accent',
        dropTarget && 'shadow-[inset_3px_0_0_var(--accent)]',
      )}
    >
      <div
        onClick={onClick}
        className={cn(
          'flex h-full min-w-0 flex-1 items-center gap-1 pl-2',
          sortable && 'cursor-pointer hover:bg-border/60',
          alignEnd(column.kind) && 'justify-end',
        )}
      >
        {column.primaryKeyPosition !== null ? (
          <KeyRound className="size-3 shrink-0 text-warning-text" aria-label="Primary key" />
        ) : column.foreignKey ? (
          <Link2 className="size-3 shrink-0 text-accent-text" aria-label="Foreign key" />
        ) : null}
        <span className="truncate">{column.name}</span>
        {sortState ? (
          <span className="flex shrink-0 items-center text-accent-text" aria-hidden>
            {sortState.direction === 'asc' ? <ArrowUp className="size-3.5" /> : <ArrowDown className="size-3.5" />}
            {multiSort ? <span className="text-[10px]">{sortState.position}</span> : null}
          </span>
        ) : null}
      </div>
      <DropdownMenu open={menuOpen} onOpenChange={(open) => onMenuFor(open ? column.name : null)} modal={false}>
        <DropdownMenuTrigger
          tabIndex={-1}
          aria-label={`Column menu for ${column.name}`}
          className="mr-1 flex size-6 shrink-0 items-center justify-center rounded text-fg-muted opacity-60 group-hover:opacity-100 hover:bg-border hover:text-fg data-[state=open]:opacity-100"
        >
          <ChevronDown className="size-3.5" aria-hidden />
        </DropdownMenuTrigger>
        <DropdownMenuContent
          align="start"
          className="min-w-48"
          onCloseAutoFocus={(event) => {
            event.preventDefault();
            actions.onMenuClosed();
          }}
        >
          <DropdownMenuLabel className="font-mono">
            {column.name} · {column.dataType}
          </DropdownMenuLabel>
          {sortable ? (
            <>
              <DropdownMenuItem onSelect={() => actions.onSortDirection(column.name, 'asc')}>
                <ArrowUp aria-hidden /> Sort ascending
              </DropdownMenuItem>
              <DropdownMenuItem onSelect={() => actions.onSortDirection(column.name, 'desc')}>
                <ArrowDown aria-hidden /> Sort descending
              </DropdownMenuItem>
              {sortState ? (
                <DropdownMenuItem onSelect={() => actions.onSortDirection(column.name, null)}>
                  <X aria-hidden /> Remove from sort
                </DropdownMenuItem>
              ) : null}
              <DropdownMenuSeparator />
            </>
          ) : null}
          <DropdownMenuItem onSelect={() => actions.onFilter(column.name)}>
            <ListFilter aria-hidden /> Filter by this column…
          </DropdownMenuItem>
          <DropdownMenuSeparator />
          <DropdownMenuItem disabled={index === 0} onSelect={() => actions.onMove(column.name, -1)}>
            <ArrowLeft aria-hidden /> Move left
          </DropdownMenuItem>
          <DropdownMenuItem disabled={index === count - 1} onSelect={() => actions.onMove(column.name, 1)}>
            <ArrowRight aria-hidden /> Move right
          </DropdownMenuItem>
          <DropdownMenuItem disabled={count <= 1} onSelect={() => actions.onHide(column.name)}>
            <EyeOff aria-hidden /> Hide column
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
      <div
        role="separator"
        aria-orientation="vertical"
        aria-label={`Resize ${column.name}`}
        aria-valuenow={width}
        onPointerDown={onResizeStart}
        onPointerMove={onResizeMove}
        onPointerUp={onResizeEnd}
        onPointerCancel={onResizeEnd}
        onDoubleClick={() => actions.onResize(column.name, 180)}
        onClick={(event) => event.stopPropagation()}
        className="absolute top-0 right-0 z-10 h-full w-1.5 cursor-col-resize touch-none hover:bg-accent/60"
      />
    </div>
  );
});

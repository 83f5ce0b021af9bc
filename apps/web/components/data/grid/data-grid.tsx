'use client';

import {
  useCallback,
  useEffect,
  useId,
  useImperativeHandle,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type Ref,
} from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { TCatalogColumn } from '@elasticdash/contracts/data/catalog';
import type { TRow, TSortKey } from '@elasticdash/contracts/data/rows';
import { formatCell, isJsonEditor } from '@/lib/data/cell-values';
import { DEFAULT_COLUMN_WIDTH } from '@/lib/data/column-layout';
import { isSortable } from '@/lib/data/kinds';
import type { TSelection } from '@/lib/data/selection';
import { sortStateOf } from '@/lib/data/sort';
import type { TEditEnd } from './cell-editors';
import { HEADER_HEIGHT, PREFETCH_ROWS, ROW_HEIGHT, SELECTOR_WIDTH } from './grid-constants';
import { GridHeaderCell, type HeaderActions } from './grid-header';
import { GridRow, LoaderRow, type RowHandlers } from './grid-row';

export interface DataGridHandle {
  focus: () => void;
  scrollToRow: (index: number) => void;
  activeRow: () => number | null;
}

interface DataGridProps {
  label: string;
  columns: readonly TCatalogColumn[];
  widths: Readonly<Record<string, number>>;
  rows: readonly TRow[];
  rowIds: readonly string[];
  /** Total matching rows when known (aria-rowcount). */
  totalRows: number | null;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => void;
  sort: readonly TSortKey[];
  headerActions: Omit<HeaderActions, 'onMenuClosed'>;
  selection: TSelection;
  onToggleRow: (index: number, shift: boolean) => void;
  onToggleAll: () => void;
  canEdit: (column: TCatalogColumn) => boolean;
  /** Rows can be selected (for deleting). */
  selectable: boolean;
  pending: ReadonlyMap<string, ReadonlySet<string>>;
  onCommit: (rowIndex: number, column: TCatalogColumn, value: unknown) => void;
  onOpenRow: (rowIndex: number) => void;
  highlightRowId?: string | null;
  ref?: Ref<DataGridHandle>;
}

interface Active {
  /** -1 is the header row. */
  row: number;
  col: number;
}

interface Editing {
  row: number;
  col: number;
  initialText?: string | undefined;
}

/**
 * The spreadsheet: rows and columns both virtualized (only what is on screen is in the DOM),
 * a sticky header and a sticky selection column, infinite scroll by keyset pages, and a
 * keyboard model (arrows, Home/End, PageUp/PageDown, Enter/F2 edit, Esc, Tab, Space selects,
 * Shift+Enter opens the row). Focus stays on the grid; the active cell is announced through
 * aria-activedescendant.
 */
export function DataGrid({
  label,
  columns,
  widths,
  rows,
  rowIds,
  totalRows,
  hasNextPage,
  isFetchingNextPage,
  fetchNextPage,
  sort,
  headerActions,
  selection,
  onToggleRow,
  onToggleAll,
  canEdit,
  selectable,
  pending,
  onCommit,
  onOpenRow,
  highlightRowId,
  ref,
}: DataGridProps) {
  const gridId = useId().replace(/:/g, '');
  const scrollRef = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState<Active | null>(null);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [menuFor, setMenuFor] = useState<string | null>(null);
  const [dropIndex, setDropIndex] = useState<number | null>(null);
  const widthOf = useCallback(
    (column: TCatalogColumn | undefined) =>
      column ? (widths[column.name] ?? DEFAULT_COLUMN_WIDTH) : DEFAULT_COLUMN_WIDTH,
    [widths],
  );

  const rowCount = rows.length + (hasNextPage ? 1 : 0);
  const rowVirtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    paddingStart: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
    // Two virtualizers share one scroll event: without flushSync their updates render once,
    // together, instead of twice with a forced layout in between.
    useFlushSync: false,
  });
  const columnVirtualizer = useVirtualizer({
    horizontal: true,
    count: columns.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (index) => widthOf(columns[index]),
    overscan: 2,
    paddingStart: SELECTOR_WIDTH,
    scrollPaddingStart: SELECTOR_WIDTH,
    useFlushSync: false,
  });

  // Widths or order changed: the column offsets must be recomputed.
  const layoutKey = useMemo(
    () => columns.map((column) => `${column.name}:${widthOf(column)}`).join('|'),
    [columns, widthOf],
  );
  useEffect(() => {
    columnVirtualizer.measure();
  }, [layoutKey, columnVirtualizer]);

  const virtualRows = rowVirtualizer.getVirtualItems();
  const virtualColumns = columnVirtualizer.getVirtualItems();
  const totalWidth = columnVirtualizer.getTotalSize();
  const totalHeight = rowVirtualizer.getTotalSize();
  const leftSpacer = (virtualColumns[0]?.start ?? SELECTOR_WIDTH) - SELECTOR_WIDTH;

  // Infinite scroll: ask for the next page a little before the end is on screen.
  const lastVisible = virtualRows[virtualRows.length - 1]?.index ?? 0;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && lastVisible >= rows.length - PREFETCH_ROWS) fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, lastVisible, rows.length, fetchNextPage]);

  // Keep the active cell inside the data (rows can disappear after a filter or a delete).
  useEffect(() => {
    setActive((current) => {
      if (!current) return current;
      const row = Math.min(current.row, rows.length - 1);
      const col = Math.min(current.col, columns.length - 1);
      if (row === current.row && col === current.col) return current;
      return col < 0 ? null : { row: Math.max(-1, row), col };
    });
  }, [rows.length, columns.length]);

  const focusGrid = useCallback(() => scrollRef.current?.focus({ preventScroll: true }), []);

  const reveal = useCallback(
    (next: Active) => {
      if (next.row >= 0) rowVirtualizer.scrollToIndex(next.row, { align: 'auto' });
      columnVirtualizer.scrollToIndex(next.col, { align: 'auto' });
    },
    [rowVirtualizer, columnVirtualizer],
  );

  const moveTo = useCallback(
    (next: Active) => {
      const bounded = {
        row: Math.max(-1, Math.min(rows.length - 1, next.row)),
        col: Math.max(0, Math.min(columns.length - 1, next.col)),
      };
      setActive(bounded);
      reveal(bounded);
    },
    [rows.length, columns.length, reveal],
  );

  useImperativeHandle(
    ref,
    () => ({
      focus: focusGrid,
      scrollToRow: (index) => rowVirtualizer.scrollToIndex(index, { align: 'start' }),
      activeRow: () => (active && active.row >= 0 ? active.row : null),
    }),
    [focusGrid, rowVirtualizer, active],
  );

  const startEditing = useCallback(
    (cell: Active, initialText?: string) => {
      const column = columns[cell.col];
      if (cell.row < 0 || !column || !rows[cell.row] || !canEdit(column)) return false;
      reveal(cell);
      setEditing({ row: cell.row, col: cell.col, initialText });
      return true;
    },
    [columns, rows, canEdit, reveal],
  );

  const endEditing = useCallback(
    (end: TEditEnd) => {
      const current = editing;
      setEditing(null);
      focusGrid();
      if (!current) return;
      if (end === 'tab') moveTo({ row: current.row, col: current.col + 1 });
      else if (end === 'shift-tab') moveTo({ row: current.row, col: current.col - 1 });
    },
    [editing, focusGrid, moveTo],
  );

  // Stable handlers for the memoized rows; they read the latest props through a ref.
  const latest = useRef({ onToggleRow, onOpenRow, onCommit, endEditing });
  latest.current = { onToggleRow, onOpenRow, onCommit, endEditing };
  const rowHandlers = useMemo<RowHandlers>(
    () => ({
      onToggleRow: (index, shift) => latest.current.onToggleRow(index, shift),
      onOpenRow: (index) => latest.current.onOpenRow(index),
      onEditCommit: (index, column, value, end) => {
        latest.current.onCommit(index, column, value);
        latest.current.endEditing(end);
      },
      onEditCancel: (end) => latest.current.endEditing(end),
      canEdit,
    }),
    [canEdit],
  );

  const pageRows = Math.max(1, Math.floor(((scrollRef.current?.clientHeight ?? 400) - HEADER_HEIGHT) / ROW_HEIGHT) - 1);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (editing || event.target !== event.currentTarget) return;
    if (columns.length === 0) return;
    const current = active ?? { row: rows.length > 0 ? 0 : -1, col: 0 };
    const mod = event.ctrlKey || event.metaKey;
    const column = columns[current.col];
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        moveTo({ ...current, row: mod ? rows.length - 1 : current.row + 1 });
        return;
      case 'ArrowUp':
        event.preventDefault();
        moveTo({ ...current, row: mod ? 0 : current.row - 1 });
        return;
      case 'ArrowRight':
        event.preventDefault();
        if (event.altKey && current.row === -1 && column) headerActions.onMove(column.name, 1);
        moveTo({ ...current, col: mod ? columns.length - 1 : current.col + 1 });
        return;
      case 'ArrowLeft':
        event.preventDefault();
        if (event.altKey && current.row === -1 && column) headerActions.onMove(column.name, -1);
        moveTo({ ...current, col: mod ? 0 : current.col - 1 });
        return;
      case 'Home':
        event.preventDefault();
        moveTo(mod ? { row: 0, col: 0 } : { ...current, col: 0 });
        return;
      case 'End':
        event.preventDefault();
        moveTo(mod ? { row: rows.length - 1, col: columns.length - 1 } : { ...current, col: columns.length - 1 });
        return;
      case 'PageDown':
        event.preventDefault();
        moveTo({ ...current, row: current.row + pageRows });
        return;
      case 'PageUp':
        event.preventDefault();
        moveTo({ ...current, row: current.row - pageRows });
        return;
      case 'Tab': {
        const forward = !event.shiftKey;
        const atEdge = forward
          ? current.col >= columns.length - 1 && current.row >= rows.length - 1
          : current.col <= 0 && current.row <= -1;
        if (atEdge || !active) return; // leave the grid
        event.preventDefault();
        if (forward) {
          moveTo(
            current.col >= columns.length - 1 ? { row: current.row + 1, col: 0 } : { ...current, col: current.col + 1 },
          );
        } else {
          moveTo(
            current.col <= 0 ? { row: current.row - 1, col: columns.length - 1 } : { ...current, col: current.col - 1 },
          );
        }
        return;
      }
      case 'Enter':
      case 'F2':
        event.preventDefault();
        if (current.row === -1) {
          if (column && isSortable(column) && event.key === 'Enter') headerActions.onSort(column.name, event.shiftKey);
          return;
        }
        if (event.key === 'Enter' && event.shiftKey) {
          onOpenRow(current.row);
          return;
        }
        setActive(current);
        startEditing(current);
        return;
      case ' ':
        if (current.row >= 0 && selectable) {
          event.preventDefault();
          onToggleRow(current.row, event.shiftKey);
        }
        return;
      case 'ContextMenu':
        if (current.row === -1 && column) {
          event.preventDefault();
          setMenuFor(column.name);
        }
        return;
      case 'F10':
        if (event.shiftKey && current.row === -1 && column) {
          event.preventDefault();
          setMenuFor(column.name);
        }
        return;
      case 'c':
      case 'C':
        if (mod && current.row >= 0 && column) {
          const row = rows[current.row];
          if (row) {
            event.preventDefault();
            void navigator.clipboard?.writeText(formatCell(row.values[column.name], column.kind)).catch(() => {});
          }
          return;
        }
        break;
      default:
        break;
    }
    // Typing a character starts editing with it (text-like editors).
    if (
      event.key.length === 1 &&
      !mod &&
      !event.altKey &&
      current.row >= 0 &&
      column &&
      !isJsonEditor(column.kind) &&
      column.kind !== 'boolean' &&
      column.kind !== 'enum' &&
      column.kind !== 'date' &&
      column.kind !== 'timestamp' &&
      column.kind !== 'timestamptz' &&
      column.kind !== 'time'
    ) {
      setActive(current);
      if (startEditing(current, event.key)) event.preventDefault();
    }
  }

  /** The body cell an event happened in (not inside an open editor). */
  function cellAt(target: EventTarget): Active | null {
    if (!(target instanceof Element) || target.closest('[data-testid="cell-editor"]')) return null;
    const cell = target.closest<HTMLElement>('[role="gridcell"][data-col-index]');
    if (!cell) return null;
    const row = Number(cell.dataset.row);
    const col = Number(cell.dataset.colIndex);
    return Number.isInteger(row) && Number.isInteger(col) ? { row, col } : null;
  }

  const headerActionsWithFocus = useMemo<HeaderActions>(
    () => ({ ...headerActions, onMenuClosed: () => focusGrid() }),
    [headerActions, focusGrid],
  );

  const activeId = active
    ? active.row === -1
      ? `${gridId}-h-${active.col}`
      : `${gridId}-r${active.row}-c${active.col}`
    : undefined;
  const activeRendered =
    active &&
    virtualColumns.some((item) => item.index === active.col) &&
    (active.row === -1 || virtualRows.some((item) => item.index === active.row));
  const allSelected = rows.length > 0 && selection.ids.size >= rows.length;

  return (
    <div
      ref={scrollRef}
      role="grid"
      aria-label={label}
      aria-rowcount={totalRows !== null ? totalRows + 1 : -1}
      aria-colcount={columns.length + 1}
      aria-multiselectable={selectable || undefined}
      aria-activedescendant={activeRendered ? activeId : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onMouseDown={(event) => {
        const cell = cellAt(event.target);
        if (cell && !editing) setActive(cell);
      }}
      onDoubleClick={(event) => {
        const cell = cellAt(event.target);
        if (cell) startEditing(cell);
      }}
      onFocus={(event) => {
        if (event.target === event.currentTarget && columns.length > 0) {
          setActive((current) => current ?? { row: rows.length > 0 ? 0 : -1, col: 0 });
        }
      }}
      data-testid="data-grid"
      className="relative h-full w-full overflow-auto overscroll-contain bg-surface outline-none focus-visible:ring-2 focus-visible:ring-accent focus-visible:ring-inset"
    >
      <div style={{ width: totalWidth, height: totalHeight, position: 'relative' }}>
        {/* Header row: sticky to the top; its first cell sticky to the left as well. */}
        <div role="rowgroup" className="sticky top-0 z-20" style={{ width: totalWidth, height: HEADER_HEIGHT }}>
          <div role="row" aria-rowindex={1} className="flex h-full">
            <div
              role="columnheader"
              aria-colindex={1}
              style={{ width: SELECTOR_WIDTH }}
              className="sticky left-0 z-30 flex h-full shrink-0 items-center gap-2 border-r border-b border-border-strong/40 bg-muted px-2"
            >
              <input
                type="checkbox"
                tabIndex={-1}
                hidden={!selectable}
                aria-label={allSelected ? 'Clear selection' : 'Select all loaded rows'}
                checked={allSelected}
                ref={(element) => {
                  if (element) element.indeterminate = selection.ids.size > 0 && !allSelected;
                }}
                onChange={onToggleAll}
                className="size-4 cursor-pointer accent-[var(--accent)]"
              />
              <span className="text-[11px] font-normal text-fg-muted">#</span>
            </div>
            <div style={{ width: leftSpacer }} className="shrink-0" aria-hidden />
            {virtualColumns.map((item) => {
              const column = columns[item.index];
              if (!column) return null;
              return (
                <GridHeaderCell
                  key={column.name}
                  id={`${gridId}-h-${item.index}`}
                  column={column}
                  index={item.index}
                  count={columns.length}
                  width={item.size}
                  sortDirection={sortStateOf(sort, column.name)?.direction ?? null}
                  sortPosition={sortStateOf(sort, column.name)?.position ?? 0}
                  multiSort={sort.length > 1}
                  active={active?.row === -1 && active.col === item.index}
                  menuOpen={menuFor === column.name}
                  onMenuFor={setMenuFor}
                  dropTarget={dropIndex === item.index}
                  onDragTarget={setDropIndex}
                  actions={headerActionsWithFocus}
                />
              );
            })}
          </div>
        </div>
        <div role="rowgroup">
          {virtualRows.map((virtualRow) => {
            const row = rows[virtualRow.index];
            if (!row) {
              return <LoaderRow key="loader" index={virtualRow.index} start={virtualRow.start} width={totalWidth} />;
            }
            const rowId = rowIds[virtualRow.index] ?? String(virtualRow.index);
            const isEditingRow = editing?.row === virtualRow.index;
            return (
              <GridRow
                key={rowId}
                gridId={gridId}
                index={virtualRow.index}
                start={virtualRow.start}
                row={row}
                columns={columns}
                virtualColumns={virtualColumns}
                leftSpacer={leftSpacer}
                totalWidth={totalWidth}
                selectable={selectable}
                selected={selection.ids.has(rowId)}
                highlighted={highlightRowId === rowId}
                pendingColumns={pending.get(rowId)}
                activeCol={active?.row === virtualRow.index ? active.col : -1}
                editingCol={isEditingRow ? editing.col : -1}
                editingText={isEditingRow ? editing.initialText : undefined}
                handlers={rowHandlers}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}

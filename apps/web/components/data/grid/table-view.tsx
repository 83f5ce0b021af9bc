'use client';

import Link from 'next/link';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Filter, Lock, Plus, Redo2, RefreshCw, Search, Table2, Trash2, Undo2 } from 'lucide-react';
import type { TCatalogColumn, TCatalogTable } from '@elasticdash/contracts/data/catalog';
import type { TConnection } from '@elasticdash/contracts/data/connection';
import type { TRow, TRowCount } from '@elasticdash/contracts/data/rows';
import { hasRole, type TRole } from '@elasticdash/contracts/platform/roles';
import { PageHeader } from '@/components/app/page-header';
import { useCurrentTenant } from '@/components/app/tenant-context';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorState } from '@/components/ui/error-state';
import { Input } from '@/components/ui/input';
import { Skeleton } from '@/components/ui/skeleton';
import { useToast } from '@/components/ui/toast';
import { errorMessage, isApiError } from '@/lib/api';
import { cn } from '@/lib/cn';
import { columnIssues, useCatalog, useConnection } from '@/lib/data/api';
import {
  defaultWidth,
  emptyLayout,
  layoutFromVisible,
  moveColumn,
  moveColumnTo,
  orderedColumns,
  sameList,
  toggleColumn,
  visibleColumns,
} from '@/lib/data/column-layout';
import { countConditions, filterKnownColumns } from '@/lib/data/filter-tree';
import { columnWritable, isSortable, TABLE_TYPE_LABELS, tableWritable } from '@/lib/data/kinds';
import { EMPTY_SELECTION, selectAll, toggleRow, type TSelection } from '@/lib/data/selection';
import { nextSort, sortBy } from '@/lib/data/sort';
import { canRedo, canUndo, peekRedo, peekUndo } from '@/lib/data/undo-stack';
import { queryViewOf, sanitizeView, tableViewOf, viewKey, type TGridView } from '@/lib/data/view-url';
import { DataBreadcrumbs, dataHref } from '../data-breadcrumbs';
import { ColumnsMenu } from './columns-menu';
import { ConflictDialog } from './conflict-dialog';
import { DataGrid, type DataGridHandle } from './data-grid';
import { ExportButton } from './export-button';
import { FilterBuilder } from './filter-builder';
import type { HeaderActions } from './grid-header';
import { RowCount } from './row-count';
import { RowFormDialog } from './row-form-dialog';
import { useColumnLayout } from './use-column-layout';
import { useGridView } from './use-grid-view';
import { useUndoShortcuts } from './use-grid-shortcuts';
import { useRowWrites } from './use-row-writes';
import { useRows } from './use-rows';

function readOnlyReason(role: TRole, connection: TConnection, table: TCatalogTable): string | null {
  if (!hasRole(role, 'editor'))
    return 'You are a viewer in this workspace: you can browse and export rows, not change them.';
  if (connection.readOnly) return `The connection “${connection.name}” is read-only.`;
  if (table.type !== 'table' && table.type !== 'partitioned_table')
    return `This is a ${TABLE_TYPE_LABELS[table.type].toLowerCase()}: its rows are read-only.`;
  if (table.primaryKey.length === 0) return 'This table has no primary key, so its rows cannot be edited safely.';
  if (table.readOnly) return 'An admin made this table read-only.';
  return null;
}

/** The grid page: loads the connection and catalog, then the workspace for one table. */
export function TableView({
  connectionId,
  schema,
  table,
  rawSchema = schema,
  rawTable = table,
}: {
  connectionId: string;
  schema: string;
  table: string;
  /** The URL segments as received, in case the names themselves contain `%`. */
  rawSchema?: string;
  rawTable?: string;
}) {
  const { tenantId } = useCurrentTenant();
  const connection = useConnection(tenantId, connectionId);
  const catalog = useCatalog(tenantId, connectionId);
  const found =
    catalog.data?.tables.find((candidate) => candidate.schema === schema && candidate.name === table) ??
    catalog.data?.tables.find((candidate) => candidate.schema === rawSchema && candidate.name === rawTable);

  const crumbs = [
    { label: 'Data', href: dataHref(tenantId) },
    { label: connection.data?.name ?? 'Connection', href: dataHref(tenantId, connectionId) },
    { label: `${schema}.${table}` },
  ];

  if (connection.isError || catalog.isError) {
    const error = connection.error ?? catalog.error;
    return (
      <>
        <DataBreadcrumbs items={crumbs} />
        <Card>
          {isApiError(error, 404) ? (
            <EmptyState
              as="h1"
              icon={Table2}
              title="Connection not found"
              description="It may have been deleted."
              action={
                <Button asChild>
                  <Link href={dataHref(tenantId)}>Back to Data</Link>
                </Button>
              }
            />
          ) : (
            <ErrorState
              error={error}
              title="Could not load this table"
              onRetry={() => {
                void connection.refetch();
                void catalog.refetch();
              }}
            />
          )}
        </Card>
      </>
    );
  }
  if (!connection.data || !catalog.data) {
    return (
      <>
        <DataBreadcrumbs items={crumbs} />
        <div className="flex flex-col gap-4" role="status" aria-label="Loading the table">
          <Skeleton className="h-8 w-64" />
          <Skeleton className="h-10 w-full" />
          <Skeleton className="h-96 w-full" />
        </div>
      </>
    );
  }
  if (!found) {
    return (
      <>
        <DataBreadcrumbs items={crumbs} />
        <Card>
          <EmptyState
            as="h1"
            icon={Table2}
            title={`No table ${schema}.${table}`}
            description="It may have been renamed or dropped, or hidden by an admin. Refreshing the tables may help."
            action={
              <Button asChild>
                <Link href={dataHref(tenantId, connectionId)}>See the tables</Link>
              </Button>
            }
          />
        </Card>
      </>
    );
  }
  return (
    <>
      <DataBreadcrumbs items={crumbs} />
      <GridWorkspace key={`${schema}.${table}`} connection={connection.data} table={found} />
    </>
  );
}

function SearchBox({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const [text, setText] = useState(value);
  const [synced, setSynced] = useState(value);
  if (value !== synced) {
    // The URL changed (back/forward, clear): follow it.
    setSynced(value);
    setText(value);
  }
  useEffect(() => {
    if (text === value) return;
    const timer = setTimeout(() => onChange(text), 300);
    return () => clearTimeout(timer);
  }, [text, value, onChange]);
  return (
    <div className="relative w-full min-w-0 sm:w-64">
      <Search
        className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-fg-muted"
        aria-hidden
      />
      <Input
        type="search"
        aria-label="Search rows"
        placeholder="Search text columns"
        className="h-8 pl-8 text-sm"
        value={text}
        maxLength={200}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter') onChange(text);
        }}
      />
    </div>
  );
}

function GridWorkspace({ connection, table }: { connection: TConnection; table: TCatalogTable }) {
  const { tenantId, tenant } = useCurrentTenant();
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const gridRef = useRef<DataGridHandle>(null);
  const { view: urlView, valid: urlValid, setView } = useGridView();

  const byName = useMemo(() => new Map(table.columns.map((column) => [column.name, column])), [table.columns]);
  const tableColumns = useMemo(() => table.columns.map((column) => column.name), [table.columns]);
  const view = useMemo(
    () =>
      sanitizeView(
        urlView,
        table.columns.map((column) => ({ name: column.name, sortable: isSortable(column) })),
        filterKnownColumns,
      ),
    [urlView, table.columns],
  );

  // Columns: order/width/hidden from localStorage; the URL's list wins for a shared link.
  const { layout, setLayout } = useColumnLayout(connection.id, table.schema, table.name);
  const visibleNames = useMemo(
    () => visibleColumns(layout, tableColumns, view.columns),
    [layout, tableColumns, view.columns],
  );
  const visible = useMemo(
    () => visibleNames.flatMap((name) => (byName.has(name) ? [byName.get(name) as TCatalogColumn] : [])),
    [visibleNames, byName],
  );
  const widths = useMemo(
    () =>
      Object.fromEntries(
        visible.map((column) => [column.name, layout.widths[column.name] ?? defaultWidth(column.kind, column.name)]),
      ),
    [visible, layout.widths],
  );

  const viewRef = useRef(view);
  viewRef.current = view;
  const updateView = useCallback(
    (change: (current: TGridView) => TGridView, mode: 'push' | 'replace' = 'push') =>
      setView(change(viewRef.current), mode),
    [setView],
  );

  const setColumns = useCallback(
    (next: string[]) => {
      setLayout((current) => layoutFromVisible(current, tableColumns, next));
      updateView((current) => ({ ...current, columns: sameList(next, tableColumns) ? undefined : next }), 'replace');
    },
    [setLayout, tableColumns, updateView],
  );

  // Put the stored column layout in the URL, so copying the link shares what is on screen.
  useEffect(() => {
    if (!viewRef.current.columns && !sameList(visibleNames, tableColumns)) {
      updateView((current) => ({ ...current, columns: visibleNames }), 'replace');
    }
    // Only on arrival: later changes go through setColumns.
  }, []);

  const target = useMemo(
    () => ({
      tenantId,
      connectionId: connection.id,
      schema: table.schema,
      table: table.name,
      primaryKey: table.primaryKey,
    }),
    [tenantId, connection.id, table.schema, table.name, table.primaryKey],
  );
  const visibleInTableOrder = useMemo(() => {
    const shown = new Set(visibleNames);
    return tableColumns.filter((name) => shown.has(name));
  }, [visibleNames, tableColumns]);
  const queryView = useMemo(() => queryViewOf(view, visibleInTableOrder), [view, visibleInTableOrder]);
  const key = viewKey(queryView);
  const { query, queryKey, rows, rowIds, count } = useRows(target, queryView);
  const writes = useRowWrites(target, queryKey, `${tenantId}:${connection.id}:${table.schema}.${table.name}`);

  const reason = readOnlyReason(tenant.role, connection, table);
  const writable = reason === null && tableWritable(table);
  const canEdit = useCallback((column: TCatalogColumn) => writable && columnWritable(table, column), [writable, table]);

  const [selection, setSelection] = useState<TSelection>(EMPTY_SELECTION);
  const [filterOpen, setFilterOpen] = useState<{ focus: string | null; nonce: number } | null>(null);
  const [exactCount, setExactCount] = useState<{ key: string; count: TRowCount } | null>(null);
  const [rowForm, setRowForm] = useState<{ mode: 'edit'; row: TRow; index: number } | { mode: 'insert' } | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [deleting, setDeleting] = useState<{ pending: boolean; error: string | null }>({ pending: false, error: null });

  // A new view: back to the top, nothing selected.
  const [shownKey, setShownKey] = useState(key);
  if (shownKey !== key) {
    setShownKey(key);
    setSelection(EMPTY_SELECTION);
  }
  useEffect(() => {
    gridRef.current?.scrollToRow(0);
  }, [key]);

  const headerActions = useMemo<Omit<HeaderActions, 'onMenuClosed'>>(
    () => ({
      onSort: (column, additive) =>
        updateView((current) => ({ ...current, sort: nextSort(current.sort, column, additive) })),
      onSortDirection: (column, direction) =>
        updateView((current) => ({ ...current, sort: sortBy(current.sort, column, direction) })),
      onMove: (column, delta) => setColumns(moveColumn(visibleNames, column, delta)),
      onMoveTo: (column, index) => setColumns(moveColumnTo(visibleNames, column, index)),
      onResize: (column, width) =>
        setLayout((current) => ({ ...current, widths: { ...current.widths, [column]: width } })),
      onHide: (column) => setColumns(toggleColumn(visibleNames, tableColumns, column)),
      onFilter: (column) => setFilterOpen({ focus: column, nonce: Date.now() }),
    }),
    [updateView, setColumns, visibleNames, setLayout, tableColumns],
  );

  const onCommit = useCallback(
    (rowIndex: number, column: TCatalogColumn, value: unknown) => {
      const row = rows[rowIndex];
      if (!row) return;
      void writes.commitEdit(row, { [column.name]: value }, `Edit ${column.name}`).then((result) => {
        if (!result.ok && !result.conflict) {
          const message = columnIssues(result.error)[column.name] ?? errorMessage(result.error);
          toast({ variant: 'danger', title: `Could not save ${column.name}`, description: message });
        }
      });
    },
    [rows, writes, toast],
  );

  const onSearch = useCallback(
    (search: string) =>
      updateView((current) => ({ ...current, search: search.trim() ? search : undefined }), 'replace'),
    [updateView],
  );
  const onToggleRow = useCallback(
    (index: number, shift: boolean) => setSelection((current) => toggleRow(current, rowIds, index, shift)),
    [rowIds],
  );
  const onToggleAll = useCallback(
    () => setSelection((current) => (current.ids.size >= rowIds.length ? EMPTY_SELECTION : selectAll(rowIds))),
    [rowIds],
  );
  const onOpenRow = useCallback(
    (index: number) => {
      const row = rows[index];
      if (row) setRowForm({ mode: 'edit', row, index });
    },
    [rows],
  );

  useUndoShortcuts({ undo: writes.undo, redo: writes.redo, enabled: writable });

  const selectedRows = useMemo(
    () => rows.filter((_, index) => selection.ids.has(rowIds[index] ?? '')),
    [rows, rowIds, selection.ids],
  );

  async function onDelete() {
    setDeleting({ pending: true, error: null });
    try {
      const deleted = await writes.deleteRows(selectedRows);
      setConfirmDelete(false);
      setSelection(EMPTY_SELECTION);
      toast({ variant: 'success', title: `Deleted ${deleted} ${deleted === 1 ? 'row' : 'rows'}` });
      setDeleting({ pending: false, error: null });
    } catch (error) {
      setDeleting({ pending: false, error: errorMessage(error) });
    }
  }

  async function onInsert(values: Record<string, unknown>) {
    await writes.insertRow(values);
    toast({ variant: 'success', title: 'Row added', description: 'It is shown at the top of the grid.' });
    gridRef.current?.scrollToRow(0);
  }

  const undoEntry = peekUndo(writes.undoState);
  const redoEntry = peekRedo(writes.undoState);
  const filters = countConditions(view.filter);
  const exportView = tableViewOf(table.schema, table.name, view, visibleNames);
  const exact = exactCount?.key === key ? exactCount.count : null;
  const hasConditions = filters > 0 || Boolean(view.search);

  let body;
  if (query.isPending) {
    body = (
      <div className="flex flex-col gap-2 p-3" role="status" aria-label="Loading rows">
        {Array.from({ length: 8 }, (_, index) => (
          <Skeleton key={index} className="h-7 w-full" />
        ))}
      </div>
    );
  } else if (query.isError && !query.data) {
    body = (
      <div className="flex h-full flex-col items-center justify-center">
        <ErrorState error={query.error} title="Could not load the rows" onRetry={() => void query.refetch()} />
        {hasConditions || view.sort.length > 0 ? (
          <Button variant="link" onClick={() => setView({ sort: [] })}>
            Show all rows instead
          </Button>
        ) : null}
      </div>
    );
  } else if (rows.length === 0 && !query.isFetching) {
    body = (
      <EmptyState
        icon={Table2}
        title={hasConditions ? 'No rows match' : 'This table is empty'}
        description={hasConditions ? 'Change or clear the filters and the search.' : undefined}
        action={
          hasConditions ? (
            <Button
              variant="outline"
              onClick={() => updateView((current) => ({ ...current, filter: undefined, search: undefined }))}
            >
              Clear filters and search
            </Button>
          ) : writable ? (
            <Button onClick={() => setRowForm({ mode: 'insert' })}>
              <Plus aria-hidden /> Add row
            </Button>
          ) : undefined
        }
      />
    );
  } else {
    body = (
      <DataGrid
        ref={gridRef}
        label={`${table.schema}.${table.name}`}
        columns={visible}
        widths={widths}
        rows={rows}
        rowIds={rowIds}
        totalRows={exact?.value ?? count?.value ?? null}
        hasNextPage={query.hasNextPage}
        isFetchingNextPage={query.isFetchingNextPage}
        fetchNextPage={() => void query.fetchNextPage()}
        sort={view.sort}
        headerActions={headerActions}
        selection={selection}
        onToggleRow={onToggleRow}
        onToggleAll={onToggleAll}
        canEdit={canEdit}
        selectable={writable}
        pending={writes.pending}
        onCommit={onCommit}
        onOpenRow={onOpenRow}
        highlightRowId={writes.highlight}
      />
    );
  }

  return (
    <>
      <PageHeader
        title={table.name}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <span>
              {TABLE_TYPE_LABELS[table.type]} in <span className="font-mono">{table.schema}</span> ·{' '}
              {table.columns.length} columns
            </span>
            {reason ? (
              <Badge variant="warning" title={reason}>
                <Lock className="size-3" aria-hidden /> Read-only
              </Badge>
            ) : null}
          </span>
        }
      />
      {reason ? <p className="-mt-4 mb-4 text-xs text-fg-muted">{reason}</p> : null}
      {!urlValid ? (
        <Alert variant="danger" className="mb-3" title="This link’s view could not be read">
          Showing all rows instead.
        </Alert>
      ) : null}
      <div className="mb-2 flex flex-wrap items-center gap-2" role="toolbar" aria-label="Table tools">
        <SearchBox value={view.search ?? ''} onChange={onSearch} />
        <Button
          variant={filters > 0 ? 'secondary' : 'outline'}
          size="sm"
          aria-expanded={filterOpen !== null}
          onClick={() => setFilterOpen((open) => (open ? null : { focus: null, nonce: Date.now() }))}
        >
          <Filter aria-hidden /> Filter
          {filters > 0 ? (
            <span className="rounded-full bg-accent px-1.5 text-[11px] text-accent-fg tabular-nums">{filters}</span>
          ) : null}
        </Button>
        <ColumnsMenu
          columns={table.columns}
          visible={visibleNames}
          onToggle={(name) => setColumns(toggleColumn(visibleNames, tableColumns, name))}
          onShowAll={() => setColumns(orderedColumns(layout, tableColumns))}
          onReset={() => {
            setLayout(() => emptyLayout());
            updateView((current) => ({ ...current, columns: undefined }), 'replace');
          }}
        />
        {view.sort.length > 0 ? (
          <Button
            variant="ghost"
            size="sm"
            onClick={() => updateView((current) => ({ ...current, sort: [] }))}
            title="Clear the sort"
          >
            Sorted by{' '}
            {view.sort.map((sortKey) => `${sortKey.column} ${sortKey.direction === 'asc' ? '↑' : '↓'}`).join(', ')} ✕
          </Button>
        ) : null}
        <div className="ml-auto flex flex-wrap items-center gap-1">
          {writable ? (
            <>
              <Button
                variant="ghost"
                size="icon-sm"
                aria-label={undoEntry ? `Undo ${undoEntry.label} (Ctrl+Z)` : 'Undo (nothing to undo)'}
                title={undoEntry ? `Undo: ${undoEntry.label} (Ctrl+Z)` : 'Nothing to undo'}
                disabled={!canUndo(writes.undoState) || writes.undoBusy}
                onClick={() => void writes.undo()}
              >
                <Undo2 aria-hidden />
              </Button>
              <Button
                variant="ghost"
                size="icon-sm"
                aria-label={redoEntry ? `Redo ${redoEntry.label} (Ctrl+Shift+Z)` : 'Redo (nothing to redo)'}
                title={redoEntry ? `Redo: ${redoEntry.label} (Ctrl+Shift+Z)` : 'Nothing to redo'}
                disabled={!canRedo(writes.undoState) || writes.undoBusy}
                onClick={() => void writes.redo()}
              >
                <Redo2 aria-hidden />
              </Button>
              {selection.ids.size > 0 ? (
                <Button variant="danger-ghost" size="sm" onClick={() => setConfirmDelete(true)}>
                  <Trash2 aria-hidden /> Delete {selection.ids.size}
                </Button>
              ) : null}
              <Button size="sm" onClick={() => setRowForm({ mode: 'insert' })}>
                <Plus aria-hidden /> <span className="hidden sm:inline">Add row</span>
                <span className="sm:hidden">Add</span>
              </Button>
            </>
          ) : null}
          <ExportButton
            tenantId={tenantId}
            connectionId={connection.id}
            view={exportView}
            expectedRows={exact?.value ?? count?.value ?? null}
          />
          <Button
            variant="ghost"
            size="icon-sm"
            aria-label="Reload rows"
            title="Reload rows"
            onClick={() => {
              setSelection(EMPTY_SELECTION);
              void queryClient.resetQueries({ queryKey });
            }}
          >
            <RefreshCw aria-hidden className={cn(query.isFetching && !query.isFetchingNextPage && 'animate-spin')} />
          </Button>
        </div>
      </div>
      {filterOpen ? (
        <div className="mb-2">
          <FilterBuilder
            key={filterOpen.nonce}
            columns={table.columns}
            filter={view.filter}
            focusColumn={filterOpen.focus}
            onApply={(filter) => {
              updateView((current) => ({ ...current, filter }));
              setFilterOpen(null);
            }}
            onClose={() => setFilterOpen(null)}
          />
        </div>
      ) : null}
      <div className="mb-2 flex min-h-6 flex-wrap items-center justify-between gap-2">
        <RowCount
          tenantId={tenantId}
          connectionId={connection.id}
          schema={table.schema}
          table={table.name}
          view={queryView}
          count={count}
          loaded={rows.length}
          exact={exact}
          onExact={(value) => setExactCount({ key, count: value })}
        />
        {query.isFetchNextPageError ? (
          <span className="text-xs text-danger-text" role="alert">
            Could not load more rows.{' '}
            <button type="button" className="underline" onClick={() => void query.fetchNextPage()}>
              Try again
            </button>
          </span>
        ) : null}
        {query.isFetching && !query.isPending && !query.isFetchingNextPage ? (
          <span className="text-xs text-fg-muted" role="status">
            Loading…
          </span>
        ) : null}
      </div>
      <Card className="h-[calc(100dvh-19rem)] min-h-[22rem] overflow-hidden" data-testid="grid-card">
        {body}
      </Card>
      <p className="mt-2 hidden text-xs text-fg-muted lg:block">
        Arrows move · Enter edits and saves · Esc cancels · Tab moves right · Space selects · Shift+Enter opens the row
        · Shift+click a header adds a sort · Ctrl+Z undoes
      </p>
      <p className="sr-only" aria-live="polite">
        {writes.announcement}
      </p>
      <ConflictDialog
        conflict={writes.conflict}
        columns={table.columns}
        resolving={writes.resolving}
        onResolve={(choice) => void writes.resolveConflict(choice)}
      />
      <RowFormDialog
        state={rowForm}
        table={table}
        canWrite={writable}
        onClose={() => {
          setRowForm(null);
          gridRef.current?.focus();
        }}
        onSave={(row, changes) => writes.commitEdit(row, changes, `Edit row (${Object.keys(changes).join(', ')})`)}
        onInsert={onInsert}
      />
      <ConfirmDialog
        open={confirmDelete}
        onOpenChange={(open) => {
          setConfirmDelete(open);
          if (!open) setDeleting({ pending: false, error: null });
        }}
        title={`Delete ${selection.ids.size} ${selection.ids.size === 1 ? 'row' : 'rows'}?`}
        description={`They are deleted from ${table.schema}.${table.name} in ${connection.name}. This cannot be undone.`}
        confirmLabel={`Delete ${selection.ids.size === 1 ? 'row' : 'rows'}`}
        onConfirm={() => void onDelete()}
        pending={deleting.pending}
        error={deleting.error}
      />
    </>
  );
}

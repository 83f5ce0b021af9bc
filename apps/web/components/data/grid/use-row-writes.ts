'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { ZDeleteRowsResponse, ZRowResponse, type TRow } from '@elasticdash/contracts/data/rows';
import { useToast } from '@/components/ui/toast';
import { api, errorMessage } from '@/lib/api';
import { connectionPath, RowConflictError, updateRow } from '@/lib/data/api';
import { rowIdOf } from '@/lib/data/selection';
import {
  afterRedo,
  afterUndo,
  dropEntry,
  peekRedo,
  peekUndo,
  record,
  redoRequest,
  undoRequest,
  type TUndoEntry,
} from '@/lib/data/undo-stack';
import { findRow, patchRows, prependRow, type RowsTarget } from './use-rows';
import { newEntryId, useUndoStack } from './use-undo-stack';

export type TConflictOrigin =
  { kind: 'edit'; label: string } | { kind: 'undo' | 'redo'; entryId: number; label: string };

export interface TConflict {
  rowId: string;
  key: Record<string, unknown>;
  /** What the user wanted to write. */
  mine: Record<string, unknown>;
  /** The row as it is now (null: deleted). */
  current: TRow | null;
  conflictingColumns: string[];
  message: string;
  origin: TConflictOrigin;
}

export type TWriteResult =
  { ok: true; row: TRow } | { ok: false; conflict: true } | { ok: false; conflict: false; error: unknown };

function pick(values: Record<string, unknown>, columns: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(columns.map((column) => [column, values[column] ?? null]));
}

/**
 * Every write of the grid: cell/row updates with the conflict check (expected = what the user
 * saw), undo/redo through the same check, insert and delete. Updates show at once and roll
 * back on failure; a 409 opens the conflict dialog (state `conflict`).
 */
export function useRowWrites(target: RowsTarget, queryKey: readonly unknown[], undoKey: string) {
  const client = useQueryClient();
  const { toast } = useToast();
  const undo = useUndoStack(undoKey);
  const [pending, setPending] = useState<ReadonlyMap<string, ReadonlySet<string>>>(new Map());
  const [conflict, setConflict] = useState<TConflict | null>(null);
  const [resolving, setResolving] = useState(false);
  const [undoBusy, setUndoBusy] = useState(false);
  const [highlight, setHighlight] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  useEffect(() => {
    if (!highlight) return;
    const timer = setTimeout(() => setHighlight(null), 4000);
    return () => clearTimeout(timer);
  }, [highlight]);
  const keyRef = useRef(queryKey);
  keyRef.current = queryKey;
  const { tenantId, connectionId, schema, table, primaryKey } = target;

  const markPending = useCallback((rowId: string, columns: readonly string[], on: boolean) => {
    setPending((current) => {
      const next = new Map(current);
      const set = new Set(next.get(rowId) ?? []);
      for (const column of columns) {
        if (on) set.add(column);
        else set.delete(column);
      }
      if (set.size > 0) next.set(rowId, set);
      else next.delete(rowId);
      return next;
    });
  }, []);

  const replaceRow = useCallback(
    (rowId: string, next: TRow | null | ((row: TRow) => TRow)) =>
      patchRows(client, keyRef.current, primaryKey, (row, id) =>
        id === rowId ? (typeof next === 'function' ? next(row) : next) : row,
      ),
    [client, primaryKey],
  );

  /** One update with optimistic display; the row is restored when it fails. */
  const send = useCallback(
    async (
      key: Record<string, unknown>,
      changes: Record<string, unknown>,
      expected: Record<string, unknown>,
    ): Promise<{ ok: true; row: TRow } | { ok: false; error: unknown }> => {
      const rowId = rowIdOf(key, primaryKey, -1);
      const columns = Object.keys(changes);
      const before = findRow(client, keyRef.current, primaryKey, rowId);
      if (before) replaceRow(rowId, { ...before, values: { ...before.values, ...changes } });
      markPending(rowId, columns, true);
      try {
        const { row } = await updateRow(tenantId, connectionId, { schema, table, key, changes, expected });
        replaceRow(rowId, (loaded) => ({ ...row, labels: { ...loaded.labels, ...row.labels } }));
        return { ok: true, row };
      } catch (error) {
        if (before) replaceRow(rowId, before);
        return { ok: false, error };
      } finally {
        markPending(rowId, columns, false);
      }
    },
    [client, primaryKey, replaceRow, markPending, tenantId, connectionId, schema, table],
  );

  const openConflict = useCallback(
    (error: RowConflictError, key: Record<string, unknown>, mine: Record<string, unknown>, origin: TConflictOrigin) => {
      setConflict({
        rowId: rowIdOf(key, primaryKey, -1),
        key,
        mine,
        current: error.details.current,
        conflictingColumns: error.details.conflictingColumns,
        message: error.message,
        origin,
      });
    },
    [primaryKey],
  );

  const recordEdit = useCallback(
    (key: Record<string, unknown>, before: Record<string, unknown>, after: Record<string, unknown>, label: string) => {
      const changes: TUndoEntry['changes'] = {};
      for (const column of Object.keys(after)) changes[column] = { before: before[column], after: after[column] };
      undo.update((state) => record(state, { id: newEntryId(), schema, table, key, changes, label }));
    },
    [undo, schema, table],
  );

  /** Writes `changes` to `row`, expecting the values the user saw. */
  const commitEdit = useCallback(
    async (row: TRow, changes: Record<string, unknown>, label: string): Promise<TWriteResult> => {
      if (!row.key) return { ok: false, conflict: false, error: new Error('This row has no primary key') };
      const columns = Object.keys(changes);
      const expected = pick(row.values, columns);
      const result = await send(row.key, changes, expected);
      if (result.ok) {
        recordEdit(row.key, expected, pick(result.row.values, columns), label);
        setAnnouncement(`Saved ${columns.join(', ')}`);
        return result;
      }
      if (result.error instanceof RowConflictError) {
        openConflict(result.error, row.key, changes, { kind: 'edit', label });
        return { ok: false, conflict: true };
      }
      return { ok: false, conflict: false, error: result.error };
    },
    [send, recordEdit, openConflict],
  );

  const step = useCallback(
    async (direction: 'undo' | 'redo') => {
      if (undoBusy) return;
      const state = undo.read();
      const entry = direction === 'undo' ? peekUndo(state) : peekRedo(state);
      if (!entry) return;
      const request = direction === 'undo' ? undoRequest(entry) : redoRequest(entry);
      setUndoBusy(true);
      try {
        const result = await send(request.key, request.changes, request.expected);
        if (result.ok) {
          undo.update(direction === 'undo' ? afterUndo : afterRedo);
          setAnnouncement(`${direction === 'undo' ? 'Undone' : 'Redone'}: ${entry.label}`);
          toast({ variant: 'info', title: `${direction === 'undo' ? 'Undone' : 'Redone'}: ${entry.label}` });
        } else if (result.error instanceof RowConflictError) {
          openConflict(result.error, request.key, request.changes, {
            kind: direction,
            entryId: entry.id,
            label: entry.label,
          });
        } else {
          toast({ variant: 'danger', title: `Could not ${direction}`, description: errorMessage(result.error) });
        }
      } finally {
        setUndoBusy(false);
      }
    },
    [undoBusy, undo, send, openConflict, toast],
  );

  /** Keep mine: write again, expecting what the row holds now. Use theirs: show what it holds now. */
  const resolveConflict = useCallback(
    async (choice: 'mine' | 'theirs') => {
      const open = conflict;
      if (!open) return;
      const current = open.current;
      if (choice === 'theirs' || !current) {
        replaceRow(
          open.rowId,
          current ? (loaded) => ({ ...current, labels: { ...loaded.labels, ...current.labels } }) : null,
        );
        const origin = open.origin;
        if (origin.kind !== 'edit') undo.update((state) => dropEntry(state, origin.entryId));
        setConflict(null);
        setAnnouncement('Showing the current values');
        return;
      }
      const columns = Object.keys(open.mine);
      const expected = pick(current.values, columns);
      setResolving(true);
      try {
        const result = await send(open.key, open.mine, expected);
        if (result.ok) {
          if (open.origin.kind === 'edit') {
            recordEdit(open.key, expected, pick(result.row.values, columns), open.origin.label);
          } else {
            undo.update(open.origin.kind === 'undo' ? afterUndo : afterRedo);
          }
          setConflict(null);
          setAnnouncement('Saved your values');
          toast({ variant: 'success', title: 'Your values were saved' });
        } else if (result.error instanceof RowConflictError) {
          openConflict(result.error, open.key, open.mine, open.origin);
        } else {
          toast({ variant: 'danger', title: 'Could not save', description: errorMessage(result.error) });
        }
      } finally {
        setResolving(false);
      }
    },
    [conflict, replaceRow, undo, send, recordEdit, openConflict, toast],
  );

  const insertRow = useCallback(
    async (values: Record<string, unknown>): Promise<TRow> => {
      const { row } = await api(connectionPath(connectionId, '/rows/insert'), {
        method: 'POST',
        tenantId,
        body: { schema, table, values },
        schema: ZRowResponse,
      });
      prependRow(client, keyRef.current, row);
      setHighlight(rowIdOf(row.key, primaryKey, -1));
      setAnnouncement('Row added');
      return row;
    },
    [client, connectionId, tenantId, schema, table, primaryKey],
  );

  const deleteRows = useCallback(
    async (rows: readonly TRow[]): Promise<number> => {
      const keys = rows.flatMap((row) => (row.key ? [row.key] : []));
      const { deleted } = await api(connectionPath(connectionId, '/rows/delete'), {
        method: 'POST',
        tenantId,
        body: { schema, table, keys },
        schema: ZDeleteRowsResponse,
      });
      const ids = new Set(keys.map((key) => rowIdOf(key, primaryKey, -1)));
      patchRows(client, keyRef.current, primaryKey, (row, id) => (ids.has(id) ? null : row));
      setAnnouncement(`${deleted} rows deleted`);
      return deleted;
    },
    [client, connectionId, tenantId, schema, table, primaryKey],
  );

  return {
    pending,
    conflict,
    resolving,
    resolveConflict,
    commitEdit,
    undo: () => step('undo'),
    redo: () => step('redo'),
    undoState: undo.state,
    undoBusy,
    insertRow,
    deleteRows,
    highlight,
    announcement,
  };
}

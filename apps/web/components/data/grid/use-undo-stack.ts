'use client';

import { useCallback, useSyncExternalStore } from 'react';
import { EMPTY_UNDO, type TUndoEntry, type TUndoState } from '@/lib/data/undo-stack';

/**
 * This tab's undo/redo stacks, one per table, kept in memory for the browser session (leaving
 * the table and coming back keeps them; a reload starts afresh).
 */
const stacks = new Map<string, TUndoState>();
const listeners = new Set<() => void>();
let nextEntryId = 1;

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function newEntryId(): number {
  return nextEntryId++;
}

export function useUndoStack(stackKey: string) {
  const state = useSyncExternalStore(
    subscribe,
    () => stacks.get(stackKey) ?? EMPTY_UNDO,
    () => EMPTY_UNDO,
  );
  const update = useCallback(
    (change: (current: TUndoState) => TUndoState) => {
      stacks.set(stackKey, change(stacks.get(stackKey) ?? EMPTY_UNDO));
      for (const listener of listeners) listener();
    },
    [stackKey],
  );
  /** The current state, read outside render (event handlers that run after an await). */
  const read = useCallback(() => stacks.get(stackKey) ?? EMPTY_UNDO, [stackKey]);
  return { state, update, read };
}

export type { TUndoEntry };

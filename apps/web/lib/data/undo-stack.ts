/**
 * Undo/redo of this session's cell edits, held in the browser. An entry is one committed
 * update of one row: for each column, the value before and after. Undo sends the `before`
 * values expecting the `after` ones (the same conflict check as any edit); redo the reverse.
 */
export interface TCellChange {
  before: unknown;
  after: unknown;
}

export interface TUndoEntry {
  id: number;
  schema: string;
  table: string;
  /** Primary key of the row. */
  key: Record<string, unknown>;
  changes: Record<string, TCellChange>;
  /** For the button's tooltip, e.g. "Edit name". */
  label: string;
}

export interface TUndoState {
  past: TUndoEntry[];
  future: TUndoEntry[];
}

export const MAX_UNDO = 200;

export const EMPTY_UNDO: TUndoState = { past: [], future: [] };

/** A new edit: recorded, and the redo branch dropped (as in every editor). */
export function record(state: TUndoState, entry: TUndoEntry, limit = MAX_UNDO): TUndoState {
  const past = [...state.past, entry];
  return { past: past.length > limit ? past.slice(past.length - limit) : past, future: [] };
}

export function canUndo(state: TUndoState): boolean {
  return state.past.length > 0;
}

export function canRedo(state: TUndoState): boolean {
  return state.future.length > 0;
}

/** The update that undoes the last entry: set `before`, expecting `after`. */
export function undoRequest(entry: TUndoEntry): {
  key: Record<string, unknown>;
  changes: Record<string, unknown>;
  expected: Record<string, unknown>;
} {
  const changes: Record<string, unknown> = {};
  const expected: Record<string, unknown> = {};
  for (const [column, change] of Object.entries(entry.changes)) {
    changes[column] = change.before;
    expected[column] = change.after;
  }
  return { key: entry.key, changes, expected };
}

/** The update that redoes an undone entry: set `after`, expecting `before`. */
export function redoRequest(entry: TUndoEntry): ReturnType<typeof undoRequest> {
  const changes: Record<string, unknown> = {};
  const expected: Record<string, unknown> = {};
  for (const [column, change] of Object.entries(entry.changes)) {
    changes[column] = change.after;
    expected[column] = change.before;
  }
  return { key: entry.key, changes, expected };
}

/** After the undo update succeeded: the entry moves to the redo side. */
export function afterUndo(state: TUndoState): TUndoState {
  const entry = state.past[state.past.length - 1];
  if (!entry) return state;
  return { past: state.past.slice(0, -1), future: [...state.future, entry] };
}

/** After the redo update succeeded: the entry moves back to the undo side. */
export function afterRedo(state: TUndoState): TUndoState {
  const entry = state.future[state.future.length - 1];
  if (!entry) return state;
  return { past: [...state.past, entry], future: state.future.slice(0, -1) };
}

export function peekUndo(state: TUndoState): TUndoEntry | undefined {
  return state.past[state.past.length - 1];
}

export function peekRedo(state: TUndoState): TUndoEntry | undefined {
  return state.future[state.future.length - 1];
}

/**
 * An undo or redo that hit a conflict and was resolved by the user some other way (they took
 * the current values): the entry no longer describes the row, so it is dropped.
 */
export function dropEntry(state: TUndoState, id: number): TUndoState {
  return {
    past: state.past.filter((entry) => entry.id !== id),
    future: state.future.filter((entry) => entry.id !== id),
  };
}

/**
 * The row was written with other values after a conflict was resolved by keeping "mine":
 * `after` stays the user's values, `before` becomes what the row held then.
 */
export function rebaseBefore(entry: TUndoEntry, current: Record<string, unknown>): TUndoEntry {
  const changes: Record<string, TCellChange> = {};
  for (const [column, change] of Object.entries(entry.changes)) {
    changes[column] = { before: column in current ? current[column] : change.before, after: change.after };
  }
  return { ...entry, changes };
}

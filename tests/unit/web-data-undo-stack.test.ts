import { describe, expect, it } from 'vitest';
import {
  afterRedo,
  afterUndo,
  canRedo,
  canUndo,
  dropEntry,
  EMPTY_UNDO,
  peekRedo,
  peekUndo,
  rebaseBefore,
  record,
  redoRequest,
  undoRequest,
  type TUndoEntry,
} from '../../apps/web/lib/data/undo-stack.js';

function entry(id: number, before: unknown, after: unknown): TUndoEntry {
  return {
    id,
    schema: 'public',
    table: 'customers',
    key: { id },
    changes: { name: { before, after } },
    label: 'Edit name',
  };
}

describe('undo stack', () => {
  it('undoes by writing the value before, expecting the value after (and redo the reverse)', () => {
    const edit = entry(1, 'Ann', 'Anna');
    expect(undoRequest(edit)).toEqual({ key: { id: 1 }, changes: { name: 'Ann' }, expected: { name: 'Anna' } });
    expect(redoRequest(edit)).toEqual({ key: { id: 1 }, changes: { name: 'Anna' }, expected: { name: 'Ann' } });
  });

  it('moves entries between undo and redo, and a new edit drops the redo branch', () => {
    let state = record(record(EMPTY_UNDO, entry(1, 'a', 'b')), entry(2, 'c', 'd'));
    expect(canUndo(state)).toBe(true);
    expect(canRedo(state)).toBe(false);
    expect(peekUndo(state)?.id).toBe(2);
    state = afterUndo(state);
    expect(peekUndo(state)?.id).toBe(1);
    expect(peekRedo(state)?.id).toBe(2);
    state = afterRedo(state);
    expect(peekUndo(state)?.id).toBe(2);
    state = afterUndo(state);
    state = record(state, entry(3, 'e', 'f'));
    expect(canRedo(state)).toBe(false);
    expect(state.past.map((item) => item.id)).toEqual([1, 3]);
  });

  it('keeps a bounded history, and drops an entry that no longer applies', () => {
    let state = EMPTY_UNDO;
    for (let id = 1; id <= 5; id++) state = record(state, entry(id, id, id + 1), 3);
    expect(state.past.map((item) => item.id)).toEqual([3, 4, 5]);
    state = dropEntry(afterUndo(state), 5);
    expect(canRedo(state)).toBe(false);
    expect(afterUndo(EMPTY_UNDO)).toBe(EMPTY_UNDO);
  });

  it('rebases "before" on the current values after keeping mine in a conflict', () => {
    expect(rebaseBefore(entry(1, 'old', 'mine'), { name: 'theirs' }).changes).toEqual({
      name: { before: 'theirs', after: 'mine' },
    });
  });
});

/**
 * Row selection by checkbox: click toggles one row; shift-click selects (or clears) every row
 * between the last clicked one and this one, like a file manager.
 */
export interface TSelection {
  ids: ReadonlySet<string>;
  /** Index of the last row clicked without shift (the anchor of a range). */
  anchor: number | null;
}

export const EMPTY_SELECTION: TSelection = { ids: new Set(), anchor: null };

export function toggleRow(
  selection: TSelection,
  orderedIds: readonly string[],
  index: number,
  shift: boolean,
): TSelection {
  const id = orderedIds[index];
  if (id === undefined) return selection;
  const ids = new Set(selection.ids);
  if (shift && selection.anchor !== null && orderedIds[selection.anchor] !== undefined) {
    const select = !selection.ids.has(id);
    const [from, to] = selection.anchor < index ? [selection.anchor, index] : [index, selection.anchor];
    for (let position = from; position <= to; position++) {
      const rowId = orderedIds[position];
      if (rowId === undefined) continue;
      if (select) ids.add(rowId);
      else ids.delete(rowId);
    }
    return { ids, anchor: selection.anchor };
  }
  if (ids.has(id)) ids.delete(id);
  else ids.add(id);
  return { ids, anchor: index };
}

export function selectAll(orderedIds: readonly string[]): TSelection {
  return { ids: new Set(orderedIds), anchor: null };
}

/** Keeps only ids still present (after rows were deleted or reloaded). */
export function pruneSelection(selection: TSelection, present: ReadonlySet<string>): TSelection {
  let changed = false;
  const ids = new Set<string>();
  for (const id of selection.ids) {
    if (present.has(id)) ids.add(id);
    else changed = true;
  }
  return changed ? { ids, anchor: null } : selection;
}

/** A row's stable id from its primary key (key order as the table defines it). */
export function rowIdOf(key: Record<string, unknown> | null, primaryKey: readonly string[], fallback: number): string {
  if (!key) return `#${fallback}`;
  return JSON.stringify(primaryKey.map((column) => key[column] ?? null));
}

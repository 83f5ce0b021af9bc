/**
 * The grid's column layout for one table: order, widths and hidden columns, saved per table in
 * localStorage. A view in the URL (`columns`) overrides order and visibility for that link.
 */
export interface TColumnLayout {
  order: string[];
  widths: Record<string, number>;
  hidden: string[];
}

export const MIN_COLUMN_WIDTH = 60;
export const MAX_COLUMN_WIDTH = 1200;
export const DEFAULT_COLUMN_WIDTH = 180;

export function emptyLayout(): TColumnLayout {
  return { order: [], widths: {}, hidden: [] };
}

export function layoutStorageKey(connectionId: string, schema: string, table: string): string {
  return `ed:grid:${connectionId}:${schema}.${table}`;
}

export function parseLayout(raw: string | null): TColumnLayout {
  if (!raw) return emptyLayout();
  try {
    const value = JSON.parse(raw) as Partial<TColumnLayout>;
    const strings = (list: unknown): string[] =>
      Array.isArray(list) ? list.filter((item): item is string => typeof item === 'string') : [];
    const widths: Record<string, number> = {};
    if (value.widths && typeof value.widths === 'object') {
      for (const [name, width] of Object.entries(value.widths)) {
        if (typeof width === 'number' && Number.isFinite(width)) widths[name] = clampWidth(width);
      }
    }
    return { order: strings(value.order), widths, hidden: strings(value.hidden) };
  } catch {
    return emptyLayout();
  }
}

export function clampWidth(width: number): number {
  return Math.round(Math.min(MAX_COLUMN_WIDTH, Math.max(MIN_COLUMN_WIDTH, width)));
}

/** Every column of the table exactly once: the saved order first, new columns after (table order). */
export function orderedColumns(layout: TColumnLayout, tableColumns: readonly string[]): string[] {
  const known = new Set(tableColumns);
  const seen = new Set<string>();
  const order: string[] = [];
  for (const name of layout.order) {
    if (known.has(name) && !seen.has(name)) {
      order.push(name);
      seen.add(name);
    }
  }
  for (const name of tableColumns) if (!seen.has(name)) order.push(name);
  return order;
}

/** Visible columns in display order: the URL's list when given, else the layout's. */
export function visibleColumns(
  layout: TColumnLayout,
  tableColumns: readonly string[],
  fromUrl?: readonly string[],
): string[] {
  const known = new Set(tableColumns);
  if (fromUrl) {
    const listed = fromUrl.filter((name, index) => known.has(name) && fromUrl.indexOf(name) === index);
    if (listed.length > 0) return listed;
  }
  const hidden = new Set(layout.hidden);
  const visible = orderedColumns(layout, tableColumns).filter((name) => !hidden.has(name));
  return visible.length > 0 ? visible : [...tableColumns];
}

/** The layout that shows exactly `visible` in that order (others hidden, after them). */
export function layoutFromVisible(
  layout: TColumnLayout,
  tableColumns: readonly string[],
  visible: readonly string[],
): TColumnLayout {
  const shown = new Set(visible);
  const rest = orderedColumns(layout, tableColumns).filter((name) => !shown.has(name));
  return { ...layout, order: [...visible, ...rest], hidden: rest };
}

/** Moves `name` by `delta` places among the visible columns. */
export function moveColumn(visible: readonly string[], name: string, delta: number): string[] {
  const from = visible.indexOf(name);
  if (from < 0) return [...visible];
  const to = Math.max(0, Math.min(visible.length - 1, from + delta));
  return moveColumnTo(visible, name, to);
}

/** Moves `name` to position `to` (drag and drop). */
export function moveColumnTo(visible: readonly string[], name: string, to: number): string[] {
  const from = visible.indexOf(name);
  if (from < 0 || from === to) return [...visible];
  const next = visible.filter((item) => item !== name);
  next.splice(Math.max(0, Math.min(next.length, to)), 0, name);
  return next;
}

/** Shows or hides one column; the last visible column cannot be hidden. */
export function toggleColumn(visible: readonly string[], tableColumns: readonly string[], name: string): string[] {
  if (visible.includes(name)) return visible.length > 1 ? visible.filter((item) => item !== name) : [...visible];
  // Shown again: at its place in the table's order relative to the visible ones.
  const rank = new Map(tableColumns.map((column, index) => [column, index]));
  const target = rank.get(name) ?? tableColumns.length;
  const next = [...visible];
  let position = next.findIndex((item) => (rank.get(item) ?? 0) > target);
  if (position < 0) position = next.length;
  next.splice(position, 0, name);
  return next;
}

export function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

/** Initial width from the column's kind and name, before the user resizes it. */
export function defaultWidth(kind: string, name: string): number {
  const byKind: Record<string, number> = {
    boolean: 100,
    integer: 110,
    bigint: 130,
    numeric: 130,
    float: 130,
    date: 130,
    time: 120,
    timestamp: 200,
    timestamptz: 220,
    uuid: 300,
    json: 260,
    array: 220,
  };
  const base = byKind[kind] ?? DEFAULT_COLUMN_WIDTH;
  return clampWidth(Math.max(base, name.length * 9 + 48));
}

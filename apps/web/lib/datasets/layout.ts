import type { TPanel, TPanelLayout } from '@elasticdash/contracts/datasets/dashboard';

export const GRID_COLS = 12;

/** What react-grid-layout reports per item (its `Layout` is a readonly array of these). */
export interface TGridItem {
  i: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Whole grid units inside the 12 columns and the contract's limits. */
export function clampLayout(layout: TPanelLayout): TPanelLayout {
  const w = Math.max(1, Math.min(GRID_COLS, Math.round(layout.w)));
  return {
    w,
    x: Math.max(0, Math.min(GRID_COLS - w, Math.round(layout.x))),
    y: Math.max(0, Math.min(10_000, Math.round(layout.y))),
    h: Math.max(1, Math.min(40, Math.round(layout.h))),
  };
}

/**
 * The grid's layout back onto the panels. Panels whose position and size did not change keep
 * their identity, and the same array comes back when nothing changed (no re-render, not dirty).
 */
export function applyGridLayout<P extends TPanel>(panels: readonly P[], layout: readonly TGridItem[]): readonly P[] {
  const byId = new Map(layout.map((item) => [item.i, item]));
  let changed = false;
  const next = panels.map((panel) => {
    const item = byId.get(panel.id);
    if (!item) return panel;
    const updated = clampLayout({ x: item.x, y: item.y, w: item.w, h: item.h });
    const { x, y, w, h } = panel.layout;
    if (updated.x === x && updated.y === y && updated.w === w && updated.h === h) return panel;
    changed = true;
    return { ...panel, layout: updated };
  });
  return changed ? next : panels;
}

/** Where a new panel goes: below everything, left; numbers are small, charts half width. */
export function newPanelLayout(panels: readonly TPanel[], type: TPanel['type']): TPanelLayout {
  const bottom = panels.reduce((max, panel) => Math.max(max, panel.layout.y + panel.layout.h), 0);
  const size = type === 'number' ? { w: 3, h: 4 } : type === 'table' ? { w: 6, h: 8 } : { w: 6, h: 8 };
  // Next to the last panel of the bottom row when it fits, otherwise on a new row.
  const lastRow = panels.filter((panel) => panel.layout.y + panel.layout.h === bottom);
  const right = lastRow.reduce((max, panel) => Math.max(max, panel.layout.x + panel.layout.w), 0);
  const top = lastRow.reduce((min, panel) => Math.min(min, panel.layout.y), bottom);
  if (lastRow.length > 0 && right + size.w <= GRID_COLS) return clampLayout({ x: right, y: top, ...size });
  return clampLayout({ x: 0, y: bottom, ...size });
}

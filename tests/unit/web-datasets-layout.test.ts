import { describe, expect, it } from 'vitest';
import type { TPanel } from '@elasticdash/contracts/datasets/dashboard';
import { applyGridLayout, clampLayout, newPanelLayout } from '../../apps/web/lib/datasets/layout.js';

function panel(id: string, layout: TPanel['layout'], type: TPanel['type'] = 'bar'): TPanel {
  return {
    id,
    title: id,
    type,
    query: { x: null, y: { agg: 'count' }, groupBy: null, filters: [] },
    layout,
  };
}

describe('dashboard grid layout', () => {
  const a = panel('a', { x: 0, y: 0, w: 6, h: 8 });
  const b = panel('b', { x: 6, y: 0, w: 6, h: 8 });

  it('returns the same array when the grid reports the same layout (not dirty on mount)', () => {
    const panels = [a, b];
    const same = applyGridLayout(panels, [
      { i: 'a', x: 0, y: 0, w: 6, h: 8 },
      { i: 'b', x: 6, y: 0, w: 6, h: 8 },
    ]);
    expect(same).toBe(panels);
  });

  it('moves only the panels that changed, clamped to the 12 columns', () => {
    const next = applyGridLayout(
      [a, b],
      [
        { i: 'a', x: 0, y: 8, w: 6, h: 8 },
        { i: 'b', x: 6, y: 0, w: 6, h: 8 },
      ],
    );
    expect(next[0]?.layout).toEqual({ x: 0, y: 8, w: 6, h: 8 });
    expect(next[1]).toBe(b);
    expect(clampLayout({ x: 10, y: -1, w: 5, h: 99 })).toEqual({ x: 7, y: 0, w: 5, h: 40 });
  });

  it('places a new panel beside the last one when it fits, else on a new row', () => {
    expect(newPanelLayout([], 'line')).toEqual({ x: 0, y: 0, w: 6, h: 8 });
    expect(newPanelLayout([a], 'line')).toEqual({ x: 6, y: 0, w: 6, h: 8 });
    expect(newPanelLayout([a, b], 'bar')).toEqual({ x: 0, y: 8, w: 6, h: 8 });
    expect(newPanelLayout([a, b], 'number')).toEqual({ x: 0, y: 8, w: 3, h: 4 });
  });
});

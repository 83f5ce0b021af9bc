import { describe, expect, it } from 'vitest';
import { diffDocuments, jsonEqual } from './plan-diff.js';

/** A cs-json-shaped document; the diff is structural, so only the shape matters here. */
function component(id: string, overrides: Record<string, unknown> = {}) {
  return {
    id,
    type: 'postgresql',
    name: id,
    position: { x: 100, y: 200 },
    compute: { vcpu: 2, memoryGiB: 8, architecture: 'x86_64' },
    database: { engine: 'postgres', majorVersion: 16, maxConnections: 100, workload: 'web' },
    network: { port: 5432, allowedCidrs: ['10.0.0.0/8'], public: false },
    ...overrides,
  };
}

function documentWith(components: unknown[], name = 'orders') {
  return { version: 1, name, components };
}

describe('jsonEqual', () => {
  it('ignores object key order but not array order', () => {
    expect(jsonEqual({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toBe(true);
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
    expect(jsonEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(jsonEqual({ a: null }, {})).toBe(false);
    expect(jsonEqual({ a: undefined }, {})).toBe(true);
    expect(jsonEqual(1, '1')).toBe(false);
    expect(jsonEqual([], {})).toBe(false);
  });
});

describe('diffDocuments', () => {
  it('finds nothing between equal documents, whatever their key order', () => {
    const a = documentWith([component('pg-1')]);
    const b = JSON.parse(JSON.stringify({ components: a.components, name: a.name, version: a.version })) as unknown;
    expect(diffDocuments(a, b)).toEqual([]);
  });

  it('reports moving a node as one position change', () => {
    const from = documentWith([component('pg-1')]);
    const to = documentWith([component('pg-1', { position: { x: 340, y: 80 } })]);
    expect(diffDocuments(from, to)).toEqual([
      {
        path: 'components.0.position',
        kind: 'changed',
        before: { x: 100, y: 200 },
        after: { x: 340, y: 80 },
      },
    ]);
  });

  it('reports a nested scalar change with its dotted path', () => {
    const from = documentWith([component('pg-1')]);
    const to = documentWith([
      component('pg-1', { database: { engine: 'postgres', majorVersion: 16, maxConnections: 200, workload: 'web' } }),
    ]);
    expect(diffDocuments(from, to)).toEqual([
      { path: 'components.0.database.maxConnections', kind: 'changed', before: 100, after: 200 },
    ]);
  });

  it('matches components by id, not by index', () => {
    const a = component('pg-a');
    const b = component('pg-b', { position: { x: 500, y: 0 } });
    // Reordered, and pg-b changed: one change, at pg-b's index in the `to` document.
    const changes = diffDocuments(
      documentWith([a, b]),
      documentWith([{ ...b, compute: { ...b.compute, vcpu: 4 } }, a]),
    );
    expect(changes).toEqual([{ path: 'components.0.compute.vcpu', kind: 'changed', before: 2, after: 4 }]);
    expect(diffDocuments(documentWith([a, b]), documentWith([b, a]))).toEqual([]);
  });

  it('reports added and removed components as whole values', () => {
    const a = component('pg-a');
    const b = component('pg-b');
    const c = component('pg-c');
    expect(diffDocuments(documentWith([a, b]), documentWith([a, c]))).toEqual([
      { path: 'components.1', kind: 'added', after: c },
      { path: 'components.1', kind: 'removed', before: b },
    ]);
    expect(diffDocuments(documentWith([]), documentWith([a]))).toEqual([
      { path: 'components.0', kind: 'added', after: a },
    ]);
    expect(diffDocuments(documentWith([a]), documentWith([]))).toEqual([
      { path: 'components.0', kind: 'removed', before: a },
    ]);
  });

  it('treats arrays without ids as one value', () => {
    const from = documentWith([component('pg-1')]);
    const to = documentWith([
      component('pg-1', { network: { port: 5432, allowedCidrs: ['10.0.0.0/8', '192.168.0.0/16'], public: false } }),
    ]);
    expect(diffDocuments(from, to)).toEqual([
      {
        path: 'components.0.network.allowedCidrs',
        kind: 'changed',
        before: ['10.0.0.0/8'],
        after: ['10.0.0.0/8', '192.168.0.0/16'],
      },
    ]);
  });

  it('reports optional fields appearing and disappearing', () => {
    const from = documentWith([component('pg-1', { compute: { vcpu: 2, memoryGiB: 8, architecture: 'x86_64' } })]);
    const to = documentWith([
      component('pg-1', { compute: { vcpu: 2, memoryGiB: 8, architecture: 'x86_64', instanceType: 'm7i.large' } }),
    ]);
    expect(diffDocuments(from, to)).toEqual([
      { path: 'components.0.compute.instanceType', kind: 'added', after: 'm7i.large' },
    ]);
    expect(diffDocuments(to, from)).toEqual([
      { path: 'components.0.compute.instanceType', kind: 'removed', before: 'm7i.large' },
    ]);
  });

  it('reports several changes in document order', () => {
    const from = documentWith([component('pg-1')], 'orders');
    const to = documentWith(
      [component('pg-1', { position: { x: 0, y: 0 }, name: 'primary' }), component('pg-2')],
      'orders-prod',
    );
    expect(diffDocuments(from, to).map((change) => `${change.kind} ${change.path}`)).toEqual([
      'changed name',
      'changed components.0.name',
      'changed components.0.position',
      'added components.1',
    ]);
  });

  it('falls back to one change when a value changes type, and to index order for duplicate ids', () => {
    expect(diffDocuments({ a: { b: 1 } }, { a: [1] })).toEqual([
      { path: 'a', kind: 'changed', before: { b: 1 }, after: [1] },
    ]);
    const dup = [
      { id: 'x', v: 1 },
      { id: 'x', v: 2 },
    ];
    expect(diffDocuments({ list: dup }, { list: [dup[1], dup[0]] })).toEqual([
      { path: 'list', kind: 'changed', before: dup, after: [dup[1], dup[0]] },
    ]);
    expect(diffDocuments(1, 2)).toEqual([{ path: '(root)', kind: 'changed', before: 1, after: 2 }]);
  });
});

import { describe, expect, it } from 'vitest';
import { COLUMN_KINDS } from '@elasticdash/contracts/data/catalog';
import { FILTER_OPERATORS, MAX_FILTER_DEPTH, ZFilterGroup } from '@elasticdash/contracts/data/rows';
import {
  addCondition,
  addGroup,
  canAddGroup,
  cleanFilter,
  countConditions,
  defaultCondition,
  emptyFilter,
  isComplete,
  nodeAt,
  operatorLabel,
  operatorsFor,
  removeAt,
  setCombinator,
  updateCondition,
  valueShape,
  withColumn,
  withOperator,
} from '../../apps/web/lib/data/filter-tree.js';

const name = { name: 'name', kind: 'text' as const, enumValues: null };
const age = { name: 'age', kind: 'integer' as const, enumValues: null };
const active = { name: 'active', kind: 'boolean' as const, enumValues: null };
const created = { name: 'created_at', kind: 'timestamptz' as const, enumValues: null };

describe('filter tree editing', () => {
  it('offers operators by kind, all of them known to the API', () => {
    for (const kind of COLUMN_KINDS) {
      const ops = operatorsFor(kind);
      expect(ops.length).toBeGreaterThan(0);
      for (const op of ops) expect(FILTER_OPERATORS).toContain(op);
    }
    expect(operatorsFor('boolean')).not.toContain('contains');
    expect(operatorsFor('date')).toContain('in_last');
    expect(operatorsFor('text')).not.toContain('in_last');
    expect(operatorLabel('lt', 'date')).toBe('before');
    expect(operatorLabel('lt', 'integer')).toBe('less than');
  });

  it('adds, updates and removes conditions and nested groups by path', () => {
    let tree = emptyFilter();
    tree = addCondition(tree, [], defaultCondition(name));
    tree = addGroup(tree, [], defaultCondition(age));
    tree = addCondition(tree, [1], defaultCondition(active));
    expect(countConditions(tree)).toBe(3);
    expect(nodeAt(tree, [1])).toMatchObject({ type: 'group', combinator: 'or' });
    expect(nodeAt(tree, [1, 1])).toMatchObject({ column: 'active', op: 'eq', value: 'true' });

    tree = updateCondition(tree, [1, 0], (condition) => ({ ...condition, op: 'gt', value: '30' }));
    tree = setCombinator(tree, [1], 'and');
    expect(nodeAt(tree, [1])).toMatchObject({ combinator: 'and' });
    expect(nodeAt(tree, [1, 0])).toMatchObject({ column: 'age', op: 'gt', value: '30' });

    const before = tree;
    tree = removeAt(tree, [1, 1]);
    expect(countConditions(tree)).toBe(2);
    expect(countConditions(before)).toBe(3); // immutable
  });

  it('limits nesting to the server maximum', () => {
    expect(canAddGroup([])).toBe(true);
    const deepest = Array.from({ length: MAX_FILTER_DEPTH - 1 }, () => 0);
    expect(canAddGroup(deepest)).toBe(false);
  });

  it('reshapes values when the operator changes, keeping what was typed', () => {
    const condition = { type: 'condition' as const, column: 'age', op: 'eq' as const, value: '5' };
    expect(withOperator(condition, 'between').value).toEqual(['5', '']);
    expect(withOperator(condition, 'in').value).toEqual(['5']);
    expect(withOperator(withOperator(condition, 'between'), 'gt').value).toBe('5');
    expect(withOperator(condition, 'is_empty')).toEqual({ type: 'condition', column: 'age', op: 'is_empty' });
    expect(withOperator(condition, 'in_last')).toMatchObject({ value: '7', unit: 'day' });
    expect(valueShape('not_in')).toBe('list');
  });

  it('resets the operator when the new column does not allow it', () => {
    const contains = { type: 'condition' as const, column: 'name', op: 'contains' as const, value: 'x' };
    expect(withColumn(contains, name, age).op).not.toBe('contains');
    const lastWeek = {
      type: 'condition' as const,
      column: 'created_at',
      op: 'in_last' as const,
      value: '7',
      unit: 'day' as const,
    };
    expect(withColumn(lastWeek, created, { ...created, name: 'updated_at' })).toMatchObject({
      column: 'updated_at',
      op: 'in_last',
      value: '7',
    });
  });

  it('sends only complete conditions, trimmed, with blank pair sides as null', () => {
    let tree = emptyFilter('or');
    tree = addCondition(tree, [], { type: 'condition', column: 'name', op: 'contains', value: '  ann ' });
    tree = addCondition(tree, [], { type: 'condition', column: 'age', op: 'eq', value: '' });
    tree = addCondition(tree, [], { type: 'condition', column: 'age', op: 'between', value: ['', '40'] });
    tree = addCondition(tree, [], { type: 'condition', column: 'name', op: 'in', value: ['a', ' ', 'b '] });
    tree = addCondition(tree, [], { type: 'condition', column: 'created_at', op: 'in_last', value: '3', unit: 'week' });
    tree = addGroup(tree, [], { type: 'condition', column: 'age', op: 'gt', value: '' });
    const clean = cleanFilter(tree);
    expect(ZFilterGroup.parse(clean)).toEqual({
      type: 'group',
      combinator: 'or',
      children: [
        { type: 'condition', column: 'name', op: 'contains', value: 'ann' },
        { type: 'condition', column: 'age', op: 'between', value: [null, '40'] },
        { type: 'condition', column: 'name', op: 'in', value: ['a', 'b'] },
        { type: 'condition', column: 'created_at', op: 'in_last', value: 3, unit: 'week' },
      ],
    });
    expect(
      cleanFilter(addCondition(emptyFilter(), [], { type: 'condition', column: 'age', op: 'eq', value: ' ' })),
    ).toBeUndefined();
    expect(isComplete({ type: 'condition', column: 'email', op: 'is_not_empty' })).toBe(true);
  });
});

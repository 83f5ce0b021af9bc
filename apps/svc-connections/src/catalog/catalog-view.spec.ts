import type { TTableRule } from '@elasticdash/contracts/data/rules';
import { describe, expect, it } from 'vitest';
import { indexRules, viewTable } from './catalog-view.js';
import type { TRawColumn, TRawTable } from './catalog.types.js';

function column(name: string, extra: Partial<TRawColumn> = {}): TRawColumn {
  return {
    name,
    dataType: 'text',
    kind: 'text',
    elementKind: null,
    nullable: true,
    defaultExpression: null,
    isGenerated: false,
    primaryKeyPosition: null,
    foreignKey: null,
    enumValues: null,
    ...extra,
  };
}

const customers: TRawTable = {
  schema: 'public',
  name: 'customers',
  type: 'table',
  estimatedRows: 10,
  primaryKey: ['id'],
  canWrite: true,
  columns: [column('id', { kind: 'integer', primaryKeyPosition: 1 }), column('name'), column('ssn')],
};
const orders: TRawTable = {
  schema: 'public',
  name: 'orders',
  type: 'table',
  estimatedRows: 100,
  primaryKey: ['id'],
  canWrite: true,
  columns: [
    column('id', { kind: 'integer', primaryKeyPosition: 1 }),
    column('customer_id', {
      kind: 'integer',
      foreignKey: { schema: 'public', table: 'customers', column: 'id', labelColumn: 'name' },
    }),
    column('total', { kind: 'numeric' }),
    column('total_with_tax', { kind: 'numeric', isGenerated: true }),
  ],
};
const rule = (value: Partial<TTableRule> & Pick<TTableRule, 'table'>): TTableRule => ({
  schema: 'public',
  hidden: false,
  readOnly: false,
  columns: [],
  ...value,
});

const admin = { isAdmin: true, canWrite: true };
const editor = { isAdmin: false, canWrite: true };
const viewer = { isAdmin: false, canWrite: false };

describe('viewTable', () => {
  it('without rules: writable for editors, read-only for viewers; generated columns read-only', () => {
    const forEditor = viewTable(orders, new Map(), editor)!;
    expect(forEditor.readOnly).toBe(false);
    expect(forEditor.columns.map((c) => [c.name, c.readOnly, c.hidden])).toEqual([
      ['id', false, false],
      ['customer_id', false, false],
      ['total', false, false],
      ['total_with_tax', true, false],
    ]);
    expect(viewTable(orders, new Map(), viewer)!.columns.every((c) => c.readOnly)).toBe(true);
    expect('canWrite' in forEditor).toBe(false);
  });

  it('views, tables without a primary key and tables without write privilege are read-only', () => {
    expect(viewTable({ ...orders, type: 'view', primaryKey: [] }, new Map(), admin)!.readOnly).toBe(true);
    expect(viewTable({ ...orders, primaryKey: [] }, new Map(), admin)!.readOnly).toBe(true);
    expect(viewTable({ ...orders, canWrite: false }, new Map(), admin)!.readOnly).toBe(true);
  });

  it('hides hidden tables and columns from non-admins; admins see them flagged', () => {
    const rules = indexRules([rule({ table: 'customers', columns: [{ name: 'ssn', hidden: true, readOnly: false }] })]);
    expect(viewTable(customers, rules, editor)!.columns.map((c) => c.name)).toEqual(['id', 'name']);
    expect(viewTable(customers, rules, admin)!.columns.find((c) => c.name === 'ssn')?.hidden).toBe(true);
    const hidden = indexRules([rule({ table: 'customers', hidden: true })]);
    expect(viewTable(customers, hidden, editor)).toBeNull();
    expect(viewTable(customers, hidden, admin)?.hidden).toBe(true);
  });

  it('read-only rules apply to the table or single columns', () => {
    const table = viewTable(orders, indexRules([rule({ table: 'orders', readOnly: true })]), admin)!;
    expect(table.readOnly).toBe(true);
    expect(table.columns.every((c) => c.readOnly)).toBe(true);
    const columnOnly = viewTable(
      orders,
      indexRules([rule({ table: 'orders', columns: [{ name: 'total', hidden: false, readOnly: true }] })]),
      editor,
    )!;
    expect(columnOnly.readOnly).toBe(false);
    expect(columnOnly.columns.filter((c) => c.readOnly).map((c) => c.name)).toEqual(['total', 'total_with_tax']);
  });

  it('foreign keys never reveal hidden tables or columns to non-admins', () => {
    const fkOf = (rules: TTableRule[], audience = editor) =>
      viewTable(orders, indexRules(rules), audience)!.columns.find((c) => c.name === 'customer_id')?.foreignKey;
    expect(fkOf([])?.labelColumn).toBe('name');
    expect(fkOf([rule({ table: 'customers', columns: [{ name: 'name', hidden: true, readOnly: false }] })])).toEqual({
      schema: 'public',
      table: 'customers',
      column: 'id',
      labelColumn: 'id',
    });
    expect(fkOf([rule({ table: 'customers', hidden: true })])).toBeNull();
    expect(fkOf([rule({ table: 'customers', hidden: true })], admin)?.labelColumn).toBe('name');
  });
});

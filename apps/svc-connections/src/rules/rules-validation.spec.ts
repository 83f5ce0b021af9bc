import type { TTableRule } from '@elasticdash/contracts/data/rules';
import { describe, expect, it } from 'vitest';
import type { TCatalogSnapshot } from '../catalog/catalog.types.js';
import { validateRules } from './rules-validation.js';

const col = (name: string, primaryKeyPosition: number | null = null) => ({
  name,
  dataType: 'text',
  kind: 'text' as const,
  elementKind: null,
  nullable: true,
  defaultExpression: null,
  isGenerated: false,
  primaryKeyPosition,
  foreignKey: null,
  enumValues: null,
});

const catalog: TCatalogSnapshot = {
  version: 1,
  serverVersion: '16.0',
  schemas: ['public', 'sales'],
  tables: [
    {
      schema: 'public',
      name: 'customers',
      type: 'table',
      estimatedRows: 1,
      primaryKey: ['id'],
      canWrite: true,
      columns: [col('id', 1), col('name')],
    },
  ],
};
const rule = (value: Partial<TTableRule>): TTableRule => ({
  schema: 'public',
  table: 'customers',
  hidden: false,
  readOnly: false,
  columns: [],
  ...value,
});

describe('validateRules', () => {
  it('accepts rules naming existing tables and columns', () => {
    expect(validateRules([rule({ columns: [{ name: 'name', hidden: true, readOnly: false }] })], catalog)).toEqual([]);
  });

  it('reports each unknown schema, table or column with its field path', () => {
    expect(
      validateRules(
        [
          rule({ schema: 'nope' }),
          rule({ schema: 'sales', table: 'orders' }),
          rule({
            columns: [
              { name: 'name', hidden: false, readOnly: true },
              { name: 'ghost', hidden: true, readOnly: false },
            ],
          }),
        ],
        catalog,
      ),
    ).toEqual([
      { path: 'rules.0.schema', message: 'Schema "nope" does not exist in this database' },
      { path: 'rules.1.table', message: 'Table "sales"."orders" does not exist' },
      { path: 'rules.2.columns.1.name', message: 'Column "ghost" does not exist in "public"."customers"' },
    ]);
  });

  it('refuses duplicates and hidden primary-key columns', () => {
    const issues = validateRules(
      [rule({ columns: [{ name: 'id', hidden: true, readOnly: false }] }), rule({})],
      catalog,
    );
    expect(issues.map((issue) => issue.path)).toEqual(['rules.0.columns.0.hidden', 'rules.1.table']);
  });
});

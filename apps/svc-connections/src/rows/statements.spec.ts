import type { TCatalogColumn, TCatalogTable } from '@elasticdash/contracts/data/catalog';
import { ZRowsQueryRequest, type TFilterGroup, type TTableView } from '@elasticdash/contracts/data/rows';
import { AppError } from '@elasticdash/service-kit/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileCondition, type FilterContext } from './filter.js';
import { afterSql, decodeCursor, encodeCursor, type OrderKey, resolveOrdering } from './keyset.js';
import { Params } from './sql.js';
import {
  columnLookup,
  countStatement,
  deleteStatement,
  exportStatement,
  insertStatement,
  lockRowStatement,
  pageStatement,
  planView,
  updateStatement,
} from './statements.js';

function col(
  name: string,
  kind: TCatalogColumn['kind'],
  dataType: string,
  extra: Partial<TCatalogColumn> = {},
): TCatalogColumn {
  return {
    name,
    dataType,
    kind,
    elementKind: null,
    nullable: true,
    defaultExpression: null,
    isGenerated: false,
    primaryKeyPosition: null,
    foreignKey: null,
    enumValues: null,
    hidden: false,
    readOnly: false,
    ...extra,
  };
}

const orders: TCatalogTable = {
  schema: 'shop',
  name: 'orders',
  type: 'table',
  estimatedRows: 1_000_000,
  primaryKey: ['id'],
  hidden: false,
  readOnly: false,
  columns: [
    col('id', 'bigint', 'bigint', { nullable: false, primaryKeyPosition: 1 }),
    col('customer_id', 'integer', 'integer', {
      nullable: false,
      foreignKey: { schema: 'shop', table: 'customers', column: 'id', labelColumn: 'name' },
    }),
    col('amount', 'numeric', 'numeric(10,2)'),
    col('status', 'enum', 'shop.order_status', { nullable: false, enumValues: ['new', 'shipped', 'cancelled'] }),
    col('ordered_at', 'timestamptz', 'timestamp with time zone', { nullable: false }),
    col('note', 'text', 'text'),
    col('tags', 'array', 'text[]', { elementKind: 'text' }),
    col('meta', 'json', 'jsonb'),
    col('secret', 'text', 'text', { hidden: true }),
  ],
};

function view(partial: Partial<TTableView> = {}): TTableView {
  return { schema: 'shop', table: 'orders', sort: [], ...partial };
}

function statusOf(run: () => unknown): number | 'ok' {
  try {
    run();
    return 'ok';
  } catch (error) {
    if (error instanceof AppError) return error.getStatus();
    throw error;
  }
}

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error.message;
    throw error;
  }
  return 'ok';
}

function ctx(): FilterContext {
  return { lookup: columnLookup(orders), params: new Params(), alias: 't' };
}

describe('filters → SQL', () => {
  it('binds every value with a cast to the column base type', () => {
    const c = ctx();
    expect(compileCondition(c, { type: 'condition', column: 'amount', op: 'gte', value: '10.5' }, 'f')).toBe(
      't."amount" >= $1::numeric',
    );
    expect(compileCondition(c, { type: 'condition', column: 'status', op: 'in', value: ['new', 'shipped'] }, 'f')).toBe(
      't."status" = ANY($2::shop.order_status[])',
    );
    expect(compileCondition(c, { type: 'condition', column: 'note', op: 'contains', value: '50%_x' }, 'f')).toBe(
      't."note" ILIKE $3::text',
    );
    expect(c.params.values).toEqual(['10.5', ['new', 'shipped'], '%50\\%\\_x%']);
  });

  it('treats NULL consistently: neq/not_in/not_contains keep empty cells, is_empty covers empty text', () => {
    const c = ctx();
    expect(compileCondition(c, { type: 'condition', column: 'note', op: 'neq', value: 'x' }, 'f')).toBe(
      't."note" IS DISTINCT FROM $1::text',
    );
    expect(compileCondition(c, { type: 'condition', column: 'note', op: 'eq', value: null }, 'f')).toBe(
      't."note" IS NULL',
    );
    expect(compileCondition(c, { type: 'condition', column: 'note', op: 'is_empty' }, 'f')).toBe(
      `(t."note" IS NULL OR t."note" = '')`,
    );
    expect(compileCondition(c, { type: 'condition', column: 'amount', op: 'not_in', value: [1, null] }, 'f')).toBe(
      '(t."amount" IS NOT NULL AND t."amount" <> ALL($2::numeric[]))',
    );
    expect(compileCondition(c, { type: 'condition', column: 'note', op: 'not_contains', value: 'a' }, 'f')).toBe(
      '(t."note" IS NULL OR t."note" NOT ILIKE $3::text)',
    );
  });

  it('between, in_last with a fixed unit, arrays and json', () => {
    const c = ctx();
    expect(compileCondition(c, { type: 'condition', column: 'amount', op: 'between', value: [1, 2] }, 'f')).toBe(
      '(t."amount" >= $1::numeric AND t."amount" <= $2::numeric)',
    );
    expect(compileCondition(c, { type: 'condition', column: 'amount', op: 'between', value: [null, 2] }, 'f')).toBe(
      't."amount" <= $3::numeric',
    );
    expect(
      compileCondition(c, { type: 'condition', column: 'ordered_at', op: 'in_last', value: 7, unit: 'day' }, 'f'),
    ).toBe(`(t."ordered_at" >= now() - $4::integer * interval '1 day' AND t."ordered_at" <= now())`);
    expect(compileCondition(c, { type: 'condition', column: 'tags', op: 'contains', value: 'vip' }, 'f')).toBe(
      't."tags" @> $5::text[]',
    );
    expect(compileCondition(c, { type: 'condition', column: 'meta', op: 'eq', value: { a: 1 } }, 'f')).toBe(
      't."meta"::jsonb = $6::jsonb',
    );
    expect(c.params.values.slice(3)).toEqual(['7', ['vip'], '{"a":1}']);
  });

  it('refuses unknown columns, wrong operators and bad values naming the path', () => {
    const plan = (filter: TFilterGroup) => planView(orders, view({ filter }));
    const group = (...children: TFilterGroup['children']): TFilterGroup => ({
      type: 'group',
      combinator: 'and',
      children,
    });
    expect(
      messageOf(() =>
        plan(
          group(
            { type: 'condition', column: 'note', op: 'is_empty' },
            { type: 'condition', column: 'note', op: 'is_empty' },
            { type: 'condition', column: 'x', op: 'eq', value: 1 },
          ),
        ),
      ),
    ).toBe('filter.children.2.column: unknown column "x"');
    expect(messageOf(() => plan(group({ type: 'condition', column: 'secret2', op: 'eq', value: 1 })))).toMatch(
      /unknown column/,
    );
    expect(messageOf(() => plan(group({ type: 'condition', column: 'amount', op: 'contains', value: '1' })))).toBe(
      'filter.children.0.op: contains cannot be used on amount (numeric)',
    );
    expect(messageOf(() => plan(group({ type: 'condition', column: 'amount', op: 'gt', value: 'abc' })))).toBe(
      'filter.children.0.value: "abc" is not a number',
    );
    expect(messageOf(() => plan(group({ type: 'condition', column: 'status', op: 'eq', value: 'lost' })))).toMatch(
      /^filter\.children\.0\.value: "lost" is not one of/,
    );
    expect(
      messageOf(() => plan(group({ type: 'condition', column: 'ordered_at', op: 'in_last', value: -1, unit: 'day' }))),
    ).toMatch(/^filter\.children\.0\.value/);
  });

  it('limits depth and the number of conditions', () => {
    let deep: TFilterGroup = {
      type: 'group',
      combinator: 'and',
      children: [{ type: 'condition', column: 'note', op: 'is_empty' }],
    };
    for (let level = 0; level < 4; level++) deep = { type: 'group', combinator: 'or', children: [deep] };
    expect(statusOf(() => planView(orders, view({ filter: deep })))).toBe(400);
    const many: TFilterGroup = {
      type: 'group',
      combinator: 'and',
      children: Array.from({ length: 3 }, () => ({
        type: 'group' as const,
        combinator: 'or' as const,
        children: Array.from({ length: 20 }, () => ({
          type: 'condition' as const,
          column: 'note',
          op: 'is_empty' as const,
        })),
      })),
    };
    expect(messageOf(() => planView(orders, view({ filter: many })))).toMatch(/at most 50 conditions/);
  });

  it('nests groups with parentheses and ignores empty groups', () => {
    const filter: TFilterGroup = {
      type: 'group',
      combinator: 'or',
      children: [
        { type: 'group', combinator: 'and', children: [] },
        {
          type: 'group',
          combinator: 'and',
          children: [
            { type: 'condition', column: 'status', op: 'eq', value: 'new' },
            { type: 'condition', column: 'amount', op: 'gt', value: 5 },
          ],
        },
        { type: 'condition', column: 'note', op: 'is_not_empty' },
      ],
    };
    const statement = countStatement(planView(orders, view({ filter })));
    expect(statement.text).toBe(
      'SELECT count(*) FROM "shop"."orders" AS t WHERE ((t."status" = $1::shop.order_status AND t."amount" > $2::numeric)' +
        ` OR (t."note" IS NOT NULL AND t."note" <> ''))`,
    );
  });
});

describe('keyset ordering and cursors', () => {
  const lookup = columnLookup(orders);

  it('orders by sort keys then the primary key, NULLs greatest in both directions', () => {
    const { keys, pageable } = resolveOrdering(
      orders,
      [
        { column: 'amount', direction: 'desc' },
        { column: 'note', direction: 'asc' },
      ],
      lookup,
      't',
    );
    expect(pageable).toBe(true);
    expect(keys.map((key) => [key.name, key.direction, key.nullable])).toEqual([
      ['amount', 'desc', true],
      ['note', 'asc', true],
      ['id', 'asc', false],
    ]);
    const page = pageStatement(planView(orders, view({ sort: [{ column: 'amount', direction: 'desc' }] })), {
      after: null,
      limit: 100,
      labels: [],
    });
    expect(page.text).toContain('ORDER BY t."amount" DESC NULLS FIRST, t."id" ASC NULLS LAST LIMIT $1::integer');
    expect(page.values).toEqual(['101']);
  });

  it('refuses unsortable and unknown sort columns', () => {
    expect(messageOf(() => planView(orders, view({ sort: [{ column: 'meta', direction: 'asc' }] })))).toBe(
      'sort.0.column: cannot sort by meta (json)',
    );
    expect(messageOf(() => planView(orders, view({ sort: [{ column: 'nope"', direction: 'asc' }] })))).toBe(
      'sort.0.column: unknown column "nope\\""',
    );
  });

  it('uses a row comparison for same-direction non-null keys', () => {
    const keys = resolveOrdering(orders, [{ column: 'ordered_at', direction: 'asc' }], lookup, 't').keys;
    const params = new Params();
    expect(afterSql(keys, ['2024-01-01 00:00:00+00', '5'], params)).toBe(
      '(t."ordered_at", t."id") > ($1::timestamptz, $2::bigint)',
    );
    const pkOnly = resolveOrdering(orders, [], lookup, 't').keys;
    expect(afterSql(pkOnly, ['500000'], new Params())).toBe('t."id" > $1::bigint');
  });

  it('expands to an OR chain with an index bound when directions differ', () => {
    const keys = resolveOrdering(orders, [{ column: 'ordered_at', direction: 'desc' }], lookup, 't').keys;
    expect(afterSql(keys, ['2024-01-01 00:00:00+00', '5'], new Params())).toBe(
      '(t."ordered_at" <= $1::timestamptz AND (t."ordered_at" < $1::timestamptz OR (t."ordered_at" = $1::timestamptz AND t."id" > $2::bigint)))',
    );
  });

  it('handles NULL cursor values on nullable keys', () => {
    const asc = resolveOrdering(orders, [{ column: 'note', direction: 'asc' }], lookup, 't').keys;
    // After a NULL (last in asc): only other NULLs with a greater id.
    expect(afterSql(asc, [null, '5'], new Params())).toBe(
      '(t."note" IS NULL AND (t."note" IS NULL AND t."id" > $1::bigint))',
    );
    // After a value in asc on a nullable column: greater values, then NULLs.
    expect(afterSql(asc, ['m', '5'], new Params())).toBe(
      '((t."note" > $1::text OR t."note" IS NULL) OR (t."note" = $1::text AND t."id" > $2::bigint))',
    );
    const desc = resolveOrdering(orders, [{ column: 'note', direction: 'desc' }], lookup, 't').keys;
    // After a NULL (first in desc): every value, then NULLs with a greater id.
    expect(afterSql(desc, [null, '5'], new Params())).toBe(
      '(t."note" IS NOT NULL OR (t."note" IS NULL AND t."id" > $1::bigint))',
    );
  });

  it('round-trips cursors and refuses tampered or foreign ones', () => {
    const cursor = encodeCursor('hash1', ['2024-01-01', null, '7']);
    expect(decodeCursor(cursor, 'hash1', 3)).toEqual(['2024-01-01', null, '7']);
    expect(messageOf(() => decodeCursor(cursor, 'hash2', 3))).toMatch(/^after: this cursor belongs to another view/);
    expect(messageOf(() => decodeCursor(cursor, 'hash1', 2))).toMatch(/another view/);
    expect(messageOf(() => decodeCursor('!!!', 'hash1', 3))).toMatch(/^after: this cursor is not valid/);
    const forged = Buffer.from(JSON.stringify({ v: 'hash1', k: [{ x: 1 }, 1, 2] })).toString('base64url');
    expect(messageOf(() => decodeCursor(forged, 'hash1', 3))).toMatch(/not valid/);
  });

  it('a different view gives a different hash', () => {
    const a = planView(orders, view({ sort: [{ column: 'amount', direction: 'asc' }] }));
    const b = planView(orders, view({ sort: [{ column: 'amount', direction: 'desc' }] }));
    const c = planView(orders, view({ sort: [{ column: 'amount', direction: 'asc' }], columns: ['id'] }));
    expect(a.hash).not.toBe(b.hash);
    expect(a.hash).toBe(c.hash);
    // With a quick search, the columns decide what is searched: they are part of the view.
    const d = planView(orders, view({ search: 'x', columns: ['id', 'note'] }));
    const e = planView(orders, view({ search: 'x', columns: ['id', 'status'] }));
    expect(d.hash).not.toBe(e.hash);
  });

  it('tables without a key page by ctid; views without one stop after the first page', () => {
    const heap: TCatalogTable = {
      ...orders,
      primaryKey: [],
      columns: orders.columns.map((c) => ({ ...c, primaryKeyPosition: null })),
    };
    expect(resolveOrdering(heap, [], columnLookup(heap), 't').keys.map((key) => key.expr)).toEqual(['t.ctid']);
    const page = pageStatement(planView(heap, view()), { after: ['(0,5)'], limit: 10, labels: [] });
    expect(page.text).toContain('WHERE t.ctid > $1::tid ORDER BY t.ctid ASC NULLS LAST');
    expect(resolveOrdering({ ...heap, type: 'view' }, [], columnLookup(heap), 't').pageable).toBe(false);
  });
});

describe('statements', () => {
  const labels = [
    {
      column: orders.columns[1] as TCatalogColumn,
      ref: { schema: 'shop', table: 'customers', column: 'id', labelColumn: 'name' },
    },
  ];

  it('joins FK labels laterally on top of the limited page (one statement)', () => {
    const page = pageStatement(planView(orders, view({ columns: ['customer_id', 'amount'] })), {
      after: null,
      limit: 100,
      labels,
    });
    expect(page.text).toBe(
      'SELECT p.*, l0.label FROM (SELECT t."customer_id" AS c0, t."amount" AS c1, t."id" AS c2 FROM "shop"."orders" AS t' +
        ' ORDER BY t."id" ASC NULLS LAST LIMIT $1::integer) AS p' +
        ' LEFT JOIN LATERAL (SELECT r."name"::text AS label FROM "shop"."customers" AS r WHERE r."id" = p.c0 LIMIT 1) AS l0 ON true' +
        ' ORDER BY p.c2 ASC NULLS LAST',
    );
    expect(page.layout.returned).toEqual(['customer_id', 'amount']);
    expect(page.keyPositions).toEqual([2]);
  });

  it('default columns leave hidden ones out; search covers text-like view columns', () => {
    const plan = planView(orders, view({ search: 'ab%' }));
    expect(plan.columns.map((c) => c.name)).not.toContain('secret');
    expect(exportStatement(plan).text).toBe(
      'SELECT t."id", t."customer_id", t."amount", t."status", t."ordered_at", t."note", t."tags", t."meta" FROM "shop"."orders" AS t' +
        ' WHERE (t."status"::text ILIKE $1::text OR t."note" ILIKE $1::text) ORDER BY t."id" ASC NULLS LAST',
    );
    expect(exportStatement(plan).values).toEqual(['%ab\\%%']);
  });

  it('locks, compares in SQL, updates, inserts and deletes with bound values', () => {
    const key = [{ column: orders.columns[0] as TCatalogColumn, value: '5' }];
    const lock = lockRowStatement(orders, key, [{ column: orders.columns[7] as TCatalogColumn, value: '{"a":1}' }], []);
    expect(lock.text).toMatch(
      /t\."meta"::jsonb IS NOT DISTINCT FROM \$1::jsonb AS m0 FROM "shop"\."orders" AS t WHERE t\."id" = \$2::bigint FOR UPDATE OF t$/,
    );
    const update = updateStatement(orders, key, [{ column: orders.columns[2] as TCatalogColumn, value: '9.99' }], []);
    expect(update.text).toMatch(
      /^UPDATE "shop"\."orders" AS t SET "amount" = \$1::numeric WHERE t\."id" = \$2::bigint RETURNING /,
    );
    expect(insertStatement(orders, [], []).text).toMatch(/^INSERT INTO "shop"\."orders" AS t DEFAULT VALUES RETURNING/);
    const withLabel = insertStatement(orders, [{ column: orders.columns[1] as TCatalogColumn, value: '3' }], labels);
    expect(withLabel.text).toMatch(
      /^WITH w AS \(INSERT INTO "shop"\."orders" AS t \("customer_id"\) VALUES \(\$1::integer\) RETURNING .*\) SELECT w\.\*, l0\.label FROM w LEFT JOIN LATERAL/,
    );
    const del = deleteStatement(orders, [orders.columns[0] as TCatalogColumn], [['1'], ['2']]);
    expect(del).toEqual({
      text: 'DELETE FROM "shop"."orders" AS t WHERE t."id" = ANY($1::bigint[])',
      values: [['1', '2']],
    });
  });
});

describe('hostile input never reaches SQL text', () => {
  const hostile = fc.oneof(
    fc.string(),
    fc.string({ unit: 'grapheme' }),
    fc.constantFrom(
      '"; drop table canary; --',
      "'; drop table canary; --",
      '$1',
      '\\',
      'id" OR 1=1 --',
      '"id"',
      'ID',
      ' id',
      'id ',
      'x'.repeat(63),
      'ñame',
      '表',
    ),
  );
  const known = new Set(orders.columns.map((column) => column.name));

  it('unknown column names in columns, sort and filter are refused with 400', () => {
    fc.assert(
      fc.property(hostile, fc.constantFrom('columns', 'sort', 'filter'), (name, where) => {
        fc.pre(!known.has(name) && name.length > 0 && name.length <= 63);
        const candidate =
          where === 'columns'
            ? view({ columns: [name] })
            : where === 'sort'
              ? view({ sort: [{ column: name, direction: 'asc' }] })
              : view({
                  filter: {
                    type: 'group',
                    combinator: 'and',
                    children: [{ type: 'condition', column: name, op: 'eq', value: 1 }],
                  },
                });
        expect(statusOf(() => planView(orders, candidate))).toBe(400);
      }),
      { numRuns: 300 },
    );
  });

  it('values are bound: the statement text does not depend on them', () => {
    const benign: Record<string, string> = { note: 'x', status: 'new', amount: '1', id: '1' };
    const textFor = (value: string, column: string) => {
      const request = ZRowsQueryRequest.parse({
        schema: 'shop',
        table: 'orders',
        search: value.slice(0, 200),
        filter: {
          type: 'group',
          combinator: 'or',
          children: [
            { type: 'condition', column, op: 'eq', value },
            { type: 'condition', column: 'note', op: 'contains', value },
            { type: 'condition', column: 'tags', op: 'contains', value: [value] },
          ],
        },
      });
      return pageStatement(planView(orders, request), { after: [value], limit: 10, labels: [] });
    };
    fc.assert(
      fc.property(hostile, fc.constantFrom('note', 'status', 'amount', 'id'), (value, column) => {
        fc.pre(value.trim().length > 0);
        let statement: ReturnType<typeof textFor>;
        try {
          statement = textFor(value, column);
        } catch (error) {
          // Refused as a bad value for the column's kind: fine.
          expect(error).toBeInstanceOf(AppError);
          expect((error as AppError).getStatus()).toBe(400);
          return;
        }
        expect(statement.text).toBe(textFor(benign[column] ?? 'x', column).text);
        expect(statement.values).toContain(value.trim() === value || column === 'note' ? value : value.trim());
        expect(statement.text).not.toContain(';');
      }),
      { numRuns: 500 },
    );
  });

  it('orders keys are only catalog names (quoted)', () => {
    const keys: OrderKey[] = resolveOrdering(
      orders,
      [{ column: 'note', direction: 'desc' }],
      columnLookup(orders),
      't',
    ).keys;
    expect(keys.every((key) => /^t\."[a-z_]+"$/.test(key.expr))).toBe(true);
  });
});

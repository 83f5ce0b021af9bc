import type { TAuditEntry } from '@elasticdash/contracts/data/audit';
import type { TConnection } from '@elasticdash/contracts/data/connection';
import type { TFilterGroup, TRow, TRowConflictDetails, TRowsPage, TSortKey } from '@elasticdash/contracts/data/rows';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CustomerDatabase,
  createCustomerDatabase,
  expectError,
  type Harness,
  type Member,
  newTenant,
  startHarness,
} from './connections-harness.js';

/**
 * The rows engine against a real customer database: every page, filter, sort, search, count
 * and write is compared with plain SQL written independently here.
 */

const DDL = `
  create type order_status as enum ('new', 'paid', 'shipped', 'cancelled');
  create table customers (
    id serial primary key,
    name text not null,
    email text not null unique,
    country text,
    vip boolean,
    created_at timestamptz not null default now(),
    tags text[] not null default '{}'
  );
  create table products (
    id serial primary key,
    name text not null,
    price numeric(10, 2) not null check (price >= 0),
    stock int not null default 0,
    warranty interval
  );
  create table orders (
    id bigserial primary key,
    customer_id int not null references customers (id),
    product_id int references products (id),
    quantity int not null default 1 check (quantity > 0),
    amount numeric(10, 2),
    status order_status not null default 'new',
    ordered_at timestamptz not null default now(),
    shipped_on date,
    note text,
    meta jsonb,
    ratio double precision
  );
  create table heap_log (at int, msg text);
  create view big_orders as select id, amount from orders where amount > 100;
  create table defaults_only (
    id int generated always as identity primary key,
    created_at timestamptz not null default now(),
    label text default 'untitled',
    twice int generated always as (id * 2) stored
  );
  create function slow(n int) returns int language plpgsql volatile as 'begin perform pg_sleep(0.25); return n; end';
  create view slow_numbers as select g as n from generate_series(1, 4) g where slow(g) > 0;

  insert into customers (name, email, country, vip, created_at, tags)
  select 'Customer ' || g, 'c' || g || '@example.com',
         case when g % 5 = 0 then null else (array['DE', 'FR', 'US', 'GB'])[1 + g % 4] end,
         case when g % 7 = 0 then null else g % 3 = 0 end,
         timestamptz '2024-01-01 00:00:00+00' + g * interval '1 hour',
         case when g % 4 = 0 then array['vip', 'b2b'] when g % 4 = 1 then array['new'] else '{}' end
    from generate_series(1, 60) g;
  insert into products (name, price, stock) select 'Product ' || g, g * 3.75, g % 10 from generate_series(1, 20) g;
  insert into orders (customer_id, product_id, quantity, amount, status, ordered_at, shipped_on, note, meta, ratio)
  select 1 + (g * 7) % 60,
         case when g % 9 = 0 then null else 1 + (g * 3) % 20 end,
         1 + g % 4,
         case when g % 11 = 0 then null else ((g * 37) % 500 + (g % 100) / 100.0) end,
         (array['new', 'paid', 'shipped', 'cancelled'])[1 + (g * 5) % 4]::order_status,
         timestamptz '2025-01-01 00:00:00+00' + ((g * 97) % 400) * interval '1 hour',
         case when g % 3 = 0 then null else date '2025-01-01' + (g % 50) end,
         case when g % 4 = 0 then null when g % 4 = 1 then '' when g % 13 = 0 then 'Fragile, 50% off_sale "quoted"'
              else 'note ' || (g % 17) end,
         case when g % 6 = 0 then null else jsonb_build_object('n', g % 5) end,
         case when g % 8 = 0 then null else (g % 13) / 4.0 end
    from generate_series(1, 600) g;
  insert into heap_log select g, 'line ' || g from generate_series(1, 250) g;
  analyze;
`;

let h: Harness;
let db: CustomerDatabase;
let connectionId: string;
let readOnlyConnectionId: string;
const tenant = newTenant();
const foreign = newTenant();

beforeAll(async () => {
  [h, db] = await Promise.all([
    startHarness('svc_connections_rows', { EXACT_COUNT_TIMEOUT_MS: '400', LOG_LEVEL: 'warn' }),
    createCustomerDatabase('rows', DDL),
  ]);
  const create = async (name: string, readOnly: boolean) => {
    const created = await h.call<{ connection: TConnection }>(tenant.admin, 'POST', '/connections', {
      name,
      settings: db.settings,
      password: db.password,
      readOnly,
    });
    expect(created.status, created.text).toBe(201);
    return created.body.connection.id;
  };
  connectionId = await create('Shop', false);
  readOnlyConnectionId = await create('Shop (read-only)', true);
});

afterAll(async () => {
  if (process.env.SHOW_SERVICE_LOGS) console.log(h?.service.logs());
  const code = await h?.stop();
  await h?.sql.end();
  await Promise.all([h?.database.drop(), db?.drop()]);
  expect(code).toBe(0);
});

const rowsPath = (id = connectionId) => `/connections/${id}/rows`;

async function page(who: Member, body: Record<string, unknown>, id = connectionId): Promise<TRowsPage> {
  const answer = await h.call<TRowsPage>(who, 'POST', `${rowsPath(id)}/query`, { schema: 'public', ...body });
  expect(answer.status, answer.text).toBe(200);
  return answer.body;
}

/** Follows cursors to the end; fails on a repeated key. */
async function allPages(body: Record<string, unknown>, limit: number): Promise<TRow[]> {
  const rows: TRow[] = [];
  let after: string | undefined;
  for (let guard = 0; guard < 1000; guard++) {
    const current = await page(tenant.viewer, {
      ...body,
      limit,
      count: 'none',
      withLabels: false,
      ...(after ? { after } : {}),
    });
    expect(current.rows.length).toBeLessThanOrEqual(limit);
    rows.push(...current.rows);
    if (!current.nextCursor) break;
    expect(current.rows.length).toBe(limit);
    after = current.nextCursor;
  }
  const keys = rows.map((row) => JSON.stringify(row.key ?? row.values));
  expect(new Set(keys).size, 'no row twice').toBe(keys.length);
  return rows;
}

async function sqlIds(query: string, values: unknown[] = []): Promise<string[]> {
  const result = await db.sql.query<{ id: string }>(query, values);
  return result.rows.map((row) => String(row.id));
}

const ids = (rows: TRow[]) => rows.map((row) => String(row.key?.id));
const group = (combinator: 'and' | 'or', ...children: TFilterGroup['children']): TFilterGroup => ({
  type: 'group',
  combinator,
  children,
});
const cond = (column: string, op: string, value?: unknown, unit?: string) =>
  ({ type: 'condition', column, op, value, ...(unit ? { unit } : {}) }) as TFilterGroup['children'][number];

describe('browse: filters and sorts give exactly the rows plain SQL gives, across pages', () => {
  const cases: { name: string; filter?: TFilterGroup; sort: TSortKey[]; sql: string; search?: string }[] = [
    {
      name: 'enum equality, numeric desc with NULLs first',
      filter: group('and', cond('status', 'eq', 'shipped')),
      sort: [{ column: 'amount', direction: 'desc' }],
      sql: `select id from orders where status = 'shipped' order by amount desc nulls first, id`,
    },
    {
      name: 'nested and/or with contains (escaped %), in-list; mixed directions on nullable text',
      filter: group(
        'or',
        group('and', cond('amount', 'gt', 200), cond('note', 'contains', '50%')),
        cond('status', 'in', ['new', 'cancelled']),
      ),
      sort: [
        { column: 'ordered_at', direction: 'asc' },
        { column: 'note', direction: 'desc' },
      ],
      sql: `select id from orders where (amount > 200 and note ilike '%50\\%%') or status in ('new', 'cancelled')
            order by ordered_at asc, note desc nulls first, id`,
    },
    {
      name: 'is_empty on text (NULL or empty)',
      filter: group('and', cond('note', 'is_empty')),
      sort: [{ column: 'note', direction: 'asc' }],
      sql: `select id from orders where note is null or note = '' order by note asc nulls last, id`,
    },
    {
      name: 'neq keeps empty cells',
      filter: group('and', cond('note', 'neq', 'note 3')),
      sort: [],
      sql: `select id from orders where note is distinct from 'note 3' order by id`,
    },
    {
      name: 'between + is_not_empty on a date, date desc then numeric asc',
      filter: group('and', cond('amount', 'between', ['100', '200.5']), cond('shipped_on', 'is_not_empty')),
      sort: [
        { column: 'shipped_on', direction: 'desc' },
        { column: 'amount', direction: 'asc' },
      ],
      sql: `select id from orders where amount between 100 and 200.5 and shipped_on is not null
            order by shipped_on desc nulls first, amount asc nulls last, id`,
    },
    {
      name: 'timestamp range',
      filter: group('and', cond('ordered_at', 'gte', '2025-01-05'), cond('ordered_at', 'lt', '2025-01-10T12:00:00Z')),
      sort: [{ column: 'ordered_at', direction: 'desc' }],
      sql: `select id from orders where ordered_at >= '2025-01-05' and ordered_at < '2025-01-10T12:00:00Z'
            order by ordered_at desc, id`,
    },
    {
      name: 'float comparison, float desc',
      filter: group('and', cond('ratio', 'lte', 1.5)),
      sort: [{ column: 'ratio', direction: 'desc' }],
      sql: `select id from orders where ratio <= 1.5 order by ratio desc nulls first, id`,
    },
    {
      name: 'json equality',
      filter: group('and', cond('meta', 'eq', { n: 2 })),
      sort: [],
      sql: `select id from orders where meta = '{"n": 2}'::jsonb order by id`,
    },
    {
      name: 'not_in keeps NULLs',
      filter: group('and', cond('product_id', 'not_in', [1, 2, 3])),
      sort: [{ column: 'product_id', direction: 'asc' }],
      sql: `select id from orders where product_id is null or product_id not in (1, 2, 3)
            order by product_id asc nulls last, id`,
    },
    {
      name: 'starts_with / ends_with are case-insensitive',
      filter: group('or', cond('note', 'starts_with', 'NOTE 1'), cond('note', 'ends_with', '"QUOTED"')),
      sort: [{ column: 'status', direction: 'desc' }],
      sql: `select id from orders where note ilike 'note 1%' or note ilike '%"quoted"'
            order by status desc, id`,
    },
    {
      name: 'in_last days on a timestamp and on a date',
      filter: group('and', cond('ordered_at', 'in_last', 100000, 'day'), cond('shipped_on', 'in_last', '5000', 'week')),
      sort: [],
      sql: `select id from orders where ordered_at >= now() - interval '100000 days' and ordered_at <= now()
            and shipped_on >= (localtimestamp - interval '5000 weeks')::date and shipped_on <= current_date order by id`,
    },
    {
      name: 'quick search over text-like columns (status as text), with the filter',
      search: 'FRAGILE',
      filter: group('and', cond('quantity', 'gte', 2)),
      sort: [],
      sql: `select id from orders where quantity >= 2 and (note ilike '%fragile%' or status::text ilike '%fragile%') order by id`,
    },
    {
      name: 'quick search with LIKE wildcards matches them literally',
      search: '% OFF_',
      sort: [],
      sql: `select id from orders where note ilike '%\\% off\\_%' or status::text ilike '%\\% off\\_%' order by id`,
    },
  ];

  for (const testCase of cases) {
    it(testCase.name, async () => {
      const expected = await sqlIds(testCase.sql);
      expect(expected.length).toBeGreaterThan(0);
      for (const limit of [7, 100]) {
        const rows = await allPages(
          { table: 'orders', sort: testCase.sort, filter: testCase.filter, search: testCase.search },
          limit,
        );
        expect(ids(rows)).toEqual(expected);
      }
    });
  }

  it('arrays, booleans and empty text on another table', async () => {
    const rows = await allPages(
      {
        table: 'customers',
        filter: group(
          'and',
          cond('tags', 'contains', 'vip'),
          cond('vip', 'neq', true),
          cond('country', 'is_not_empty'),
        ),
        sort: [
          { column: 'vip', direction: 'desc' },
          { column: 'created_at', direction: 'desc' },
        ],
      },
      4,
    );
    expect(ids(rows)).toEqual(
      await sqlIds(`select id from customers where tags @> array['vip'] and vip is distinct from true and country <> ''
                    order by vip desc nulls first, created_at desc, id`),
    );
  });

  it('random sorts, filters and page sizes (property)', async () => {
    const columns = ['amount', 'note', 'shipped_on', 'ratio', 'status', 'ordered_at', 'product_id', 'quantity'];
    const filters: [TFilterGroup | undefined, string][] = [
      [undefined, 'true'],
      [group('and', cond('status', 'neq', 'paid')), `status <> 'paid'`],
      [group('or', cond('amount', 'is_empty'), cond('ratio', 'gt', 1)), 'amount is null or ratio > 1'],
      [group('and', cond('note', 'is_not_empty')), `note <> ''`],
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.constantFrom(...columns), { minLength: 1, maxLength: 3 }),
        fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
        fc.integer({ min: 0, max: filters.length - 1 }),
        fc.integer({ min: 13, max: 250 }),
        async (sortColumns, descending, filterIndex, limit) => {
          const sort = sortColumns.map((column, index) => ({
            column,
            direction: descending[index] ? ('desc' as const) : ('asc' as const),
          }));
          const [filter, where] = filters[filterIndex] as [TFilterGroup | undefined, string];
          const order = sort.map(
            (key) => `${key.column} ${key.direction === 'asc' ? 'asc nulls last' : 'desc nulls first'}`,
          );
          const expected = await sqlIds(`select id from orders where ${where} order by ${[...order, 'id'].join(', ')}`);
          expect(ids(await allPages({ table: 'orders', sort, filter }, limit))).toEqual(expected);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('returns only the chosen columns (plus the key), typed cells', async () => {
    const result = await page(tenant.viewer, {
      table: 'orders',
      columns: ['amount', 'meta', 'shipped_on'],
      filter: group('and', cond('id', 'eq', 4)),
      withLabels: false,
    });
    expect(result.columns).toEqual(['amount', 'meta', 'shipped_on']);
    expect(result.rows).toEqual([
      { key: { id: '4' }, values: { amount: '148.04', meta: { n: 4 }, shipped_on: '2025-01-05' }, labels: {} },
    ]);
    const customers = await page(tenant.viewer, { table: 'customers', filter: group('and', cond('id', 'eq', 4)) });
    expect(customers.rows[0]?.values).toMatchObject({
      id: 4,
      vip: false,
      tags: ['vip', 'b2b'],
      created_at: '2024-01-01 04:00:00+00',
    });
  });

  it('refuses a cursor from another view, a forged cursor and unknown columns (400 naming the path)', async () => {
    const first = await page(tenant.viewer, {
      table: 'orders',
      limit: 5,
      sort: [{ column: 'amount', direction: 'asc' }],
    });
    expect(first.nextCursor).toEqual(expect.any(String));
    const other = await h.call(tenant.viewer, 'POST', `${rowsPath()}/query`, {
      schema: 'public',
      table: 'orders',
      sort: [{ column: 'amount', direction: 'desc' }],
      after: first.nextCursor,
    });
    expectError(other, 400, 'validation_failed', /^after: this cursor belongs to another view/);
    const forged = await h.call(tenant.viewer, 'POST', `${rowsPath()}/query`, {
      schema: 'public',
      table: 'orders',
      after: 'e30',
    });
    expectError(forged, 400, 'validation_failed', /^after: this cursor is not valid/);
    const unknown = await h.call(tenant.viewer, 'POST', `${rowsPath()}/query`, {
      schema: 'public',
      table: 'orders',
      filter: group('and', cond('status', 'eq', 'new'), cond('note', 'eq', 'x'), group('or', cond('nope', 'eq', 1))),
    });
    expectError(unknown, 400, 'validation_failed', /^filter\.children\.2\.children\.0\.column: unknown column "nope"$/);
    const badOp = await h.call(tenant.viewer, 'POST', `${rowsPath()}/query`, {
      schema: 'public',
      table: 'orders',
      filter: group('and', cond('meta', 'gt', 1)),
    });
    expectError(badOp, 400, 'validation_failed', /^filter\.children\.0\.op: gt cannot be used on meta \(json\)$/);
    const badValue = await h.call(tenant.viewer, 'POST', `${rowsPath()}/query`, {
      schema: 'public',
      table: 'orders',
      filter: group('and', cond('status', 'eq', 'lost')),
    });
    expectError(badValue, 400, 'validation_failed', /^filter\.children\.0\.value: "lost" is not one of "new", "paid"/);
    const badSort = await h.call(tenant.viewer, 'POST', `${rowsPath()}/query`, {
      schema: 'public',
      table: 'orders',
      sort: [{ column: 'ghost', direction: 'asc' }],
    });
    expectError(badSort, 400, 'validation_failed', /^sort\.0\.column: unknown column "ghost"$/);
  });

  it('unknown tables and foreign-tenant connections are 404', async () => {
    expectError(
      await h.call(tenant.viewer, 'POST', `${rowsPath()}/query`, { schema: 'public', table: 'nope' }),
      404,
      'not_found',
    );
    expectError(
      await h.call(foreign.owner, 'POST', `${rowsPath()}/query`, { schema: 'public', table: 'orders' }),
      404,
      'not_found',
    );
    expectError(
      await h.call(foreign.owner, 'POST', `${rowsPath()}/update`, {
        schema: 'public',
        table: 'orders',
        key: { id: 1 },
        changes: { note: 'x' },
        expected: {},
      }),
      404,
      'not_found',
    );
  });

  it('tables without a primary key page by ctid; views without one show the first page only', async () => {
    const rows = await allPages({ table: 'heap_log' }, 40);
    expect(rows).toHaveLength(250);
    expect(rows.every((row) => row.key === null)).toBe(true);
    expect(rows.map((row) => row.values.at)).toEqual(Array.from({ length: 250 }, (_, index) => index + 1));
    const sorted = await allPages({ table: 'heap_log', sort: [{ column: 'msg', direction: 'desc' }] }, 33);
    expect(sorted.map((row) => row.values.msg)).toEqual(
      (await db.sql.query<{ msg: string }>('select msg from heap_log order by msg desc, ctid')).rows.map(
        (row) => row.msg,
      ),
    );
    const view = await page(tenant.viewer, {
      table: 'big_orders',
      limit: 5,
      sort: [{ column: 'amount', direction: 'desc' }],
    });
    expect(view.rows).toHaveLength(5);
    expect(view.nextCursor).toBeNull();
    expect(view.rows.map((row) => row.values.amount)).toEqual(
      (
        await db.sql.query<{ amount: string }>('select amount from big_orders order by amount desc, id limit 5')
      ).rows.map((row) => row.amount),
    );
  });
});

describe('foreign-key labels', () => {
  it('come from the referenced rows in the same page (NULL key → null label)', async () => {
    const result = await page(tenant.viewer, { table: 'orders', limit: 50, withLabels: true, count: 'none' });
    const expected = await db.sql.query<{ id: string; customer: string; product: string | null }>(
      `select o.id, c.name as customer, p.name as product from orders o join customers c on c.id = o.customer_id
       left join products p on p.id = o.product_id order by o.id limit 50`,
    );
    expect(result.rows.map((row) => [row.key?.id, row.labels.customer_id, row.labels.product_id])).toEqual(
      expected.rows.map((row) => [String(row.id), row.customer, row.product]),
    );
    expect(result.rows.some((row) => row.values.product_id === null && row.labels.product_id === null)).toBe(true);
    const without = await page(tenant.viewer, { table: 'orders', limit: 5, withLabels: false });
    expect(without.rows[0]?.labels).toEqual({});
  });
});

describe('counts', () => {
  it('estimate: small tables are counted exactly, with the filter applied', async () => {
    const all = await page(tenant.viewer, { table: 'orders', limit: 1 });
    expect(all.count).toEqual({ value: 600, exact: true });
    const filtered = await page(tenant.viewer, {
      table: 'orders',
      limit: 1,
      filter: group('and', cond('status', 'eq', 'new')),
    });
    const [{ count }] = (await db.sql.query<{ count: string }>(`select count(*) from orders where status = 'new'`))
      .rows as [{ count: string }];
    expect(filtered.count).toEqual({ value: Number(count), exact: true });
    const none = await page(tenant.viewer, { table: 'orders', limit: 1, count: 'none' });
    expect(none.count).toBeNull();
  });

  it('exact on request, and the count route', async () => {
    const exact = await page(tenant.viewer, { table: 'orders', limit: 1, count: 'exact', search: 'fragile' });
    const [{ count }] = (
      await db.sql.query<{ count: string }>(`select count(*) from orders where note ilike '%fragile%'`)
    ).rows as [{ count: string }];
    expect(exact.count).toEqual({ value: Number(count), exact: true });
    const routed = await h.call(tenant.viewer, 'POST', `${rowsPath()}/count`, {
      schema: 'public',
      table: 'orders',
      filter: group('and', cond('amount', 'is_empty')),
    });
    expect(routed.status, routed.text).toBe(200);
    const nulls = (await db.sql.query<{ count: string }>('select count(*) from orders where amount is null')).rows[0]
      ?.count;
    expect(routed.body).toEqual({ count: { value: Number(nulls), exact: true } });
    // Search covers the view's columns, for the count as for the page.
    const narrowed = await h.call(tenant.viewer, 'POST', `${rowsPath()}/count`, {
      schema: 'public',
      table: 'orders',
      columns: ['id', 'status'],
      search: 'fragile',
    });
    expect(narrowed.body).toEqual({ count: { value: 0, exact: true } });
  });

  it('an exact count that runs out of time answers the estimate with timedOut', async () => {
    const routed = await h.call(tenant.viewer, 'POST', `${rowsPath()}/count`, {
      schema: 'public',
      table: 'slow_numbers',
      mode: 'exact',
    });
    expect(routed.status, routed.text).toBe(200);
    expect(routed.body).toEqual({ count: { value: expect.any(Number), exact: false, timedOut: true } });
  });
});

describe('writes', () => {
  const update = (who: Member, body: Record<string, unknown>, id = connectionId) =>
    h.call<{ row: TRow }>(who, 'POST', `${rowsPath(id)}/update`, { schema: 'public', table: 'orders', ...body });

  it('updates a cell when the row is as the user saw it; compares values in SQL, not as text', async () => {
    const before = (await db.sql.query('select amount, ordered_at, meta, note from orders where id = 10')).rows[0];
    const answer = await update(tenant.editor, {
      key: { id: 10 },
      changes: { note: 'changed once', quantity: 3 },
      // Same values written differently: numeric scale, ISO time zone, json key spacing.
      expected: { amount: '370.1', ordered_at: '2025-01-01T00:00:00Z', meta: before?.meta, note: before?.note },
    });
    // ordered_at differs from what is stored → that one is reported; the others match.
    expectError(answer, 409, 'conflict', /ordered_at/);
    expect(
      (answer.body as unknown as { error: { details: TRowConflictDetails } }).error.details.conflictingColumns,
    ).toEqual(['ordered_at']);
    const stored = await db.sql.query<{ ordered_at: string }>(`select ordered_at::text from orders where id = 10`);
    const ok = await update(tenant.editor, {
      key: { id: '10' },
      changes: { note: 'changed once', quantity: 3 },
      expected: {
        amount: 370.1,
        ordered_at: stored.rows[0]?.ordered_at.replace(' ', 'T'),
        meta: before?.meta,
        note: before?.note,
      },
    });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.row.values).toMatchObject({ id: '10', note: 'changed once', quantity: 3 });
    expect(ok.body.row.labels.customer_id).toEqual(expect.stringMatching(/^Customer /));
    const after = (await db.sql.query('select note, quantity from orders where id = 10')).rows[0];
    expect(after).toEqual({ note: 'changed once', quantity: 3 });
  });

  it('409 with the current values when someone changed the row meanwhile, then success with them', async () => {
    const seen = (await page(tenant.editor, { table: 'orders', filter: group('and', cond('id', 'eq', 11)) }))
      .rows[0] as TRow;
    await db.sql.query(`update orders set note = 'changed by someone else' where id = 11`);
    const stale = await update(tenant.editor, {
      key: seen.key,
      changes: { note: 'mine' },
      expected: { note: seen.values.note },
    });
    const error = expectError(stale, 409, 'conflict', /changed this row/);
    const details = error.details as TRowConflictDetails;
    expect(details.conflictingColumns).toEqual(['note']);
    expect(details.current?.values.note).toBe('changed by someone else');
    expect(details.current?.key).toEqual({ id: '11' });
    const retried = await update(tenant.editor, {
      key: seen.key,
      changes: { note: 'mine' },
      expected: { note: details.current?.values.note },
    });
    expect(retried.status, retried.text).toBe(200);
    expect((await db.sql.query('select note from orders where id = 11')).rows[0]?.note).toBe('mine');
  });

  it('409 with current null when the row is gone', async () => {
    const gone = await update(tenant.editor, { key: { id: 999999 }, changes: { note: 'x' }, expected: {} });
    const error = expectError(gone, 409, 'conflict', /no longer exists/);
    expect(error.details).toEqual({ current: null, conflictingColumns: [] });
  });

  it('records audit metadata without values', async () => {
    const entries = await h.call<{ entries: TAuditEntry[] }>(tenant.admin, 'GET', `/connections/${connectionId}/audit`);
    expect(entries.status, entries.text).toBe(200);
    const entry = entries.body.entries.find((candidate) => candidate.primaryKeys[0]?.id === '11');
    expect(entry).toMatchObject({
      action: 'update',
      table: 'orders',
      schema: 'public',
      columns: ['note'],
      userId: tenant.editor.userId,
    });
    expect(entries.text).not.toContain('mine');
  });

  it('viewers cannot write; read-only connections and read-only columns refuse with 403', async () => {
    expectError(
      await update(tenant.viewer, { key: { id: 1 }, changes: { note: 'x' }, expected: {} }),
      403,
      'forbidden',
    );
    expectError(
      await h.call(tenant.viewer, 'POST', `${rowsPath()}/insert`, {
        schema: 'public',
        table: 'orders',
        values: { customer_id: 1 },
      }),
      403,
      'forbidden',
    );
    expectError(
      await h.call(tenant.viewer, 'POST', `${rowsPath()}/delete`, {
        schema: 'public',
        table: 'orders',
        keys: [{ id: 1 }],
      }),
      403,
      'forbidden',
    );
    expectError(
      await update(tenant.editor, { key: { id: 1 }, changes: { note: 'x' }, expected: {} }, readOnlyConnectionId),
      403,
      'forbidden',
      /read-only/,
    );
    const browse = await page(tenant.viewer, { table: 'orders', limit: 1 }, readOnlyConnectionId);
    expect(browse.rows).toHaveLength(1);

    const rules = await h.call(tenant.admin, 'PUT', `/connections/${connectionId}/rules`, {
      rules: [
        {
          schema: 'public',
          table: 'products',
          columns: [
            { name: 'price', readOnly: true },
            { name: 'stock', hidden: true },
          ],
        },
      ],
    });
    expect(rules.status, rules.text).toBe(200);
    const products = (body: Record<string, unknown>) =>
      h.call(tenant.editor, 'POST', `${rowsPath()}/update`, {
        schema: 'public',
        table: 'products',
        key: { id: 1 },
        expected: {},
        ...body,
      });
    expectError(await products({ changes: { price: 1 } }), 403, 'forbidden', /^price is read-only$/);
    expectError(
      await products({ changes: { stock: 1 } }),
      400,
      'validation_failed',
      /^changes\.stock: unknown column "stock"$/,
    );
    const visible = await page(tenant.editor, { table: 'products', limit: 1 });
    expect(visible.columns).toEqual(['id', 'name', 'price', 'warranty']);
    expect((await products({ changes: { name: 'Renamed' } })).status).toBe(200);
    await h.call(tenant.admin, 'PUT', `/connections/${connectionId}/rules`, { rules: [] });
    expectError(
      await h.call(tenant.editor, 'POST', `${rowsPath()}/update`, {
        schema: 'public',
        table: 'heap_log',
        key: { at: 1 },
        changes: { msg: 'x' },
        expected: {},
      }),
      403,
      'forbidden',
      /no primary key/,
    );
  });

  it('insert takes defaults for omitted columns (DEFAULT VALUES when none)', async () => {
    const inserted = await h.call<{ row: TRow }>(tenant.editor, 'POST', `${rowsPath()}/insert`, {
      schema: 'public',
      table: 'orders',
      values: { customer_id: 3, note: 'new order' },
    });
    expect(inserted.status, inserted.text).toBe(201);
    expect(inserted.body.row.values).toMatchObject({
      customer_id: 3,
      quantity: 1,
      status: 'new',
      note: 'new order',
      amount: null,
    });
    expect(inserted.body.row.labels.customer_id).toBe('Customer 3');
    const id = inserted.body.row.key?.id as string;
    expect((await db.sql.query('select status, quantity from orders where id = $1', [id])).rows[0]).toEqual({
      status: 'new',
      quantity: 1,
    });
    const empty = await h.call<{ row: TRow }>(tenant.editor, 'POST', `${rowsPath()}/insert`, {
      schema: 'public',
      table: 'defaults_only',
      values: {},
    });
    expect(empty.status, empty.text).toBe(201);
    expect(empty.body.row.values).toMatchObject({ label: 'untitled', twice: Number(empty.body.row.key?.id) * 2 });
    expectError(
      await h.call(tenant.editor, 'POST', `${rowsPath()}/insert`, {
        schema: 'public',
        table: 'defaults_only',
        values: { twice: 4 },
      }),
      403,
      'forbidden',
      /computed by the database/,
    );
  });

  it('delete removes the selected rows in one transaction', async () => {
    const { rows } = await db.sql.query<{ id: string }>(
      `insert into orders (customer_id) values (1), (2), (3) returning id`,
    );
    const keys = rows.map((row) => ({ id: row.id }));
    const deleted = await h.call(tenant.editor, 'POST', `${rowsPath()}/delete`, {
      schema: 'public',
      table: 'orders',
      keys: [...keys, { id: '999999' }],
    });
    expect(deleted.status, deleted.text).toBe(200);
    expect(deleted.body).toEqual({ deleted: 3 });
    expect(
      (await db.sql.query('select count(*)::int as n from orders where id = any($1)', [rows.map((row) => row.id)]))
        .rows[0]?.n,
    ).toBe(0);
    expectError(
      await h.call(tenant.editor, 'POST', `${rowsPath()}/delete`, {
        schema: 'public',
        table: 'orders',
        keys: [{ id: 'x' }],
      }),
      400,
      'validation_failed',
      /^keys\.0\.id: "x" is not a whole number$/,
    );
  });

  it('turns constraint errors into readable messages naming the column and constraint', async () => {
    const insert = (table: string, values: Record<string, unknown>) =>
      h.call(tenant.editor, 'POST', `${rowsPath()}/insert`, { schema: 'public', table, values });
    expectError(
      await insert('customers', { name: 'Dup', email: 'c1@example.com' }),
      409,
      'conflict',
      /^A row with email = c1@example\.com already exists \(constraint customers_email_key\)$/,
    );
    expectError(
      await insert('orders', { customer_id: 999 }),
      400,
      'bad_request',
      /^customer_id 999 does not exist in customers \(constraint orders_customer_id_fkey\)$/,
    );
    expectError(await insert('customers', { email: 'nameless@example.com' }), 400, 'bad_request', /^name is required$/);
    expectError(
      await insert('products', { name: 'Negative', price: '-1' }),
      400,
      'bad_request',
      /^price violates check constraint products_price_check$/,
    );
    expectError(
      await insert('products', { name: 'x', price: 'cheap' }),
      400,
      'validation_failed',
      /^values\.price: "cheap" is not a number$/,
    );
    expectError(
      await insert('products', { name: 'Too dear', price: '123456789012' }),
      400,
      'validation_failed',
      /^values\.price: 123456789012 is too large for numeric\(10,2\)/,
    );
    expectError(
      await h.call(tenant.editor, 'POST', `${rowsPath()}/update`, {
        schema: 'public',
        table: 'products',
        key: { id: 2 },
        changes: { warranty: 'forever' },
        expected: {},
      }),
      400,
      'bad_request',
      /^warranty: invalid input syntax for type interval: "forever"$/,
    );
    expectError(
      await h.call(tenant.editor, 'POST', `${rowsPath()}/delete`, {
        schema: 'public',
        table: 'customers',
        keys: [{ id: 1 }],
      }),
      409,
      'conflict',
      /^This row is still referenced from orders \(constraint orders_customer_id_fkey\)/,
    );
    expectError(
      await insert('orders', { customer_id: 1, ordered_at: '2025-13-01' }),
      400,
      'validation_failed',
      /^values\.ordered_at: "2025-13-01" is not a date and time/,
    );
    // None of the answers leaks SQL.
    expect(h.responses.join('\n')).not.toMatch(/INSERT INTO|SELECT |UPDATE "|DELETE FROM/i);
  });
});

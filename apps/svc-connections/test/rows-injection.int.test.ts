import type { TConnection } from '@elasticdash/contracts/data/connection';
import type { TRow, TRowsPage } from '@elasticdash/contracts/data/rows';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_DATABASE_URL } from '../../../tests/support/database.js';
import {
  type CustomerDatabase,
  createCustomerDatabase,
  type Harness,
  newTenant,
  startHarness,
} from './connections-harness.js';

/**
 * Injection attempts through table names, column names, sort keys, filter values, search,
 * cursors and written values are refused (400/404) or bound — never executed. A canary table
 * owned by the connection's role, a statement trigger logging every write to it and event
 * triggers logging every DDL prove nothing else ran; results are compared with plain SQL.
 */

const WEIRD_TABLE = 'we"ird; drop table canary; --';
const DDL = `
  create table canary (id int primary key, note text);
  insert into canary values (1, 'alive');
  create table writes_log (at timestamptz not null default now(), what text);
  create function log_write() returns trigger language plpgsql as $$
    begin insert into writes_log (what) values (tg_table_name || ' ' || tg_op); return null; end $$;
  create trigger canary_writes after insert or update or delete or truncate on canary
    for each statement execute function log_write();
  create table items (id int primary key, name text, qty int, tags text[]);
  insert into items select g, 'item ' || g, g % 7, array['t' || (g % 3)] from generate_series(1, 50) g;
  insert into items values
    (51, 'it''s "quoted"; drop table canary; --', 1, '{}'),
    (52, E'back\\\\slash $1 %_ ''; select 1', 2, '{}'),
    (53, 'ÜñÍçødé 表 🙂', 3, '{}');
  create table "we""ird; drop table canary; --" ("col""; --" int primary key, "sp ace" text, "ÜñÍçødé" text);
  insert into "we""ird; drop table canary; --" values (1, 'a', 'ü'), (2, null, 'b'), (3, '', 'c');
`;

let h: Harness;
let db: CustomerDatabase;
let admin: pg.Client;
let connectionId: string;
let tablesBefore: number;
const tenant = newTenant();

beforeAll(async () => {
  [h, db] = await Promise.all([
    startHarness('svc_connections_rows_injection', { LOG_LEVEL: 'warn' }),
    createCustomerDatabase('injection', DDL),
  ]);
  // Event triggers need a superuser: every DDL or drop in the customer database is logged.
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${db.database}`;
  admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  await admin.query(`
    create table ddl_log (at timestamptz not null default now(), tag text);
    create function log_ddl() returns event_trigger language plpgsql security definer as $$
      begin insert into public.ddl_log (tag) values (tg_tag); end $$;
    create event trigger ddl_watch on ddl_command_end execute function log_ddl();
    create event trigger drop_watch on sql_drop execute function log_ddl();
  `);
  tablesBefore = Number(
    (await admin.query(`select count(*) from pg_class where relnamespace = 'public'::regnamespace`)).rows[0].count,
  );
  const created = await h.call<{ connection: TConnection }>(tenant.admin, 'POST', '/connections', {
    name: 'Injection target',
    settings: db.settings,
    password: db.password,
  });
  expect(created.status, created.text).toBe(201);
  connectionId = created.body.connection.id;
});

afterAll(async () => {
  if (process.env.SHOW_SERVICE_LOGS) console.log(h?.service.logs());
  const code = await h?.stop();
  await h?.sql.end();
  await admin?.end();
  await Promise.all([h?.database.drop(), db?.drop()]);
  expect(code).toBe(0);
});

/** Quotes, semicolons, comment markers, placeholders, backslashes, unicode, very long strings. */
const hostile = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 80 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ minLength: 64, maxLength: 5000 }) },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      '"; drop table canary; --',
      "'; drop table canary; --",
      "x' or '1'='1",
      'id" or 1=1 --',
      '$1',
      '$1; delete from canary',
      '\\',
      "\\'; truncate canary; --",
      '%',
      '_',
      '*/ select pg_sleep(5) /*',
      'canary',
      'public.canary',
      'name',
      'NAME',
      ' name',
      'name ',
      'it\'s "quoted"; drop table canary; --',
      'ÜñÍçødé 表 🙂',
      WEIRD_TABLE,
    ),
  },
);
const knownColumns = new Set(['id', 'name', 'qty', 'tags']);

const query = (body: Record<string, unknown>) =>
  h.call<TRowsPage>(tenant.editor, 'POST', `/connections/${connectionId}/rows/query`, {
    schema: 'public',
    table: 'items',
    limit: 500,
    count: 'none',
    ...body,
  });
const ids = (rows: TRow[]) => rows.map((row) => Number(row.key?.id));
async function sqlIds(text: string, values: unknown[]): Promise<number[]> {
  return (await db.sql.query<{ id: number }>(text, values)).rows.map((row) => row.id);
}

describe('identifiers come only from the catalog', () => {
  it('hostile schema and table names are 404 (or 400 when malformed)', async () => {
    await fc.assert(
      fc.asyncProperty(hostile, fc.boolean(), async (name, asSchema) => {
        fc.pre(name !== 'items' && name !== 'canary' && name !== WEIRD_TABLE);
        const body = asSchema ? { schema: name, table: 'items' } : { table: name };
        const answer = await query(body);
        expect([400, 404], answer.text).toContain(answer.status);
      }),
      { numRuns: 150 },
    );
  });

  it('hostile column names in columns, sort, filter, search-free writes are refused with 400', async () => {
    await fc.assert(
      fc.asyncProperty(
        hostile,
        fc.constantFrom('columns', 'sort', 'filter', 'update', 'insert', 'key'),
        async (name, where) => {
          fc.pre(!knownColumns.has(name));
          let answer;
          if (where === 'columns') answer = await query({ columns: ['id', name] });
          else if (where === 'sort') answer = await query({ sort: [{ column: name, direction: 'desc' }] });
          else if (where === 'filter') {
            answer = await query({
              filter: {
                type: 'group',
                combinator: 'and',
                children: [{ type: 'condition', column: name, op: 'eq', value: 1 }],
              },
            });
          } else {
            const path = where === 'insert' ? 'insert' : 'update';
            const body =
              where === 'insert'
                ? { schema: 'public', table: 'items', values: { id: 1000, [name]: 'x' } }
                : where === 'key'
                  ? { schema: 'public', table: 'items', key: { [name]: 1 }, changes: { name: 'x' }, expected: {} }
                  : { schema: 'public', table: 'items', key: { id: 1 }, changes: { [name]: 'x' }, expected: {} };
            answer = await h.call(tenant.editor, 'POST', `/connections/${connectionId}/rows/${path}`, body);
          }
          expect(answer.status, answer.text).toBe(400);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a table whose own names look like injections is browsed by its exact quoted names', async () => {
    const answer = await h.call<TRowsPage>(tenant.viewer, 'POST', `/connections/${connectionId}/rows/query`, {
      schema: 'public',
      table: WEIRD_TABLE,
      sort: [{ column: 'col"; --', direction: 'desc' }],
      filter: {
        type: 'group',
        combinator: 'and',
        children: [{ type: 'condition', column: 'sp ace', op: 'is_not_empty' }],
      },
    });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body.columns).toEqual(['col"; --', 'sp ace', 'ÜñÍçødé']);
    expect(answer.body.rows).toEqual([
      { key: { 'col"; --': 1 }, values: { 'col"; --': 1, 'sp ace': 'a', ÜñÍçødé: 'ü' }, labels: {} },
    ]);
    const update = await h.call(tenant.editor, 'POST', `/connections/${connectionId}/rows/update`, {
      schema: 'public',
      table: WEIRD_TABLE,
      key: { 'col"; --': 2 },
      changes: { ÜñÍçødé: '"; drop table canary; --' },
      expected: { 'sp ace': null },
    });
    expect(update.status, update.text).toBe(200);
    const stored = await db.sql.query(
      `select "ÜñÍçødé" as v from "we""ird; drop table canary; --" where "col""; --" = 2`,
    );
    expect(stored.rows[0]?.v).toBe('"; drop table canary; --');
  });
});

describe('values are bound, never spliced', () => {
  it('filter values on text give exactly what plain SQL with a bound parameter gives', async () => {
    await fc.assert(
      fc.asyncProperty(
        hostile,
        fc.constantFrom('eq', 'neq', 'contains', 'starts_with', 'in', 'not_in'),
        async (value, op) => {
          const filterValue = op === 'in' || op === 'not_in' ? [value, 'item 3'] : value;
          const answer = await query({
            filter: {
              type: 'group',
              combinator: 'and',
              children: [{ type: 'condition', column: 'name', op, value: filterValue }],
            },
          });
          if (value.includes('\0')) {
            expect(answer.status, answer.text).toBe(400);
            return;
          }
          expect(answer.status, answer.text).toBe(200);
          const where = {
            eq: 'name = $1',
            neq: 'name is distinct from $1',
            contains: 'strpos(lower(name), lower($1)) > 0',
            starts_with: 'left(lower(name), length($1)) = lower($1)',
            in: 'name = any(array[$1, $2])',
            not_in: 'name is null or name <> all(array[$1, $2])',
          }[op];
          const values = op === 'in' || op === 'not_in' ? [value, 'item 3'] : [value];
          expect(ids(answer.body.rows)).toEqual(
            await sqlIds(`select id from items where ${where} order by id`, values),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('values for numeric columns are refused with 400 unless they are numbers', async () => {
    await fc.assert(
      fc.asyncProperty(hostile, async (value) => {
        const answer = await query({
          filter: {
            type: 'group',
            combinator: 'and',
            children: [{ type: 'condition', column: 'qty', op: 'gt', value }],
          },
        });
        if (/^\s*[+-]?\d+\s*$/.test(value) && Math.abs(Number(value)) < 2 ** 31) {
          expect(answer.status, answer.text).toBe(200);
        } else {
          expect(answer.status, answer.text).toBe(400);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('quick search matches the text literally', async () => {
    await fc.assert(
      fc.asyncProperty(hostile, async (value) => {
        const search = value.slice(0, 200);
        const answer = await query({ search });
        if (search.includes('\0')) {
          expect(answer.status).toBe(400);
          return;
        }
        expect(answer.status, answer.text).toBe(200);
        const expected = search.trim()
          ? await sqlIds('select id from items where strpos(lower(name), lower($1)) > 0 order by id', [search.trim()])
          : await sqlIds('select id from items order by id', []);
        expect(ids(answer.body.rows)).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });

  it('forged cursor values are bound (a bad one is a 400, never executed)', async () => {
    const first = await query({ limit: 5, sort: [{ column: 'name', direction: 'asc' }] });
    const payload = JSON.parse(Buffer.from(first.body.nextCursor as string, 'base64url').toString('utf8')) as {
      v: string;
    };
    await fc.assert(
      fc.asyncProperty(hostile, hostile, async (name, id) => {
        const after = Buffer.from(JSON.stringify({ v: payload.v, k: [name, id] })).toString('base64url');
        const answer = await query({ limit: 5, sort: [{ column: 'name', direction: 'asc' }], after });
        expect([200, 400], answer.text).toContain(answer.status);
        if (answer.status === 200) {
          expect(ids(answer.body.rows)).toEqual(
            await sqlIds('select id from items where (name, id) > ($1, $2::int) order by name, id limit 5', [name, id]),
          );
        }
      }),
      { numRuns: 100 },
    );
  });

  it('written values are stored exactly as given', async () => {
    let expected: unknown = (await db.sql.query('select name from items where id = 1')).rows[0]?.name;
    await fc.assert(
      fc.asyncProperty(hostile, async (value) => {
        const answer = await h.call<{ row: TRow }>(tenant.editor, 'POST', `/connections/${connectionId}/rows/update`, {
          schema: 'public',
          table: 'items',
          key: { id: 1 },
          changes: { name: value, tags: [value, null] },
          expected: { name: expected },
        });
        if (value.includes('\0')) {
          expect(answer.status, answer.text).toBe(400);
          return;
        }
        expect(answer.status, answer.text).toBe(200);
        expect(answer.body.row.values).toMatchObject({ name: value, tags: [value, null] });
        const stored = await db.sql.query('select name, tags from items where id = 1');
        expect(stored.rows[0]).toEqual({ name: value, tags: [value, null] });
        expected = value;
      }),
      { numRuns: 100 },
    );
  });
});

describe('nothing else ran', () => {
  it('the canary is intact, no write or DDL happened, no table appeared or vanished', async () => {
    expect((await db.sql.query('select id, note from canary')).rows).toEqual([{ id: 1, note: 'alive' }]);
    expect((await db.sql.query('select count(*)::int as n from writes_log')).rows[0]?.n).toBe(0);
    expect((await admin.query('select tag from ddl_log')).rows).toEqual([]);
    const tablesAfter = Number(
      (await admin.query(`select count(*) from pg_class where relnamespace = 'public'::regnamespace`)).rows[0].count,
    );
    expect(tablesAfter).toBe(tablesBefore);
    // The detectors work: a write and a DDL made outside the service are both logged.
    await db.sql.query(`update canary set note = 'alive' where id = 1`);
    await db.sql.query('create table detector_check (id int); drop table detector_check');
    expect((await db.sql.query('select what from writes_log')).rows).toEqual([{ what: 'canary UPDATE' }]);
    expect((await admin.query('select tag from ddl_log order by at')).rows.map((row) => row.tag)).toEqual([
      'CREATE TABLE',
      'DROP TABLE',
      'DROP TABLE',
    ]);
  });
});

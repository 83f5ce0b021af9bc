import type { TConnection } from '@elasticdash/contracts/data/connection';
import type { TTableView } from '@elasticdash/contracts/data/rows';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_DATABASE_URL } from '../../../tests/support/database.js';
import { signInternalToken } from '../../../tests/support/internal-token.js';
import {
  type CustomerDatabase,
  createCustomerDatabase,
  eventually,
  expectError,
  type Harness,
  type Member,
  newTenant,
  startHarness,
} from './connections-harness.js';

/** CSV export of a whole view, streamed: compared with plain SQL, headers, errors, early disconnects. */

const DDL = `
  create type mood as enum ('sad', 'ok', 'happy, really');
  create table people (
    id int primary key,
    name text,
    active boolean,
    score numeric(8, 3),
    born date,
    seen timestamptz,
    tags text[],
    doc jsonb,
    mood mood,
    note text
  );
  insert into people
  select g,
         case g % 6 when 0 then null when 1 then '' when 2 then 'Smith, John' when 3 then 'say "hi"'
                    when 4 then E'two\\nlines\\r\\nhere' else 'Ünïcødé ' || g end,
         case when g % 5 = 0 then null else g % 2 = 0 end,
         case when g % 7 = 0 then null else g * 1.125 end,
         date '1990-01-01' + g,
         timestamptz '2025-03-01 12:00:00+00' + g * interval '1 minute 1.5 seconds',
         case when g % 4 = 0 then null else array['a,b', 'c"d', null, ''] end,
         case when g % 3 = 0 then null else jsonb_build_object('k', 'v, "w"', 'n', g) end,
         (array['sad', 'ok', 'happy, really'])[1 + g % 3]::mood,
         case when g % 9 = 0 then E'back\\\\slash' end
    from generate_series(1, 300) g;
  create table big (id int primary key, payload text not null);
  insert into big select g, repeat('x', 60) || g from generate_series(1, 200000) g;
  create table "odd ""name"", é" (id int primary key);
  insert into "odd ""name"", é" values (1);
  analyze;
`;

let h: Harness;
let db: CustomerDatabase;
let connectionId: string;
const tenant = newTenant();
const foreign = newTenant();

beforeAll(async () => {
  [h, db] = await Promise.all([
    startHarness('svc_connections_rows_export', { LOG_LEVEL: 'warn', CUSTOMER_POOL_MAX: '3' }),
    createCustomerDatabase('export', DDL),
  ]);
  const created = await h.call<{ connection: TConnection }>(tenant.admin, 'POST', '/connections', {
    name: 'Export',
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
  await Promise.all([h?.database.drop(), db?.drop()]);
  expect(code).toBe(0);
});

function encode(view: Partial<TTableView>): string {
  return Buffer.from(JSON.stringify({ schema: 'public', sort: [], ...view })).toString('base64url');
}

async function exportAs(who: Member | null, view: string, signal?: AbortSignal): Promise<Response> {
  const headers: Record<string, string> = {};
  if (who) {
    headers['x-internal-context'] = await signInternalToken('svc-connections', {
      userId: who.userId,
      email: who.email,
      tenantId: who.tenantId,
      role: who.role,
    });
  }
  return fetch(`${h.service.url}/connections/${connectionId}/export?view=${view}`, { headers, signal });
}

/** A strict RFC 4180 parser: unquoted empty field → null, `""` → ''. */
function parseCsv(text: string): (string | null)[][] {
  const rows: (string | null)[][] = [];
  let row: (string | null)[] = [];
  let index = 0;
  while (index < text.length) {
    let value: string | null;
    if (text[index] === '"') {
      index++;
      let out = '';
      for (;;) {
        const quote = text.indexOf('"', index);
        if (quote < 0) throw new Error('unterminated quote');
        out += text.slice(index, quote);
        if (text[quote + 1] === '"') {
          out += '"';
          index = quote + 2;
        } else {
          index = quote + 1;
          break;
        }
      }
      value = out;
    } else {
      let end = index;
      while (end < text.length && text[end] !== ',' && text[end] !== '\r') {
        if (text[end] === '"' || text[end] === '\n') throw new Error(`bare ${JSON.stringify(text[end])} at ${end}`);
        end++;
      }
      value = end === index ? null : text.slice(index, end);
      index = end;
    }
    row.push(value);
    if (text[index] === ',') index++;
    else if (text.startsWith('\r\n', index)) {
      rows.push(row);
      row = [];
      index += 2;
    } else if (index < text.length) throw new Error(`unexpected ${JSON.stringify(text[index])} at ${index}`);
  }
  return rows;
}

/** The same rows as plain SQL: Postgres text of each value, booleans as true/false. */
async function sqlRows(
  columns: string[],
  where: string,
  order: string,
  values: unknown[] = [],
): Promise<(string | null)[][]> {
  const select = columns
    .map((column) =>
      column === 'active' ? `case when active then 'true' when not active then 'false' end` : `"${column}"::text`,
    )
    .join(', ');
  const result = await db.sql.query<(string | null)[]>({
    // Ordered by the table's columns (p.x), not by the text output columns of the same name.
    text: `select ${select} from people p where ${where} order by ${order}`,
    values,
    rowMode: 'array',
  });
  return result.rows;
}

describe('CSV export', () => {
  it('streams every row of the view, equal to plain SQL, RFC 4180 quoted, with a header', async () => {
    const columns = ['id', 'name', 'active', 'score', 'born', 'seen', 'tags', 'doc', 'mood', 'note'];
    const response = await exportAs(tenant.viewer, encode({ table: 'people' }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="people.csv"; filename*=UTF-8''people.csv`,
    );
    const text = await response.text();
    expect(text.endsWith('\r\n')).toBe(true);
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual(columns);
    expect(rows).toEqual(await sqlRows(columns, 'true', 'p.id'));
  });

  it('applies the filter, search, sort and column choice of the view', async () => {
    const view = encode({
      table: 'people',
      columns: ['name', 'score', 'mood', 'active'],
      filter: {
        type: 'group',
        combinator: 'or',
        children: [
          { type: 'condition', column: 'score', op: 'gt', value: 200 },
          { type: 'condition', column: 'mood', op: 'eq', value: 'happy, really' },
        ],
      },
      search: 'A',
      sort: [
        { column: 'active', direction: 'desc' },
        { column: 'score', direction: 'asc' },
      ],
    });
    const response = await exportAs(tenant.viewer, view);
    expect(response.status).toBe(200);
    const [header, ...rows] = parseCsv(await response.text());
    expect(header).toEqual(['name', 'score', 'mood', 'active']);
    const expected = await sqlRows(
      ['name', 'score', 'mood', 'active'],
      `(score > 200 or mood = 'happy, really') and (name ilike '%a%' or mood::text ilike '%a%' or note ilike '%a%')`,
      'p.active desc nulls first, p.score asc nulls last, p.id',
    );
    expect(rows).toEqual(expected);
    expect(rows.length).toBeGreaterThan(10);
  });

  it('streams large tables through a cursor (200,000 rows)', async () => {
    const response = await exportAs(
      tenant.viewer,
      encode({ table: 'big', sort: [{ column: 'id', direction: 'desc' }] }),
    );
    expect(response.status).toBe(200);
    let lines = 0;
    let first = '';
    const decoder = new TextDecoder();
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      if (!first) first = decoder.decode(chunk).split('\r\n').slice(0, 2).join('|');
      for (const byte of chunk) if (byte === 10) lines++;
    }
    expect(lines).toBe(200_001);
    expect(first).toBe(`id,payload|200000,${'x'.repeat(60)}200000`);
  });

  it('a client that goes away mid-stream frees its database connection (more aborts than the pool holds)', async () => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const controller = new AbortController();
      const response = await exportAs(tenant.viewer, encode({ table: 'big' }), controller.signal);
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      await reader.read();
      controller.abort();
      await reader.cancel().catch(() => undefined);
    }
    const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
    await admin.connect();
    try {
      await eventually(
        async () =>
          Number(
            (
              await admin.query(
                `select count(*) from pg_stat_activity where datname = $1 and application_name = 'elasticdash' and state <> 'idle'`,
                [db.database],
              )
            ).rows[0].count,
          ),
        0,
        10_000,
      );
    } finally {
      await admin.end();
    }
    const after = await exportAs(tenant.viewer, encode({ table: 'people', columns: ['id'] }));
    expect(after.status).toBe(200);
    expect(parseCsv(await after.text())).toHaveLength(301);
  });

  it('gives an ASCII filename plus the exact one for odd table names', async () => {
    const response = await exportAs(tenant.viewer, encode({ table: 'odd "name", é' }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="odd_name_.csv"; filename*=UTF-8''${encodeURIComponent('odd "name", é.csv')}`,
    );
    expect(await response.text()).toBe('id\r\n1\r\n');
  });

  it('answers errors before streaming as JSON (bad view, unknown column, bad value, foreign tenant, no token)', async () => {
    const garbage = await exportAs(tenant.viewer, 'not-json');
    expect(garbage.status).toBe(400);
    expect(((await garbage.json()) as { error: { message: string } }).error.message).toMatch(
      /^view: must be base64url/,
    );
    const invalidView = await exportAs(tenant.viewer, encode({ table: '' }));
    expect(invalidView.status).toBe(400);
    expect(((await invalidView.json()) as { error: { message: string } }).error.message).toMatch(/^view\.table:/);
    const unknown = await exportAs(tenant.viewer, encode({ table: 'people', columns: ['id', 'ghost'] }));
    expectError(
      { status: unknown.status, body: await unknown.json(), text: '' },
      400,
      'validation_failed',
      /^columns\.1: unknown column "ghost"$/,
    );
    const missing = await exportAs(tenant.viewer, encode({ table: 'nope' }));
    expect(missing.status).toBe(404);
    const other = await exportAs(foreign.owner, encode({ table: 'people' }));
    expect(other.status).toBe(404);
    const anonymous = await exportAs(null, encode({ table: 'people' }));
    expect(anonymous.status).toBe(401);
  });
});

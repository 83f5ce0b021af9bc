import { randomUUID } from 'node:crypto';
import type { TAuditEntry } from '@elasticdash/contracts/data/audit';
import type { TCatalogColumn, TCatalogResponse, TCatalogTable } from '@elasticdash/contracts/data/catalog';
import type { TConnection } from '@elasticdash/contracts/data/connection';
import type { TTableRule } from '@elasticdash/contracts/data/rules';
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

/** Introspection of every common column type, rules applied per role, refresh, persistence, audit listing. */

const DDL = `
  create extension if not exists pgcrypto;
  create type mood as enum ('sad', 'ok', 'happy');
  create domain email_address as text check (value like '%@%');
  create table customers (id serial primary key, name text not null, email text);
  create table categories (code text primary key, title varchar(40), rank int);
  create table everything (
    id bigint generated always as identity primary key,
    small smallint not null default 1,
    regular integer,
    big bigint,
    price numeric(12, 2) default 0,
    ratio real,
    precise double precision,
    active boolean not null default true,
    note text,
    short varchar(20),
    fixed char(3),
    uid uuid default gen_random_uuid(),
    born date,
    seen timestamp,
    seen_tz timestamptz default now(),
    at_time time,
    duration interval,
    doc json,
    docb jsonb,
    feeling mood,
    feelings mood[],
    numbers int[],
    tags text[],
    blob bytea,
    price_with_tax numeric generated always as (price * 1.2) stored,
    customer_id int references customers (id),
    category_code text references categories (code),
    contact email_address
  );
  create table no_pk (a int, b text);
  create view everything_view as select id, note from everything;
  create materialized view order_totals as select count(*) as n from everything;
  create table composite_pk (a int, b int, c text, primary key (b, a));
  create table measurements (id int, at date not null, v numeric, primary key (id, at)) partition by range (at);
  create table measurements_2024 partition of measurements for values from ('2024-01-01') to ('2025-01-01');
  create schema sales;
  create table sales.regions (id int primary key, label text, secret_note text);
  insert into customers (name) select 'customer ' || g from generate_series(1, 500) g;
  analyze customers;
`;

let h: Harness;
let db: CustomerDatabase;
let connectionId: string;
const tenant = newTenant();
const foreign = newTenant();

async function catalogAs(who: Member): Promise<TCatalogResponse> {
  const answer = await h.call<TCatalogResponse>(who, 'GET', `/connections/${connectionId}/catalog`);
  expect(answer.status, answer.text).toBe(200);
  return answer.body;
}

function table(catalog: TCatalogResponse, schema: string, name: string): TCatalogTable | undefined {
  return catalog.tables.find((candidate) => candidate.schema === schema && candidate.name === name);
}

function column(t: TCatalogTable | undefined, name: string): TCatalogColumn {
  const found = t?.columns.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no column ${name} in ${t?.name}`);
  return found;
}

beforeAll(async () => {
  [h, db] = await Promise.all([startHarness('svc_connections_catalog'), createCustomerDatabase('catalog', DDL)]);
  const created = await h.call<{ connection: TConnection }>(tenant.admin, 'POST', '/connections', {
    name: 'Catalog',
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

describe('introspection', () => {
  let catalog: TCatalogResponse;
  beforeAll(async () => {
    catalog = await catalogAs(tenant.editor);
  });

  it('lists schemas, tables, views, materialized and partitioned tables (not partitions)', () => {
    expect(catalog.connectionId).toBe(connectionId);
    expect(catalog.schemas).toEqual(['public', 'sales']);
    expect(catalog.tables.map((t) => [t.schema, t.name, t.type])).toEqual([
      ['public', 'categories', 'table'],
      ['public', 'composite_pk', 'table'],
      ['public', 'customers', 'table'],
      ['public', 'everything', 'table'],
      ['public', 'everything_view', 'view'],
      ['public', 'measurements', 'partitioned_table'],
      ['public', 'no_pk', 'table'],
      ['public', 'order_totals', 'materialized_view'],
      ['sales', 'regions', 'table'],
    ]);
  });

  it('maps every common column type to its kind and keeps the Postgres type text', () => {
    const everything = table(catalog, 'public', 'everything');
    const shape = Object.fromEntries(everything!.columns.map((c) => [c.name, [c.dataType, c.kind, c.elementKind]]));
    expect(shape).toEqual({
      id: ['bigint', 'bigint', null],
      small: ['smallint', 'integer', null],
      regular: ['integer', 'integer', null],
      big: ['bigint', 'bigint', null],
      price: ['numeric(12,2)', 'numeric', null],
      ratio: ['real', 'float', null],
      precise: ['double precision', 'float', null],
      active: ['boolean', 'boolean', null],
      note: ['text', 'text', null],
      short: ['character varying(20)', 'text', null],
      fixed: ['character(3)', 'text', null],
      uid: ['uuid', 'uuid', null],
      born: ['date', 'date', null],
      seen: ['timestamp without time zone', 'timestamp', null],
      seen_tz: ['timestamp with time zone', 'timestamptz', null],
      at_time: ['time without time zone', 'time', null],
      duration: ['interval', 'interval', null],
      doc: ['json', 'json', null],
      docb: ['jsonb', 'json', null],
      feeling: ['mood', 'enum', null],
      feelings: ['mood[]', 'array', 'enum'],
      numbers: ['integer[]', 'array', 'integer'],
      tags: ['text[]', 'array', 'text'],
      blob: ['bytea', 'bytea', null],
      price_with_tax: ['numeric', 'numeric', null],
      customer_id: ['integer', 'integer', null],
      category_code: ['text', 'text', null],
      contact: ['email_address', 'text', null],
    });
  });

  it('reads nullability, defaults, generated and identity columns, enum values', () => {
    const everything = table(catalog, 'public', 'everything');
    expect(column(everything, 'small')).toMatchObject({ nullable: false, defaultExpression: '1' });
    expect(column(everything, 'regular')).toMatchObject({ nullable: true, defaultExpression: null });
    expect(column(everything, 'active')).toMatchObject({ nullable: false, defaultExpression: 'true' });
    expect(column(everything, 'price').defaultExpression).toBe('0');
    expect(column(everything, 'uid').defaultExpression).toBe('gen_random_uuid()');
    expect(column(everything, 'seen_tz').defaultExpression).toBe('now()');
    expect(column(everything, 'price_with_tax')).toMatchObject({
      isGenerated: true,
      readOnly: true,
      defaultExpression: expect.stringContaining('price'),
    });
    expect(column(everything, 'id')).toMatchObject({
      isGenerated: true,
      readOnly: true,
      nullable: false,
      defaultExpression: 'generated always as identity',
      primaryKeyPosition: 1,
    });
    expect(column(everything, 'feeling').enumValues).toEqual(['sad', 'ok', 'happy']);
    expect(column(everything, 'feelings').enumValues).toEqual(['sad', 'ok', 'happy']);
    expect(column(everything, 'note')).toMatchObject({ enumValues: null, readOnly: false, hidden: false });
  });

  it('reads primary keys in key order and single-column foreign keys with a label column', () => {
    expect(table(catalog, 'public', 'everything')?.primaryKey).toEqual(['id']);
    const composite = table(catalog, 'public', 'composite_pk');
    expect(composite?.primaryKey).toEqual(['b', 'a']);
    expect(column(composite, 'b').primaryKeyPosition).toBe(1);
    expect(column(composite, 'a').primaryKeyPosition).toBe(2);
    expect(column(composite, 'c').primaryKeyPosition).toBeNull();
    expect(table(catalog, 'public', 'measurements')?.primaryKey).toEqual(['id', 'at']);
    const everything = table(catalog, 'public', 'everything');
    expect(column(everything, 'customer_id').foreignKey).toEqual({
      schema: 'public',
      table: 'customers',
      column: 'id',
      labelColumn: 'name',
    });
    expect(column(everything, 'category_code').foreignKey).toEqual({
      schema: 'public',
      table: 'categories',
      column: 'code',
      labelColumn: 'title',
    });
    expect(column(everything, 'regular').foreignKey).toBeNull();
  });

  it('estimates rows from statistics (null when never analyzed) and marks what cannot be written', () => {
    expect(table(catalog, 'public', 'customers')?.estimatedRows).toBe(500);
    expect(table(catalog, 'public', 'no_pk')?.estimatedRows).toBeNull();
    expect(table(catalog, 'public', 'everything_view')?.estimatedRows).toBeNull();
    const readOnly = Object.fromEntries(catalog.tables.map((t) => [t.name, t.readOnly]));
    expect(readOnly).toEqual({
      categories: false,
      composite_pk: false,
      customers: false,
      everything: false,
      everything_view: true,
      measurements: false,
      no_pk: true,
      order_totals: true,
      regions: false,
    });
    expect(table(catalog, 'public', 'no_pk')?.columns.every((c) => c.readOnly)).toBe(true);
  });

  it('makes everything read-only for viewers', async () => {
    const forViewer = await catalogAs(tenant.viewer);
    expect(forViewer.tables.every((t) => t.readOnly && t.columns.every((c) => c.readOnly))).toBe(true);
  });
});

describe('rules', () => {
  const rules: TTableRule[] = [
    { schema: 'public', table: 'categories', hidden: true, readOnly: false, columns: [] },
    {
      schema: 'public',
      table: 'everything',
      hidden: false,
      readOnly: false,
      columns: [
        { name: 'note', hidden: true, readOnly: false },
        { name: 'price', hidden: false, readOnly: true },
      ],
    },
    { schema: 'public', table: 'customers', hidden: false, readOnly: true, columns: [] },
    {
      schema: 'sales',
      table: 'regions',
      hidden: false,
      readOnly: false,
      columns: [{ name: 'label', hidden: true, readOnly: false }],
    },
  ];

  it('refuses rules that name unknown schemas, tables or columns, with the field path', async () => {
    const answer = await h.call(tenant.admin, 'PUT', `/connections/${connectionId}/rules`, {
      rules: [
        { schema: 'public', table: 'nope' },
        { schema: 'public', table: 'everything', columns: [{ name: 'ghost', hidden: true }] },
        { schema: 'ghost_schema', table: 'x' },
        { schema: 'public', table: 'customers', columns: [{ name: 'id', hidden: true }] },
      ],
    });
    const error = expectError(answer, 400, 'validation_failed');
    expect((error.details as { issues: { path: string }[] }).issues.map((issue) => issue.path)).toEqual([
      'rules.0.table',
      'rules.1.columns.0.name',
      'rules.2.schema',
      'rules.3.columns.0.hidden',
    ]);
    const stored = await h.call<{ rules: TTableRule[] }>(tenant.admin, 'GET', `/connections/${connectionId}/rules`);
    expect(stored.body.rules).toEqual([]);
  });

  it('replaces all rules and returns them', async () => {
    const put = await h.call<{ rules: TTableRule[] }>(tenant.admin, 'PUT', `/connections/${connectionId}/rules`, {
      rules,
    });
    expect(put.status, put.text).toBe(200);
    const sorted = [...rules].sort((a, b) => `${a.schema}.${a.table}`.localeCompare(`${b.schema}.${b.table}`));
    expect(put.body.rules).toEqual(sorted);
    const got = await h.call<{ rules: TTableRule[] }>(tenant.owner, 'GET', `/connections/${connectionId}/rules`);
    expect(got.body.rules).toEqual(sorted);
  });

  it('hides tables and columns from non-admins and makes tables and columns read-only', async () => {
    for (const who of [tenant.editor, tenant.viewer]) {
      const catalog = await catalogAs(who);
      expect(table(catalog, 'public', 'categories')).toBeUndefined();
      const everything = table(catalog, 'public', 'everything');
      expect(everything?.columns.map((c) => c.name)).not.toContain('note');
      expect(everything?.columns.some((c) => c.hidden)).toBe(false);
      // A foreign key into a hidden table is not offered (its labels would reveal it).
      expect(column(everything, 'category_code').foreignKey).toBeNull();
      expect(table(catalog, 'sales', 'regions')?.columns.map((c) => c.name)).toEqual(['id', 'secret_note']);
    }
    const editorView = await catalogAs(tenant.editor);
    const everything = table(editorView, 'public', 'everything');
    expect(everything?.readOnly).toBe(false);
    expect(column(everything, 'price').readOnly).toBe(true);
    expect(column(everything, 'regular').readOnly).toBe(false);
    expect(table(editorView, 'public', 'customers')).toMatchObject({ readOnly: true, hidden: false });
    expect(table(editorView, 'public', 'customers')?.columns.every((c) => c.readOnly)).toBe(true);
  });

  it('shows admins everything, flagged hidden', async () => {
    const catalog = await catalogAs(tenant.admin);
    expect(table(catalog, 'public', 'categories')).toMatchObject({ hidden: true });
    const everything = table(catalog, 'public', 'everything');
    expect(column(everything, 'note')).toMatchObject({ hidden: true });
    expect(column(everything, 'category_code').foreignKey?.table).toBe('categories');
  });

  it('applies the connection read-only flag to every table', async () => {
    const patched = await h.call(tenant.admin, 'PATCH', `/connections/${connectionId}`, { readOnly: true });
    expect(patched.status, patched.text).toBe(200);
    const catalog = await catalogAs(tenant.admin);
    expect(catalog.tables.every((t) => t.readOnly && t.columns.every((c) => c.readOnly))).toBe(true);
    expect((await h.call(tenant.admin, 'PATCH', `/connections/${connectionId}`, { readOnly: false })).status).toBe(200);
    expect(table(await catalogAs(tenant.admin), 'public', 'everything')?.readOnly).toBe(false);
  });
});

describe('refresh and persistence', () => {
  it('keeps serving the snapshot until refreshed, also after a restart, and refresh picks up changes', async () => {
    const first = await catalogAs(tenant.editor);
    await db.sql.query('alter table no_pk add column added_later text; create table brand_new (id int primary key)');
    const cached = await catalogAs(tenant.editor);
    expect(cached.introspectedAt).toBe(first.introspectedAt);
    expect(table(cached, 'public', 'brand_new')).toBeUndefined();

    await h.restart();
    const afterRestart = await catalogAs(tenant.editor);
    expect(afterRestart.introspectedAt).toBe(first.introspectedAt);
    expect(table(afterRestart, 'public', 'brand_new')).toBeUndefined();
    // Rules survive too.
    expect(table(afterRestart, 'public', 'categories')).toBeUndefined();

    const refreshed = await h.call<TCatalogResponse>(
      tenant.editor,
      'POST',
      `/connections/${connectionId}/catalog/refresh`,
    );
    expect(refreshed.status, refreshed.text).toBe(200);
    expect(Date.parse(refreshed.body.introspectedAt)).toBeGreaterThan(Date.parse(first.introspectedAt));
    expect(table(refreshed.body, 'public', 'brand_new')?.primaryKey).toEqual(['id']);
    expect(table(refreshed.body, 'public', 'no_pk')?.columns.map((c) => c.name)).toEqual(['a', 'b', 'added_later']);
    const connection = await h.call<{ connection: TConnection }>(tenant.viewer, 'GET', `/connections/${connectionId}`);
    expect(connection.body.connection.introspectedAt).toBe(refreshed.body.introspectedAt);
  });
});

describe('audit log', () => {
  it('lists entries newest first with a cursor, scoped by tenant and connection', async () => {
    const insert = (tenantId: string, action: string, requestId: string) =>
      h.sql.query(
        `insert into connections.audit_log (tenant_id, connection_id, user_id, user_email, schema, "table", action,
           primary_keys, columns, request_id)
         values ($1, $2, $3, 'editor@example.test', 'public', 'customers', $4, '[{"id":"7"}]', '{name}', $5)`,
        [tenantId, connectionId, tenant.editor.userId, action, requestId],
      );
    await insert(tenant.id, 'insert', 'req-a');
    await insert(tenant.id, 'update', 'req-b');
    await insert(foreign.id, 'delete', 'req-foreign');
    await insert(tenant.id, 'delete', 'req-c');

    const first = await h.call<{ entries: TAuditEntry[]; nextCursor: string | null }>(
      tenant.admin,
      'GET',
      `/connections/${connectionId}/audit?limit=2`,
    );
    expect(first.status, first.text).toBe(200);
    expect(first.body.entries.map((e) => e.requestId)).toEqual(['req-c', 'req-b']);
    expect(first.body.entries[0]).toEqual({
      id: expect.any(String),
      at: expect.any(String),
      userId: tenant.editor.userId,
      userEmail: 'editor@example.test',
      connectionId,
      schema: 'public',
      table: 'customers',
      action: 'delete',
      primaryKeys: [{ id: '7' }],
      columns: ['name'],
      requestId: 'req-c',
    });
    const second = await h.call<{ entries: TAuditEntry[]; nextCursor: string | null }>(
      tenant.admin,
      'GET',
      `/connections/${connectionId}/audit?limit=2&after=${first.body.nextCursor}`,
    );
    expect(second.body.entries.map((e) => e.requestId)).toEqual(['req-a']);
    expect(second.body.nextCursor).toBeNull();

    expectError(
      await h.call(tenant.admin, 'GET', `/connections/${connectionId}/audit?after=bogus`),
      400,
      'bad_request',
    );
    expectError(
      await h.call(tenant.admin, 'GET', `/connections/${connectionId}/audit?limit=0`),
      400,
      'validation_failed',
    );
    expectError(await h.call(tenant.admin, 'GET', `/connections/${randomUUID()}/audit`), 404, 'not_found');
  });
});

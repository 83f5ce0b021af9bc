import { randomUUID } from 'node:crypto';
import net from 'node:net';
import type { TConnection, TTestConnectionResponse } from '@elasticdash/contracts/data/connection';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_DATABASE_URL } from '../../../tests/support/database.js';
import { freePort } from '../../../tests/support/ports.js';
import {
  type CustomerDatabase,
  createCustomerDatabase,
  customerConnectionCount,
  eventually,
  expectError,
  type Harness,
  masterKey,
  newTenant,
  startHarness,
} from './connections-harness.js';

/**
 * svc-connections: connections CRUD, "test connection" failure classes, tenant isolation,
 * roles, pools, and the password never leaving the secret store.
 */

let h: Harness;
let shop: CustomerDatabase;
let other: CustomerDatabase;
let blackhole: net.Server;
let blackholePort: number;
const held: net.Socket[] = [];
const tenant = newTenant();
const foreign = newTenant();
/** Every password handed to the service in this file. */
const passwords: string[] = [];

const SHOP_DDL = `
  create table customers (id serial primary key, name text not null, email text);
  create table orders (id bigserial primary key, customer_id int references customers (id), total numeric(12, 2));
  insert into customers (name, email) values ('Ann', 'ann@example.test'), ('Bob', null);
`;
const OTHER_DDL = `create table invoices (id uuid primary key default gen_random_uuid(), amount numeric not null);`;

type ConnectionAnswer = { connection: TConnection };

function createBody(db: CustomerDatabase, name: string, password = db.password) {
  passwords.push(password);
  return { name, settings: db.settings, password };
}

async function createConnection(db: CustomerDatabase, name: string): Promise<TConnection> {
  const answer = await h.call<ConnectionAnswer>(tenant.admin, 'POST', '/connections', createBody(db, name));
  expect(answer.status, answer.text).toBe(201);
  return answer.body.connection;
}

async function testSettings(
  settings: Record<string, unknown>,
  password = 'irrelevant-pw-1',
): Promise<TTestConnectionResponse> {
  passwords.push(password);
  const answer = await h.call<TTestConnectionResponse>(tenant.admin, 'POST', '/connections/test', {
    settings,
    password,
  });
  expect(answer.status, answer.text).toBe(200);
  return answer.body;
}

async function secretCount(): Promise<number> {
  const { rows } = await h.sql.query<{ count: string }>('select count(*) from connections.secrets');
  return Number(rows[0]?.count);
}

beforeAll(async () => {
  [h, shop, other] = await Promise.all([
    startHarness('svc_connections'),
    createCustomerDatabase('shop', SHOP_DDL),
    createCustomerDatabase('other', OTHER_DDL),
  ]);
  // Accepts TCP connections and never answers: a server behind a black-holing firewall.
  blackhole = net.createServer((socket) => {
    held.push(socket);
    socket.on('error', () => undefined);
  });
  blackholePort = await freePort();
  await new Promise<void>((resolve) => blackhole.listen(blackholePort, '127.0.0.1', resolve));
});

afterAll(async () => {
  if (process.env.SHOW_SERVICE_LOGS) console.log(h?.service.logs());
  for (const socket of held) socket.destroy();
  blackhole?.close();
  const code = await h?.stop();
  await h?.sql.end();
  await Promise.all([h?.database.drop(), shop?.drop(), other?.drop()]);
  expect(code).toBe(0);
});

describe('create, read, list', () => {
  it('tests, saves and returns a connection without any secret', async () => {
    const answer = await h.call<ConnectionAnswer>(tenant.admin, 'POST', '/connections', {
      ...createBody(shop, '  Shop DB  '),
      readOnly: true,
    });
    expect(answer.status, answer.text).toBe(201);
    const connection = answer.body.connection;
    expect(connection).toEqual({
      id: expect.any(String),
      name: 'Shop DB',
      host: '127.0.0.1',
      port: 5432,
      database: shop.database,
      user: shop.role,
      sslMode: 'disable',
      hasCaCert: false,
      readOnly: true,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      introspectedAt: null,
    });
    expect(answer.text).not.toMatch(/secret|password|local:/i);

    const one = await h.call<ConnectionAnswer>(tenant.viewer, 'GET', `/connections/${connection.id}`);
    expect(one.status).toBe(200);
    expect(one.body.connection).toEqual(connection);
    const list = await h.call<{ connections: TConnection[] }>(tenant.viewer, 'GET', '/connections');
    expect(list.body.connections.map((c) => c.id)).toContain(connection.id);

    const { rows } = await h.sql.query('select secret_ref, created_by from connections.connections where id = $1', [
      connection.id,
    ]);
    expect(rows[0]).toEqual({ secret_ref: expect.stringMatching(/^local:/), created_by: tenant.admin.userId });
  });

  it('refuses a second connection with the same name (any case) with 409', async () => {
    await createConnection(shop, 'Unique name');
    expectError(
      await h.call(tenant.admin, 'POST', '/connections', createBody(shop, 'UNIQUE NAME')),
      409,
      'conflict',
      /already exists/,
    );
    // Another tenant may use the name.
    const theirs = await h.call(foreign.admin, 'POST', '/connections', createBody(shop, 'Unique name'));
    expect(theirs.status).toBe(201);
  });

  it('does not save a connection that does not connect: 400 with the reason, no secret kept', async () => {
    const before = await secretCount();
    const error = expectError(
      await h.call(tenant.admin, 'POST', '/connections', {
        name: 'Broken',
        settings: { ...shop.settings, database: 'no_such_db_here' },
        password: 'pw-broken-1',
      }),
      400,
      'bad_request',
      /^Database "no_such_db_here" does not exist on 127\.0\.0\.1:5432/,
    );
    passwords.push('pw-broken-1');
    expect(error.details).toEqual({ failure: 'unknown_database' });
    expect(await secretCount()).toBe(before);
  });

  it('validates bodies and ids with field paths', async () => {
    const invalid = expectError(
      await h.call(tenant.admin, 'POST', '/connections', {
        name: '',
        settings: { host: 'db host', port: 70000, database: 'x', user: 'u', sslMode: 'verify-full' },
        password: '',
      }),
      400,
      'validation_failed',
    );
    const paths = (invalid.details as { issues: { path: string }[] }).issues.map((issue) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'settings.host', 'settings.port', 'password']));
    expectError(await h.call(tenant.viewer, 'GET', '/connections/not-a-uuid'), 400, 'validation_failed');
    expectError(await h.call(tenant.viewer, 'GET', `/connections/${randomUUID()}`), 404, 'not_found');
  });
});

describe('test connection', () => {
  it('answers ok with the server version', async () => {
    const result = await testSettings(shop.settings, shop.password);
    expect(result).toEqual({ ok: true, serverVersion: expect.stringMatching(/^\d+/), latencyMs: expect.any(Number) });
  });

  it('classifies DNS failures', async () => {
    expect(await testSettings({ ...shop.settings, host: 'nonexistent.invalid' })).toEqual({
      ok: false,
      failure: 'dns',
      message: expect.stringMatching(/^Host nonexistent\.invalid could not be found \(DNS\)/),
    });
  });

  it('classifies a closed port as refused', async () => {
    const port = await freePort();
    expect(await testSettings({ ...shop.settings, port })).toEqual({
      ok: false,
      failure: 'refused',
      message: expect.stringMatching(new RegExp(`^Nothing is listening on 127\\.0\\.0\\.1:${port}`)),
    });
  });

  it('classifies an unknown database', async () => {
    expect(await testSettings({ ...shop.settings, database: 'nope_db' })).toMatchObject({
      ok: false,
      failure: 'unknown_database',
    });
  });

  it('classifies SSL against a server without SSL as tls', async () => {
    const required = await testSettings({ ...shop.settings, sslMode: 'require' });
    expect(required).toMatchObject({
      ok: false,
      failure: 'tls',
      message: expect.stringMatching(/does not support SSL/),
    });
    const verify = await testSettings({
      ...shop.settings,
      sslMode: 'verify-full',
      caCert: '-----BEGIN CERTIFICATE-----\nMIIBbogus\n-----END CERTIFICATE-----\n',
    });
    expect(verify).toMatchObject({ ok: false, failure: 'tls' });
  });

  it('gives up after 5 s on a server that never answers', async () => {
    const started = Date.now();
    const result = await testSettings({ ...shop.settings, port: blackholePort });
    const elapsed = Date.now() - started;
    expect(result).toMatchObject({ ok: false, failure: 'timeout', message: expect.stringMatching(/within 5 s/) });
    expect(elapsed).toBeGreaterThanOrEqual(4_500);
    expect(elapsed).toBeLessThan(6_000);
  });

  it("refuses ElasticDash's own database", async () => {
    const ours = new URL(h.database.url);
    const result = await testSettings({ ...shop.settings, host: 'localhost', database: ours.pathname.slice(1) });
    expect(result).toMatchObject({ ok: false, failure: 'other', message: expect.stringMatching(/own database/) });
  });

  it('tests a saved connection with its stored password', async () => {
    const connection = await createConnection(shop, 'Saved test');
    const answer = await h.call<TTestConnectionResponse>(tenant.admin, 'POST', `/connections/${connection.id}/test`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ ok: true });
  });
});

describe('access', () => {
  let connectionId: string;
  beforeAll(async () => {
    connectionId = (await createConnection(shop, 'Access checks')).id;
  });

  it('answers 401 without a token', async () => {
    expectError(await h.call(null, 'GET', '/connections'), 401, 'unauthenticated');
  });

  it('lets viewers read and refuses them (and editors) every admin route with 403', async () => {
    const adminRoutes: [string, string, unknown?][] = [
      ['POST', '/connections', createBody(shop, 'Nope')],
      ['POST', '/connections/test', { settings: shop.settings, password: 'x-pw-123' }],
      ['PATCH', `/connections/${connectionId}`, { name: 'Renamed' }],
      ['DELETE', `/connections/${connectionId}`],
      ['POST', `/connections/${connectionId}/test`],
      ['GET', `/connections/${connectionId}/rules`],
      ['PUT', `/connections/${connectionId}/rules`, { rules: [] }],
      ['GET', `/connections/${connectionId}/audit`],
    ];
    for (const who of [tenant.viewer, tenant.editor]) {
      for (const [method, path, body] of adminRoutes) {
        expectError(await h.call(who, method, path, body), 403, 'forbidden', /admin role/);
      }
    }
    expectError(
      await h.call(tenant.viewer, 'POST', `/connections/${connectionId}/catalog/refresh`),
      403,
      'forbidden',
      /editor role/,
    );
    expect((await h.call(tenant.viewer, 'GET', `/connections/${connectionId}`)).status).toBe(200);
    expect((await h.call(tenant.viewer, 'GET', `/connections/${connectionId}/catalog`)).status).toBe(200);
    expect((await h.call(tenant.editor, 'POST', `/connections/${connectionId}/catalog/refresh`)).status).toBe(200);
    expect((await h.call(tenant.owner, 'GET', `/connections/${connectionId}/rules`)).status).toBe(200);
  });

  it("answers 404 to another tenant's admin on every connection route, and does not list it", async () => {
    const routes: [string, string, unknown?][] = [
      ['GET', `/connections/${connectionId}`],
      ['PATCH', `/connections/${connectionId}`, { name: 'Stolen' }],
      ['PATCH', `/connections/${connectionId}`, { password: 'stolen-pw-1' }],
      ['POST', `/connections/${connectionId}/test`],
      ['GET', `/connections/${connectionId}/catalog`],
      ['POST', `/connections/${connectionId}/catalog/refresh`],
      ['GET', `/connections/${connectionId}/rules`],
      ['PUT', `/connections/${connectionId}/rules`, { rules: [] }],
      ['GET', `/connections/${connectionId}/audit`],
      ['DELETE', `/connections/${connectionId}`],
    ];
    passwords.push('stolen-pw-1');
    for (const [method, path, body] of routes) {
      expectError(await h.call(foreign.owner, method, path, body), 404, 'not_found', /Connection not found/);
    }
    const list = await h.call<{ connections: TConnection[] }>(foreign.owner, 'GET', '/connections');
    expect(list.body.connections.map((c) => c.id)).not.toContain(connectionId);
    // Untouched.
    const mine = await h.call<ConnectionAnswer>(tenant.admin, 'GET', `/connections/${connectionId}`);
    expect(mine.body.connection.name).toBe('Access checks');
    expect((await h.call(tenant.admin, 'POST', `/connections/${connectionId}/test`)).body).toMatchObject({ ok: true });
  });
});

describe('edit and delete', () => {
  it('renames without a test, refuses settings that do not connect, and keeps the old ones', async () => {
    const connection = await createConnection(shop, 'To edit');
    const renamed = await h.call<ConnectionAnswer>(tenant.admin, 'PATCH', `/connections/${connection.id}`, {
      name: 'Edited',
      readOnly: true,
    });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.body.connection).toMatchObject({ name: 'Edited', readOnly: true, database: shop.database });
    expect(Date.parse(renamed.body.connection.updatedAt)).toBeGreaterThan(Date.parse(connection.updatedAt));

    const refused = expectError(
      await h.call(tenant.admin, 'PATCH', `/connections/${connection.id}`, {
        settings: { ...shop.settings, database: 'missing_db' },
      }),
      400,
      'bad_request',
    );
    expect(refused.details).toEqual({ failure: 'unknown_database' });
    const after = await h.call<ConnectionAnswer>(tenant.admin, 'GET', `/connections/${connection.id}`);
    expect(after.body.connection.database).toBe(shop.database);
  });

  it('rebuilds the pool on another database after an edit, and closes it on delete', async () => {
    const connection = await createConnection(shop, 'Pool life');
    const catalog = await h.call<{ tables: { name: string }[] }>(
      tenant.viewer,
      'GET',
      `/connections/${connection.id}/catalog`,
    );
    expect(catalog.status, catalog.text).toBe(200);
    expect(catalog.body.tables.map((t) => t.name)).toEqual(['customers', 'orders']);
    expect(await customerConnectionCount(shop.database)).toBeGreaterThan(0);

    const moved = await h.call<ConnectionAnswer>(tenant.admin, 'PATCH', `/connections/${connection.id}`, {
      settings: other.settings,
      password: other.password,
    });
    passwords.push(other.password);
    expect(moved.status, moved.text).toBe(200);
    expect(moved.body.connection).toMatchObject({ database: other.database, introspectedAt: null });
    const { rows: rotated } = await h.sql.query(
      `select s.rotated_at from connections.secrets s join connections.connections c on c.secret_ref = 'local:' || s.id
       where c.id = $1`,
      [connection.id],
    );
    expect(rotated[0]?.rotated_at).toBeInstanceOf(Date);

    const otherCatalog = await h.call<{ tables: { name: string }[] }>(
      tenant.viewer,
      'GET',
      `/connections/${connection.id}/catalog`,
    );
    expect(otherCatalog.body.tables.map((t) => t.name)).toEqual(['invoices']);
    expect(await customerConnectionCount(other.database)).toBeGreaterThan(0);

    // Audit entries outlive the connection.
    await h.sql.query(
      `insert into connections.audit_log (tenant_id, connection_id, user_id, user_email, schema, "table", action,
         primary_keys, columns, request_id)
       values ($1, $2, $3, 'a@example.test', 'public', 'invoices', 'update', '[{"id":"1"}]', '{amount}', 'req-1')`,
      [tenant.id, connection.id, tenant.admin.userId],
    );
    const secretsBefore = await secretCount();
    expect((await h.call(tenant.admin, 'DELETE', `/connections/${connection.id}`)).status).toBe(204);
    await eventually(() => customerConnectionCount(other.database), 0);
    expect(await secretCount()).toBe(secretsBefore - 1);
    expectError(await h.call(tenant.admin, 'GET', `/connections/${connection.id}`), 404, 'not_found');
    expectError(await h.call(tenant.admin, 'GET', `/connections/${connection.id}/catalog`), 404, 'not_found');
    const leftovers = await h.sql.query(
      `select (select count(*) from connections.catalogs where connection_id = $1)::int as catalogs,
              (select count(*) from connections.table_rules where connection_id = $1)::int as rules,
              (select count(*) from connections.audit_log where connection_id = $1)::int as audit`,
      [connection.id],
    );
    expect(leftovers.rows[0]).toEqual({ catalogs: 0, rules: 0, audit: 1 });
  });

  it('answers 503 naming the problem when the customer database went away', async () => {
    const doomed = await createCustomerDatabase('doomed', 'create table t (id int primary key)');
    passwords.push(doomed.password);
    const connection = await createConnection(doomed, 'Doomed');
    await doomed.sql.end();
    const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
    await admin.connect();
    await admin.query(`drop database "${doomed.database}" with (force)`);
    await admin.end();
    const error = expectError(
      await h.call(tenant.viewer, 'GET', `/connections/${connection.id}/catalog`),
      503,
      'service_unavailable',
      new RegExp(`^The database of connection "Doomed" cannot be used: Database "${doomed.database}" does not exist`),
    );
    expect(error.details).toEqual({ failure: 'unknown_database' });
    expect((await h.call(tenant.admin, 'DELETE', `/connections/${connection.id}`)).status).toBe(204);
    await doomed.drop();
  });

  it('closes the old pool when the database changes even while it was in use', async () => {
    const connection = await createConnection(shop, 'Pool switch');
    await h.call(tenant.viewer, 'GET', `/connections/${connection.id}/catalog`);
    const before = await customerConnectionCount(shop.database);
    expect(before).toBeGreaterThan(0);
    const moved = await h.call(tenant.admin, 'PATCH', `/connections/${connection.id}`, { settings: other.settings });
    expect(moved.status, moved.text).toBe(200);
    // Other connections of this test file may still use the shop database; this one's pool is gone.
    await eventually(async () => (await customerConnectionCount(shop.database)) < before, true);
  });
});

describe('several instances', () => {
  it('drop pools, catalogs and rules of a connection changed on another instance at once', async () => {
    const [first, second] = await Promise.all([
      createCustomerDatabase('peer_a', 'create table apples (id int primary key, name text)'),
      createCustomerDatabase('peer_b', 'create table pears (id int primary key, name text)'),
    ]);
    const peer = await h.startPeer();
    try {
      const connection = await createConnection(first, 'Shared');
      const catalogPath = `/connections/${connection.id}/catalog`;
      const tablesOn = async (instance: typeof peer) =>
        (await h.callOn<{ tables: { name: string }[] }>(instance, tenant.editor, 'GET', catalogPath)).body.tables.map(
          (t) => t.name,
        );
      expect(await tablesOn(peer)).toEqual(['apples']);
      // The first instance reads the peer's stored catalog; a refresh opens its own pool too.
      expect(await tablesOn(h.service)).toEqual(['apples']);
      expect((await h.call(tenant.editor, 'POST', `${catalogPath}/refresh`)).status).toBe(200);
      expect(await customerConnectionCount(first.database)).toBeGreaterThanOrEqual(2);

      // Edited on the first instance: the peer closes its pool and follows at once.
      passwords.push(second.password);
      const moved = await h.call(tenant.admin, 'PATCH', `/connections/${connection.id}`, {
        settings: second.settings,
        password: second.password,
      });
      expect(moved.status, moved.text).toBe(200);
      await eventually(() => customerConnectionCount(first.database), 0);
      expect(await tablesOn(peer)).toEqual(['pears']);

      // Rules replaced on the first instance apply on the peer.
      const put = await h.call(tenant.admin, 'PUT', `/connections/${connection.id}/rules`, {
        rules: [{ schema: 'public', table: 'pears', hidden: true }],
      });
      expect(put.status, put.text).toBe(200);
      expect(await tablesOn(peer)).toEqual([]);

      // Deleted on the first instance: gone on the peer, its pool closed.
      expect((await h.call(tenant.admin, 'DELETE', `/connections/${connection.id}`)).status).toBe(204);
      expectError(await h.callOn(peer, tenant.editor, 'GET', catalogPath), 404, 'not_found');
      await eventually(() => customerConnectionCount(second.database), 0);
    } finally {
      expect(await peer.stop()).toBe(0);
      await Promise.all([first.drop(), second.drop()]);
    }
  });
});

describe('master key rotation', () => {
  it('keeps old secrets readable under SECRETS_PREVIOUS_KEYS, re-wraps them at boot, then needs only the new key', async () => {
    const connection = await createConnection(shop, 'Rotation');
    const oldKey = h.env.SECRETS_MASTER_KEY ?? '';
    const keyIds = async () =>
      (await h.sql.query<{ id: string }>('select distinct master_key_id as id from connections.secrets')).rows.map(
        (row) => row.id,
      );
    expect(await keyIds()).toEqual(['test-1']);

    await h.restart({
      SECRETS_MASTER_KEY: masterKey(),
      SECRETS_MASTER_KEY_ID: 'test-2',
      SECRETS_PREVIOUS_KEYS: JSON.stringify({ 'test-1': oldKey }),
    });
    expect(await keyIds()).toEqual(['test-2']);
    expect((await h.call(tenant.admin, 'POST', `/connections/${connection.id}/test`)).body).toMatchObject({ ok: true });

    await h.restart({ SECRETS_PREVIOUS_KEYS: undefined });
    expect((await h.call(tenant.admin, 'POST', `/connections/${connection.id}/test`)).body).toMatchObject({ ok: true });
    expect(h.service.logs()).toMatch(/re-wrapped \d+ secret\(s\) with the current master key/);
  });

  it('answers 409 when a stored password cannot be decrypted (wrong master key)', async () => {
    const connection = await createConnection(shop, 'Lost key');
    await h.restart({ SECRETS_MASTER_KEY: masterKey() });
    expectError(
      await h.call(tenant.admin, 'POST', `/connections/${connection.id}/test`),
      409,
      'secret_unavailable',
      /enter its password again/,
    );
    const catalog = expectError(
      await h.call(tenant.viewer, 'GET', `/connections/${connection.id}/catalog`),
      409,
      'secret_unavailable',
    );
    expect(catalog.message).not.toMatch(/key|decrypt/i);
    // Entering the password again stores it under the current key.
    const fixed = await h.call(tenant.admin, 'PATCH', `/connections/${connection.id}`, { password: shop.password });
    expect(fixed.status, fixed.text).toBe(200);
    expect((await h.call(tenant.viewer, 'GET', `/connections/${connection.id}/catalog`)).status).toBe(200);
  });
});

describe('the password never leaves the secret store', () => {
  it('is in no row of our schema, no API response and no log line', async () => {
    expect(passwords.length).toBeGreaterThan(5);
    const { rows: columns } = await h.sql.query<{ table_name: string; column_name: string }>(
      `select table_name, column_name from information_schema.columns
       where table_schema = 'connections' and data_type in ('text', 'character varying', 'jsonb', 'json', 'bytea', 'ARRAY')`,
    );
    expect(columns.length).toBeGreaterThan(10);
    let dump = '';
    for (const { table_name, column_name } of columns) {
      const { rows } = await h.sql.query<{ value: string | null }>(
        `select "${column_name}"::text as value from connections."${table_name}"`,
      );
      dump += rows.map((row) => row.value ?? '').join('\n');
    }
    expect(dump.length).toBeGreaterThan(1000);
    const logs = h.service.logs();
    const responses = h.responses.join('\n');
    for (const password of passwords) {
      const encodings = [
        password,
        Buffer.from(password).toString('hex'),
        Buffer.from(password).toString('base64'),
        Buffer.from(password).toString('base64url'),
      ];
      for (const encoded of encodings) {
        expect(dump.includes(encoded), `database holds ${encoded}`).toBe(false);
        expect(responses.includes(encoded), `a response holds ${encoded}`).toBe(false);
        expect(logs.includes(encoded), `the logs hold ${encoded}`).toBe(false);
      }
    }
    expect(logs).toContain('request completed');
  });
});

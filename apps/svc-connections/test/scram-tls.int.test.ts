import { randomBytes } from 'node:crypto';
import type { TCatalogResponse } from '@elasticdash/contracts/data/catalog';
import type { TConnection, TTestConnectionResponse } from '@elasticdash/contracts/data/connection';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, expectError, type Harness, newTenant, startHarness } from './connections-harness.js';
import { startTempPostgres, type TempPostgres } from './temp-postgres.js';

/**
 * Against a temporary PostgreSQL that requires SCRAM passwords and serves TLS (the shared test
 * server trusts loopback and has no SSL): wrong passwords, the stored password reaching the
 * pool, password rotation, and sslmode require / verify-full with right and wrong CAs and host.
 */

const started = await startTempPostgres();
const unavailable = typeof started === 'string' ? started : undefined;
if (unavailable) console.warn(`[svc-connections scram-tls] skipped: ${unavailable}`);
const temp = typeof started === 'string' ? undefined : started;

const password = () => `Pw-${randomBytes(12).toString('base64url')}`;
const ownerPassword = password();
const rotatedPassword = password();
const sslOnlyPassword = password();
const passwords = [ownerPassword, rotatedPassword, sslOnlyPassword];

let h: Harness;
const tenant = newTenant();

function settings(server: TempPostgres, extra: Record<string, unknown> = {}) {
  return {
    host: '127.0.0.1',
    port: server.port,
    database: 'shop',
    user: 'shop_owner',
    sslMode: 'disable',
    caCert: null,
    ...extra,
  };
}

async function testSettings(body: Record<string, unknown>, pw: string): Promise<TTestConnectionResponse> {
  const answer = await h.call<TTestConnectionResponse>(tenant.admin, 'POST', '/connections/test', {
    settings: body,
    password: pw,
  });
  expect(answer.status, answer.text).toBe(200);
  return answer.body;
}

describe.skipIf(!temp)('against a server with SCRAM passwords and TLS', () => {
  const server = temp as TempPostgres;

  beforeAll(async () => {
    await server.admin(`create role shop_owner login password '${ownerPassword}'`);
    await server.admin(`create role ssl_only login password '${sslOnlyPassword}'`);
    await server.admin('create database shop owner shop_owner');
    await server.admin(
      `create table products (id serial primary key, name text not null);
       grant select on products to ssl_only;
       alter table products owner to shop_owner`,
      'shop',
    );
    h = await startHarness('svc_connections_scram');
  });

  afterAll(async () => {
    if (process.env.SHOW_SERVICE_LOGS) console.log(h?.service.logs());
    const code = await h?.stop();
    await h?.sql.end();
    await h?.database.drop();
    await server.stop();
    expect(code).toBe(0);
  });

  it('classifies a wrong password as auth_failed, without echoing it', async () => {
    const wrong = password();
    passwords.push(wrong);
    expect(await testSettings(settings(server), wrong)).toEqual({
      ok: false,
      failure: 'auth_failed',
      message: 'Password authentication failed for user shop_owner',
    });
    const refused = expectError(
      await h.call(tenant.admin, 'POST', '/connections', {
        name: 'Wrong',
        settings: settings(server),
        password: wrong,
      }),
      400,
      'bad_request',
      /Password authentication failed/,
    );
    expect(refused.details).toEqual({ failure: 'auth_failed' });
  });

  it('saves with the right password; the pool authenticates with the stored one; rotation goes through', async () => {
    const created = await h.call<{ connection: TConnection }>(tenant.admin, 'POST', '/connections', {
      name: 'Scram shop',
      settings: settings(server),
      password: ownerPassword,
    });
    expect(created.status, created.text).toBe(201);
    const id = created.body.connection.id;
    const catalog = await h.call<TCatalogResponse>(tenant.viewer, 'GET', `/connections/${id}/catalog`);
    expect(catalog.status, catalog.text).toBe(200);
    expect(catalog.body.tables.map((t) => t.name)).toEqual(['products']);

    // The DBA changes the password: the saved connection no longer passes its test...
    await server.admin(`alter role shop_owner password '${rotatedPassword}'`);
    const stale = await h.call<TTestConnectionResponse>(tenant.admin, 'POST', `/connections/${id}/test`);
    expect(stale.body).toMatchObject({ ok: false, failure: 'auth_failed' });
    // ...a wrong new password is refused and nothing changes...
    expectError(
      await h.call(tenant.admin, 'PATCH', `/connections/${id}`, { password: ownerPassword }),
      400,
      'bad_request',
      /Password authentication failed/,
    );
    // ...and the right one is stored, the pool rebuilt with it.
    const patched = await h.call(tenant.admin, 'PATCH', `/connections/${id}`, { password: rotatedPassword });
    expect(patched.status, patched.text).toBe(200);
    // The old pool (authenticated with the old password) is gone; the next one logs in with the new password.
    const sessions = async () =>
      Number(
        (
          (await server.admin(
            `select count(*) as count from pg_stat_activity where application_name = 'elasticdash' and datname = 'shop'`,
          )) as { count: string }[]
        )[0]?.count,
      );
    await eventually(sessions, 0);
    const refreshed = await h.call<TCatalogResponse>(tenant.editor, 'POST', `/connections/${id}/catalog/refresh`);
    expect(refreshed.status, refreshed.text).toBe(200);
    expect((await h.call(tenant.admin, 'POST', `/connections/${id}/test`)).body).toMatchObject({ ok: true });
  });

  it('sslmode require encrypts without checking the certificate', async () => {
    expect(await testSettings(settings(server, { sslMode: 'require' }), rotatedPassword)).toMatchObject({ ok: true });
  });

  it('verify-full checks the CA and the host name', async () => {
    const verified = settings(server, { host: 'localhost', sslMode: 'verify-full', caCert: server.caCert });
    expect(await testSettings(verified, rotatedPassword)).toMatchObject({ ok: true });
    expect(await testSettings({ ...verified, caCert: server.otherCaCert }, rotatedPassword)).toMatchObject({
      ok: false,
      failure: 'tls',
      message: expect.stringMatching(/could not be verified/),
    });
    expect(await testSettings({ ...verified, host: '127.0.0.1' }, rotatedPassword)).toMatchObject({
      ok: false,
      failure: 'tls',
      message: expect.stringMatching(/not valid for host 127\.0\.0\.1 \(hostname mismatch\)/),
    });
  });

  it('a verify-full connection reads the catalog over TLS', async () => {
    const created = await h.call<{ connection: TConnection }>(tenant.admin, 'POST', '/connections', {
      name: 'TLS shop',
      settings: settings(server, { host: 'localhost', sslMode: 'verify-full', caCert: server.caCert }),
      password: rotatedPassword,
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body.connection).toMatchObject({ sslMode: 'verify-full', hasCaCert: true });
    const catalog = await h.call(tenant.viewer, 'GET', `/connections/${created.body.connection.id}/catalog`);
    expect(catalog.status, catalog.text).toBe(200);
    const rows = (await server.admin(
      `select s.ssl from pg_stat_ssl s join pg_stat_activity a using (pid)
       where a.application_name = 'elasticdash' and a.datname = 'shop' and a.usename = 'shop_owner'`,
    )) as { ssl: boolean }[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((row) => row.ssl)).toBe(true);
  });

  it('a user the server only accepts over TLS gets a tls failure without SSL', async () => {
    const sslOnly = settings(server, { user: 'ssl_only' });
    expect(await testSettings(sslOnly, sslOnlyPassword)).toMatchObject({
      ok: false,
      failure: 'tls',
      message: expect.stringMatching(/only accepts encrypted connections/),
    });
    expect(await testSettings({ ...sslOnly, sslMode: 'require' }, sslOnlyPassword)).toMatchObject({ ok: true });
  });

  it('never wrote any of the passwords to our tables, responses or logs', async () => {
    const { rows } = await h.sql.query<{ dump: string }>(
      `select coalesce(string_agg(t::text, E'\\n'), '') as dump from (
         select row_to_json(c)::text as t from connections.connections c
         union all select row_to_json(s)::text from connections.secrets s
         union all select row_to_json(k)::text from connections.catalogs k) x`,
    );
    const dump = rows[0]?.dump ?? '';
    expect(dump).toContain('shop_owner');
    const everything = `${dump}\n${h.responses.join('\n')}\n${h.service.logs()}`;
    for (const pw of passwords) {
      for (const encoded of [pw, Buffer.from(pw).toString('hex'), Buffer.from(pw).toString('base64')]) {
        expect(everything.includes(encoded), `found ${encoded}`).toBe(false);
      }
    }
  });
});

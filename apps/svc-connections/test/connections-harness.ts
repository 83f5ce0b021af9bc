import { randomBytes, randomUUID } from 'node:crypto';
import type { TInternalContext } from '@elasticdash/contracts/platform/internal-context';
import type { TRole } from '@elasticdash/contracts/platform/roles';
import pg from 'pg';
import { expect } from 'vitest';
import { ADMIN_DATABASE_URL, createTestDatabase } from '../../../tests/support/database.js';
import { devEnv, signInternalToken } from '../../../tests/support/internal-token.js';
import { freePort } from '../../../tests/support/ports.js';
import { type RunningService, startService } from '../../../tests/support/service-process.js';

/**
 * Shared by the svc-connections integration tests: the built service started as a process on
 * its own database, driven over HTTP with internal tokens signed as the gateway signs them,
 * and "customer" databases created on the local PostgreSQL.
 */

export interface Member {
  userId: string;
  email: string;
  tenantId: string;
  role: TRole;
}

export function member(tenantId: string, role: TRole): Member {
  const userId = randomUUID();
  return { userId, email: `${role}-${userId.slice(0, 8)}@example.test`, tenantId, role };
}

/** One tenant with a member of each role. */
export function newTenant(): Record<TRole, Member> & { id: string } {
  const id = randomUUID();
  return {
    id,
    owner: member(id, 'owner'),
    admin: member(id, 'admin'),
    editor: member(id, 'editor'),
    viewer: member(id, 'viewer'),
  };
}

export interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
  text: string;
}

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown; requestId: string };
}

export interface Harness {
  service: RunningService;
  database: { url: string; drop(): Promise<void> };
  /** Our own database (schema `connections`). */
  sql: pg.Pool;
  /** Every response body the service sent in this test file. */
  responses: string[];
  call<T = Record<string, unknown>>(
    who: Member | null,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<Answer<T>>;
  stop(): Promise<number | null>;
  /** Stops and starts the service again (same database and port), with `env` changes applied. */
  restart(env?: Record<string, string | undefined>): Promise<void>;
  /** The environment the service runs with. */
  env: Record<string, string>;
  /** A second instance on the same database (multi-instance behaviour); stopped by the caller. */
  startPeer(): Promise<RunningService>;
  /** `call`, against another instance. */
  callOn<T = Record<string, unknown>>(
    instance: RunningService,
    who: Member | null,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<Answer<T>>;
}

export function masterKey(): string {
  return randomBytes(32).toString('base64');
}

export async function startHarness(name: string, env: Record<string, string> = {}): Promise<Harness> {
  const database = await createTestDatabase(name);
  const port = await freePort();
  const serviceEnv: Record<string, string> = {
    ...devEnv(),
    DATABASE_URL: database.url,
    LOG_LEVEL: 'info',
    SECRETS_MASTER_KEY: masterKey(),
    SECRETS_MASTER_KEY_ID: 'test-1',
    ...env,
  };
  const start = () =>
    startService({
      app: 'svc-connections',
      env: serviceEnv,
      port,
      portVar: 'SVC_CONNECTIONS_PORT',
      waitForReady: true,
    });
  let service = await start();
  let previousLogs = '';
  const sql = new pg.Pool({ connectionString: database.url, max: 2 });
  const responses: string[] = [];
  const harness: Harness = {
    get service() {
      return service;
    },
    database,
    sql,
    responses,
    env: serviceEnv,
    call<T>(who: Member | null, method: string, path: string, body?: unknown): Promise<Answer<T>> {
      return harness.callOn<T>(service, who, method, path, body);
    },
    async callOn<T>(
      instance: RunningService,
      who: Member | null,
      method: string,
      path: string,
      body?: unknown,
    ): Promise<Answer<T>> {
      const headers: Record<string, string> = {};
      if (who) {
        const ctx: Partial<TInternalContext> = {
          userId: who.userId,
          email: who.email,
          userName: who.role,
          sessionId: randomUUID(),
          tenantId: who.tenantId,
          role: who.role,
        };
        headers['x-internal-context'] = await signInternalToken('svc-connections', ctx);
      }
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(instance.url + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      responses.push(text);
      return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T, text };
    },
    async startPeer() {
      return startService({
        app: 'svc-connections',
        env: serviceEnv,
        port: await freePort(),
        portVar: 'SVC_CONNECTIONS_PORT',
        migrate: false,
        waitForReady: true,
      });
    },
    stop: () => service.stop(),
    async restart(env = {}) {
      previousLogs += service.logs();
      expect(await service.stop()).toBe(0);
      for (const [name, value] of Object.entries(env)) {
        if (value === undefined) delete serviceEnv[name];
        else serviceEnv[name] = value;
      }
      service = await start();
      const current = service;
      const logs = () => previousLogs + current.logs();
      service = { ...current, logs };
    },
  };
  return harness;
}

export function expectError(
  answer: Answer<unknown>,
  status: number,
  code: string,
  message?: RegExp,
): ErrorBody['error'] {
  expect(answer.status, answer.text).toBe(status);
  const { error } = answer.body as ErrorBody;
  expect(error.code).toBe(code);
  expect(error.requestId).toEqual(expect.any(String));
  if (message) expect(error.message).toMatch(message);
  return error;
}

export interface CustomerDatabase {
  database: string;
  /** A login role that owns the database (password set, though loopback TCP may trust it). */
  role: string;
  password: string;
  /** Runs SQL in the customer database as its owner role. */
  sql: pg.Pool;
  settings: { host: string; port: number; database: string; user: string; sslMode: 'disable'; caCert: null };
  drop(): Promise<void>;
}

/** A "customer" database on the local PostgreSQL with its own owner role, optionally set up with `ddl`. */
export async function createCustomerDatabase(label: string, ddl?: string): Promise<CustomerDatabase> {
  const created = await createTestDatabase(`cust_${label}`);
  const url = new URL(created.url);
  const database = decodeURIComponent(url.pathname.slice(1));
  const role = `cust_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomUUID().slice(0, 8)}`;
  const password = `Pw-${randomBytes(12).toString('base64url')}!`;
  const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`create role "${role}" login password '${password}'`);
    await admin.query(`alter database "${database}" owner to "${role}"`);
  } finally {
    await admin.end();
  }
  url.username = role;
  const sql = new pg.Pool({ connectionString: url.toString(), max: 2 });
  sql.on('error', () => undefined);
  if (ddl) await sql.query(ddl);
  return {
    database,
    role,
    password,
    sql,
    settings: {
      host: url.hostname,
      port: Number(url.port || 5432),
      database,
      user: role,
      sslMode: 'disable',
      caCert: null,
    },
    async drop() {
      if (!sql.ended) await sql.end();
      await created.drop();
      const cleanup = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
      await cleanup.connect();
      try {
        await cleanup.query(`drop role if exists "${role}"`);
      } finally {
        await cleanup.end();
      }
    },
  };
}

/** Open connections our service holds to `database` (pg_stat_activity, application_name 'elasticdash'). */
export async function customerConnectionCount(database: string): Promise<number> {
  const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ count: string }>(
      `select count(*) from pg_stat_activity where application_name = 'elasticdash' and datname = $1`,
      [database],
    );
    return Number(rows[0]?.count ?? 0);
  } finally {
    await admin.end();
  }
}

/** Polls `probe` until it returns `expected` (or fails after `timeoutMs`). */
export async function eventually<T>(probe: () => Promise<T>, expected: T, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (last !== expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    last = await probe();
  }
  expect(last).toBe(expected);
}

import { createHash, randomUUID } from 'node:crypto';
import { DEFAULT_PREFERENCES, ZPreferences } from '@elasticdash/contracts/auth/preferences';
import { ZListSessionsResponse, ZResolveSessionResponse } from '@elasticdash/contracts/auth/session';
import { type TSessionIssued, ZMeResponse, ZSessionIssued } from '@elasticdash/contracts/auth/user';
import {
  CacheChannel,
  type TSessionsRevokedEvent,
  ZSessionsRevokedEvent,
} from '@elasticdash/contracts/platform/events';
import { INTERNAL_CONTEXT_HEADER } from '@elasticdash/contracts/platform/internal-context';
import { hash, verify } from '@node-rs/argon2';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../tests/support/database.js';
import { devEnv, signInternalToken } from '../../../tests/support/internal-token.js';
import { freePort } from '../../../tests/support/ports.js';
import { type RunningService, startService } from '../../../tests/support/service-process.js';

const PASSWORD = 'correct horse 42';
const CLIENT = { userAgent: 'vitest', ip: '127.0.0.1' };

let service: RunningService;
let database: { url: string; drop(): Promise<void> };
let sql: pg.Pool;
let subscriber: Redis;
const revokedEvents: TSessionsRevokedEvent[] = [];
/** Every plaintext secret the suite handed to the service; none may appear in the `auth` tables. */
const secrets = new Set<string>();

interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}

async function call(
  method: string,
  path: string,
  options: { token?: string | null; body?: unknown } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.token) headers[INTERNAL_CONTEXT_HEADER] = options.token;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(service.url + path, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as unknown) : null };
}

/** A token as the gateway signs it before any user exists (signup, login, resolve). */
const serviceToken = () => signInternalToken('svc-auth', {});

/** A token as the gateway signs it for a signed-in user on one of their sessions. */
function userToken(issued: TSessionIssued, sessionId: string = issued.session.id): Promise<string> {
  return signInternalToken('svc-auth', {
    userId: issued.user.id,
    email: issued.user.email,
    userName: issued.user.name,
    sessionId,
  });
}

const SAMPLES = 7;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const fastest = (values: number[]) => Math.min(...values);

/** How long one argon2id verification with the service's parameters takes on this machine. */
async function argon2VerifyMs(): Promise<number> {
  const passwordHash = await hash('calibration 123', { memoryCost: 19_456, timeCost: 2, parallelism: 1 });
  const times: number[] = [];
  for (let index = 0; index < SAMPLES; index += 1) {
    const started = performance.now();
    await verify(passwordHash, 'calibration 124');
    times.push(performance.now() - started);
  }
  return median(times);
}

function uniqueEmail(label: string): string {
  return `${label}-${randomUUID().slice(0, 8)}@Example.COM`;
}

async function signup(
  email = uniqueEmail('user'),
  password = PASSWORD,
  name = 'Ada Lovelace',
): Promise<TSessionIssued> {
  secrets.add(password);
  const answer = await call('POST', '/internal/signup', {
    token: await serviceToken(),
    body: { email, name, password, client: CLIENT },
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  const issued = ZSessionIssued.parse(answer.body);
  secrets.add(issued.session.token);
  return issued;
}

async function login(email: string, password: string): Promise<Answer> {
  secrets.add(password);
  const answer = await call('POST', '/internal/login', {
    token: await serviceToken(),
    body: { email, password, client: { userAgent: 'vitest-login', ip: '10.0.0.7' } },
  });
  if (answer.status === 200) secrets.add(ZSessionIssued.parse(answer.body).session.token);
  return answer;
}

async function loginOk(email: string, password = PASSWORD): Promise<TSessionIssued> {
  const answer = await login(email, password);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return ZSessionIssued.parse(answer.body);
}

async function resolve(token: string): Promise<Answer> {
  return call('POST', '/internal/sessions/resolve', { token: await serviceToken(), body: { token } });
}

function errorOf(answer: Answer): { code: string; message: string; details?: unknown; requestId: string } {
  const body = answer.body as { error?: { code: string; message: string; details?: unknown; requestId: string } };
  expect(body.error, `expected an error body, got ${JSON.stringify(answer.body)}`).toBeDefined();
  expect(typeof body.error?.requestId).toBe('string');
  return body.error!;
}

function issuePaths(answer: Answer): string[] {
  const details = errorOf(answer).details as { issues?: { path: string }[] } | undefined;
  return (details?.issues ?? []).map((issue) => issue.path);
}

/** Waits for the `sessionsRevoked` event of one user (other suites may publish on the same channel). */
async function revokedEventFor(userId: string, timeoutMs = 3_000): Promise<TSessionsRevokedEvent> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const index = revokedEvents.findIndex((event) => event.userId === userId);
    if (index >= 0) return revokedEvents.splice(index, 1)[0]!;
    if (Date.now() > deadline) throw new Error(`no ${CacheChannel.sessionsRevoked} event for ${userId}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  database = await createTestDatabase('svc_auth');
  const env: Record<string, string> = {
    ...devEnv(),
    DATABASE_URL: database.url,
    SESSION_TTL_DAYS: '30',
    LOG_LEVEL: 'debug',
    AUTH_HOUSEKEEPING_INTERVAL_MS: '300',
  };
  service = await startService({ app: 'svc-auth', env, port: await freePort(), waitForReady: true });
  sql = new pg.Pool({ connectionString: database.url, max: 2 });
  subscriber = new Redis(env.REDIS_URL ?? 'redis://127.0.0.1:6379/0');
  subscriber.on('message', (channel: string, message: string) => {
    if (channel === CacheChannel.sessionsRevoked) revokedEvents.push(ZSessionsRevokedEvent.parse(JSON.parse(message)));
  });
  await subscriber.subscribe(CacheChannel.sessionsRevoked);
});

afterAll(async () => {
  subscriber?.disconnect();
  await sql?.end();
  const exitCode = await service?.stop();
  await database?.drop();
  expect(exitCode).toBe(0);
});

describe('svc-auth: signup, login, sessions', () => {
  it('signs up, logs in, resolves the session and answers /me', async () => {
    const email = uniqueEmail('flow');
    const issued = await signup(email);
    expect(issued.user.email).toBe(email.toLowerCase());
    expect(issued.user.name).toBe('Ada Lovelace');
    expect(issued.session.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const expiresInDays = (Date.parse(issued.session.expiresAt) - Date.now()) / 86_400_000;
    expect(expiresInDays).toBeGreaterThan(29.9);
    expect(expiresInDays).toBeLessThanOrEqual(30);

    const loggedIn = await loginOk(email.toUpperCase());
    expect(loggedIn.user).toEqual(issued.user);
    expect(loggedIn.session.id).not.toBe(issued.session.id);
    expect(loggedIn.session.token).not.toBe(issued.session.token);

    const resolved = await resolve(loggedIn.session.token);
    expect(resolved.status).toBe(200);
    expect(ZResolveSessionResponse.parse(resolved.body)).toEqual({
      sessionId: loggedIn.session.id,
      user: issued.user,
      expiresAt: loggedIn.session.expiresAt,
    });

    const me = await call('GET', '/me', { token: await userToken(loggedIn) });
    expect(me.status).toBe(200);
    expect(ZMeResponse.parse(me.body)).toEqual({ user: issued.user });

    const renamed = await call('PATCH', '/me', { token: await userToken(loggedIn), body: { name: '  Ada King ' } });
    expect(renamed.status).toBe(200);
    expect(ZMeResponse.parse(renamed.body).user).toEqual({ ...issued.user, name: 'Ada King' });
    const blankName = await call('PATCH', '/me', { token: await userToken(loggedIn), body: { name: '   ' } });
    expect(blankName.status).toBe(400);
    expect(issuePaths(blankName)).toEqual(['name']);
  });

  it('rejects a second account for the same email (any case) with 409 on the email field', async () => {
    const email = uniqueEmail('dup');
    await signup(email);
    const answer = await call('POST', '/internal/signup', {
      token: await serviceToken(),
      body: { email: ` ${email.toUpperCase()} `, name: 'Someone Else', password: 'another pass 99', client: CLIENT },
    });
    expect(answer.status).toBe(409);
    const error = errorOf(answer);
    expect(error.code).toBe('conflict');
    expect(error.message).toBe('An account with this email already exists');
    expect(error.details).toEqual({
      issues: [{ path: 'email', message: 'An account with this email already exists' }],
    });
  });

  it('enforces the password policy at signup and names the field', async () => {
    for (const password of ['short1!', 'onlyletterslong', 'aaaaaaaaaaaa1']) {
      const answer = await call('POST', '/internal/signup', {
        token: await serviceToken(),
        body: { email: uniqueEmail('policy'), name: 'Policy', password, client: CLIENT },
      });
      expect(answer.status).toBe(400);
      expect(errorOf(answer).code).toBe('validation_failed');
      expect(issuePaths(answer)).toEqual(['password']);
    }
    const badEmail = await call('POST', '/internal/signup', {
      token: await serviceToken(),
      body: { email: 'not-an-email', name: 'x', password: PASSWORD, client: CLIENT },
    });
    expect(badEmail.status).toBe(400);
    expect(issuePaths(badEmail)).toEqual(['email']);
  });

  // Timing on a shared machine is noisy: compare the fastest of several interleaved samples
  // (noise only ever adds time) and allow a retry.
  it('answers a wrong password and an unknown email identically, in similar time', { retry: 2 }, async () => {
    const email = uniqueEmail('known');
    await signup(email);
    const wrong = await login(email, 'not the password 1');
    const unknown = await login(uniqueEmail('nobody'), 'not the password 1');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const strip = (answer: Answer) => ({ ...errorOf(answer), requestId: undefined });
    expect(strip(wrong)).toEqual(strip(unknown));
    expect(strip(wrong)).toEqual({
      code: 'unauthenticated',
      message: 'Invalid email or password',
      requestId: undefined,
    });

    // Both paths pay for one argon2 verification (the unknown email against a dummy hash): the
    // fastest answers may not differ by anything near the cost of one verification.
    const argon2Cost = await argon2VerifyMs();
    const timed = async (address: string) => {
      const started = performance.now();
      expect((await login(address, 'not the password 2')).status).toBe(401);
      return performance.now() - started;
    };
    const knownEmails: string[] = [];
    for (let index = 0; index < SAMPLES; index += 1) knownEmails.push((await signup()).user.email);
    const known: number[] = [];
    const unknownTimes: number[] = [];
    for (const address of knownEmails) {
      known.push(await timed(address));
      unknownTimes.push(await timed(uniqueEmail('ghost')));
    }
    expect(Math.abs(fastest(unknownTimes) - fastest(known))).toBeLessThan(argon2Cost / 2);
  });

  it('locks an email for 30 s after 5 consecutive failures, with Retry-After, without checking the password', async () => {
    const email = uniqueEmail('locked');
    await signup(email);
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      expect((await login(email, `wrong password ${attempt}`)).status).toBe(401);
    }
    const locked = await login(email, PASSWORD);
    expect(locked.status).toBe(429);
    expect(errorOf(locked).code).toBe('rate_limited');
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(25);
    expect(retryAfter).toBeLessThanOrEqual(30);

    // The lock doubles on the next failure once it has expired: simulate the 30 s passing.
    await sql.query(`update auth.login_attempts set locked_until = now() - interval '1 second' where email = $1`, [
      email.toLowerCase(),
    ]);
    expect((await login(email, 'wrong password 6')).status).toBe(401);
    const longer = await login(email, PASSWORD);
    expect(longer.status).toBe(429);
    expect(Number(longer.headers.get('retry-after'))).toBeGreaterThan(50);
    expect(Number(longer.headers.get('retry-after'))).toBeLessThanOrEqual(60);
  });

  it('locks unknown emails exactly like known ones', async () => {
    const email = uniqueEmail('ghost-lock');
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      expect((await login(email, 'whatever 123')).status).toBe(401);
    }
    const locked = await login(email, 'whatever 123');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThanOrEqual(25);
  });

  it('resets the failure count after a successful login', async () => {
    const email = uniqueEmail('reset');
    await signup(email);
    for (let attempt = 1; attempt <= 4; attempt += 1) expect((await login(email, 'nope nope 1')).status).toBe(401);
    await loginOk(email);
    for (let attempt = 1; attempt <= 4; attempt += 1) expect((await login(email, 'nope nope 1')).status).toBe(401);
    await loginOk(email);
  });

  it('returns default preferences, then saves and returns them', async () => {
    const issued = await signup();
    const token = await userToken(issued);
    const initial = await call('GET', '/me/preferences', { token });
    expect(initial.status).toBe(200);
    expect(ZPreferences.parse(initial.body)).toEqual(DEFAULT_PREFERENCES);

    const saved = await call('PUT', '/me/preferences', { token, body: { theme: 'dark', scheme: 'emerald' } });
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({ theme: 'dark', scheme: 'emerald' });
    const again = await call('PUT', '/me/preferences', { token, body: { theme: 'light', scheme: 'rose' } });
    expect(again.body).toEqual({ theme: 'light', scheme: 'rose' });
    expect((await call('GET', '/me/preferences', { token })).body).toEqual({ theme: 'light', scheme: 'rose' });

    const invalid = await call('PUT', '/me/preferences', { token, body: { theme: 'neon', scheme: 'rose' } });
    expect(invalid.status).toBe(400);
    expect(issuePaths(invalid)).toEqual(['theme']);

    // Preferences are per user.
    const other = await signup();
    expect((await call('GET', '/me/preferences', { token: await userToken(other) })).body).toEqual(DEFAULT_PREFERENCES);
  });

  it('lists my sessions newest first and revokes another one, publishing the revocation', async () => {
    const email = uniqueEmail('sessions');
    const first = await signup(email);
    const second = await loginOk(email);
    const token = await userToken(first);

    const listed = await call('GET', '/me/sessions', { token });
    expect(listed.status).toBe(200);
    const { sessions } = ZListSessionsResponse.parse(listed.body);
    expect(sessions.map((session) => [session.id, session.current])).toEqual([
      [second.session.id, false],
      [first.session.id, true],
    ]);
    expect(sessions[0]).toMatchObject({ userAgent: 'vitest-login', ip: '10.0.0.7' });
    expect(sessions[1]).toMatchObject({ userAgent: CLIENT.userAgent, ip: CLIENT.ip });

    const revoked = await call('DELETE', `/me/sessions/${second.session.id}`, { token });
    expect(revoked.status).toBe(204);
    expect(await revokedEventFor(first.user.id)).toEqual({ userId: first.user.id, sessionIds: [second.session.id] });
    expect((await resolve(second.session.token)).status).toBe(401);
    expect((await resolve(first.session.token)).status).toBe(200);

    const afterRevoke = ZListSessionsResponse.parse((await call('GET', '/me/sessions', { token })).body);
    expect(afterRevoke.sessions.map((session) => session.id)).toEqual([first.session.id]);

    // Already revoked, unknown, malformed.
    expect((await call('DELETE', `/me/sessions/${second.session.id}`, { token })).status).toBe(404);
    expect((await call('DELETE', `/me/sessions/${randomUUID()}`, { token })).status).toBe(404);
    const malformed = await call('DELETE', '/me/sessions/not-a-uuid', { token });
    expect(malformed.status).toBe(400);
    expect(issuePaths(malformed)).toEqual(['sessionId']);
  });

  it("never revokes another user's session", async () => {
    const victim = await signup();
    const attacker = await signup();
    const answer = await call('DELETE', `/me/sessions/${victim.session.id}`, { token: await userToken(attacker) });
    expect(answer.status).toBe(404);
    expect(errorOf(answer).code).toBe('not_found');
    expect((await resolve(victim.session.token)).status).toBe(200);
    const listed = ZListSessionsResponse.parse(
      (await call('GET', '/me/sessions', { token: await userToken(attacker) })).body,
    );
    expect(listed.sessions.map((session) => session.id)).toEqual([attacker.session.id]);
  });

  it('logs out the current session only', async () => {
    const email = uniqueEmail('logout');
    const first = await signup(email);
    const second = await loginOk(email);
    const answer = await call('POST', '/internal/logout', { token: await userToken(second) });
    expect(answer.status).toBe(204);
    expect(await revokedEventFor(first.user.id)).toEqual({ userId: first.user.id, sessionIds: [second.session.id] });
    expect((await resolve(second.session.token)).status).toBe(401);
    expect((await resolve(first.session.token)).status).toBe(200);
    // Logging out twice is harmless.
    expect((await call('POST', '/internal/logout', { token: await userToken(second) })).status).toBe(204);
  });

  it('changes the password, keeps the current session and revokes the others', async () => {
    const email = uniqueEmail('password');
    const current = await signup(email);
    const other1 = await loginOk(email);
    const other2 = await loginOk(email);
    const token = await userToken(current);
    const newPassword = 'brand new secret 7';
    secrets.add(newPassword);

    const wrong = await call('POST', '/me/password', {
      token,
      body: { currentPassword: 'not my password 1', newPassword },
    });
    expect(wrong.status).toBe(400);
    expect(errorOf(wrong).code).toBe('validation_failed');
    expect(issuePaths(wrong)).toEqual(['currentPassword']);

    const weak = await call('POST', '/me/password', {
      token,
      body: { currentPassword: PASSWORD, newPassword: 'weak' },
    });
    expect(weak.status).toBe(400);
    expect(issuePaths(weak)).toContain('newPassword');

    const changed = await call('POST', '/me/password', { token, body: { currentPassword: PASSWORD, newPassword } });
    expect(changed.status).toBe(204);
    const event = await revokedEventFor(current.user.id);
    expect(event.sessionIds.sort()).toEqual([other1.session.id, other2.session.id].sort());

    expect((await resolve(current.session.token)).status).toBe(200);
    expect((await resolve(other1.session.token)).status).toBe(401);
    expect((await resolve(other2.session.token)).status).toBe(401);
    expect((await login(email, PASSWORD)).status).toBe(401);
    await loginOk(email, newPassword);
  });

  it('refreshes last_seen_at at most once a minute and rejects expired sessions', async () => {
    const issued = await signup();
    const lastSeen = async () =>
      (
        await sql.query<{ last_seen_at: Date }>('select last_seen_at from auth.sessions where id = $1', [
          issued.session.id,
        ])
      ).rows[0]!.last_seen_at.getTime();
    const before = await lastSeen();
    expect((await resolve(issued.session.token)).status).toBe(200);
    expect(await lastSeen()).toBe(before);

    await sql.query(`update auth.sessions set last_seen_at = now() - interval '2 minutes' where id = $1`, [
      issued.session.id,
    ]);
    const stale = await lastSeen();
    expect((await resolve(issued.session.token)).status).toBe(200);
    const refreshed = await lastSeen();
    expect(refreshed).toBeGreaterThan(stale + 60_000);
    expect((await resolve(issued.session.token)).status).toBe(200);
    expect(await lastSeen()).toBe(refreshed);

    await sql.query(`update auth.sessions set expires_at = now() - interval '1 second' where id = $1`, [
      issued.session.id,
    ]);
    const expired = await resolve(issued.session.token);
    expect(expired.status).toBe(401);
    expect(errorOf(expired).code).toBe('unauthenticated');
    expect((await resolve('x'.repeat(43))).status).toBe(401);
  });
});

describe('svc-auth: internal access', () => {
  it('answers 401 without an internal token', async () => {
    for (const [method, path] of [
      ['GET', '/me'],
      ['GET', '/me/sessions'],
      ['GET', '/me/preferences'],
      ['POST', '/internal/login'],
      ['POST', '/internal/signup'],
      ['POST', '/internal/sessions/resolve'],
    ] as const) {
      const answer = await call(method, path, { body: method === 'POST' ? {} : undefined });
      expect(answer.status, `${method} ${path}`).toBe(401);
      expect(errorOf(answer).code).toBe('unauthenticated');
    }
  });

  it('answers 401 to a token minted for another service', async () => {
    const issued = await signup();
    const foreign = await signInternalToken('svc-tenants', {
      userId: issued.user.id,
      email: issued.user.email,
      sessionId: issued.session.id,
    });
    expect((await call('GET', '/me', { token: foreign })).status).toBe(401);
    const login = await call('POST', '/internal/login', {
      token: await signInternalToken('svc-tenants', {}),
      body: { email: issued.user.email, password: PASSWORD, client: CLIENT },
    });
    expect(login.status).toBe(401);
  });

  it('answers 401 on user routes to a service token without a user', async () => {
    expect((await call('GET', '/me', { token: await serviceToken() })).status).toBe(401);
    expect((await call('POST', '/internal/logout', { token: await serviceToken() })).status).toBe(401);
  });
});

describe('svc-auth: housekeeping', () => {
  it('deletes stale login failure counters and long-ended sessions, and keeps what still counts', async () => {
    const hour = 3600 * 1000;
    const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
    await sql.query(
      `insert into auth.login_attempts (email, failures, last_failure_at, locked_until) values
         ('stale@housekeeping.test', 3, $1, null),
         ('locked@housekeeping.test', 9, $1, $2),
         ('recent@housekeeping.test', 2, $3, null)`,
      [ago(2 * hour), new Date(Date.now() + 10 * 60_000).toISOString(), ago(60_000)],
    );
    const user = await signup();
    const ended = await sql.query<{ id: string }>(
      `insert into auth.sessions (user_id, token_hash, expires_at, revoked_at) values
         ($1, $2, $3, null), ($1, $4, now() + interval '1 day', $5), ($1, $6, now() + interval '1 day', null)
       returning id`,
      [user.user.id, 'a'.repeat(64), ago(8 * 24 * hour), 'b'.repeat(64), ago(9 * 24 * hour), 'c'.repeat(64)],
    );
    const [expiredId, revokedId, liveId] = ended.rows.map((row) => row.id);
    // One housekeeping pass deletes counters, then sessions: wait for both.
    const left = async () => ({
      attempts: (
        await sql.query<{ email: string }>(
          `select email from auth.login_attempts where email like '%@housekeeping.test' order by email`,
        )
      ).rows.map((row) => row.email),
      sessions: (
        await sql.query<{ id: string }>('select id from auth.sessions where id = any($1::uuid[])', [
          [expiredId, revokedId, liveId],
        ])
      ).rows.map((row) => row.id),
    });
    await expect
      .poll(left, { timeout: 10_000, interval: 100 })
      .toEqual({ attempts: ['locked@housekeeping.test', 'recent@housekeeping.test'], sessions: [liveId] });
    // The user's own current session is untouched.
    expect((await sql.query('select 1 from auth.sessions where id = $1', [user.session.id])).rowCount).toBe(1);
  });
});

describe('svc-auth: storage', () => {
  it('stores neither plaintext passwords nor plaintext session tokens', async () => {
    expect(secrets.size).toBeGreaterThan(5);
    const dump = await sql.query<{ row: string }>(`
      select row_to_json(u)::text as row from auth.users u
      union all select row_to_json(s)::text from auth.sessions s
      union all select row_to_json(p)::text from auth.preferences p
      union all select row_to_json(l)::text from auth.login_attempts l`);
    expect(dump.rows.length).toBeGreaterThan(10);
    for (const { row } of dump.rows) {
      for (const secret of secrets) expect(row.includes(secret), `a stored row contains a secret`).toBe(false);
    }

    const users = await sql.query<{ password_hash: string }>('select password_hash from auth.users');
    for (const user of users.rows) expect(user.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);

    // Sessions are found by sha256(token) only.
    const issued = await signup();
    const stored = await sql.query<{ token_hash: string }>('select token_hash from auth.sessions where id = $1', [
      issued.session.id,
    ]);
    expect(stored.rows[0]?.token_hash).toBe(createHash('sha256').update(issued.session.token).digest('hex'));
  });

  it('never writes passwords or session tokens to its logs', () => {
    const logs = service.logs();
    expect(logs).toContain('request completed');
    for (const secret of secrets) expect(logs.includes(secret), 'a log line contains a secret').toBe(false);
  });
});

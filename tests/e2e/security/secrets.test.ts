import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject } from 'vitest';
import { createTenant } from '../support/api-client.js';
import { attackSuite } from './support/report.js';
import {
  connectionBody,
  createCustomerDatabase,
  deployPlan,
  dropCustomerDatabase,
  expectStatus,
  planDocument,
  RecordingClient,
  uploadDataset,
  waitForDataset,
} from './support/world.js';

/**
 * Secrets: a full run with known passwords and keys — signup password, a connection password,
 * the session cookie, a deployed database's admin password (revealed once through the audited
 * credentials route), the secrets master key, the gateway's token signing key and the S3 secret
 * — then every log line of the platform, every API answer of this file and every text/json
 * column of every table in our schemas is searched for each, as plaintext and base64: zero hits.
 * Hashes and sealed ciphertext are fine: they do not contain the plaintext.
 */
const gatewayUrl = inject('gatewayUrl');
const origin = inject('webUrl');
const logDir = inject('logDir');
const stackEnv = inject('stackEnv');
const attack = attackSuite('Secrets');

const SCHEMAS = ['auth', 'tenants', 'connections', 'datasets', 'plans', 'deployer'];
const secrets = new Map<string, string>();
let database = '';
let credentialsPath = '';

function variants(value: string): string[] {
  const raw = Buffer.from(value);
  return [value, raw.toString('base64'), raw.toString('base64url'), encodeURIComponent(value)].filter(
    (variant, index, all) => variant.length >= 8 && all.indexOf(variant) === index,
  );
}

function hitsIn(text: string, where: string): string[] {
  const hits: string[] = [];
  for (const [name, value] of secrets) {
    for (const variant of variants(value)) if (text.includes(variant)) hits.push(`${name} in ${where}`);
  }
  return hits;
}

beforeAll(async () => {
  const password = `Signup-${randomBytes(12).toString('hex')}`;
  const client = new RecordingClient(gatewayUrl, origin);
  const email = `secrets-${randomBytes(4).toString('hex')}@example.test`;
  await expectStatus(client.post('/api/auth/signup', { email, name: 'Secrets', password }), 201, 'signup');
  secrets.set('signup password', password);
  secrets.set('session cookie', client.sessionCookie ?? '');
  // Log in again too: the login path carries the password as well.
  await expectStatus(client.post('/api/auth/login', { email, password }), 200, 'login');
  secrets.set('second session cookie', client.sessionCookie ?? '');
  client.tenantId = await createTenant(client, 'Secrets workspace');

  const connectionPassword = `Conn-${randomBytes(12).toString('hex')}`;
  secrets.set('connection password', connectionPassword);
  database = await createCustomerDatabase('ed_sec_secrets', 'secret-row');
  const connection = await expectStatus(
    client.post<{ connection: { id: string } }>(
      '/api/connections',
      connectionBody('Secrets connection', database, connectionPassword),
    ),
    201,
    'connection',
  );
  const rotated = `Conn2-${randomBytes(12).toString('hex')}`;
  secrets.set('changed connection password', rotated);
  await expectStatus(
    client.request('PATCH', `/api/connections/${connection.connection.id}`, { password: rotated }),
    200,
    'change connection password',
  );
  await expectStatus(
    client.post(`/api/connections/${connection.connection.id}/rows/query`, { schema: 'public', table: 'secret_items' }),
    200,
    'read rows',
  );

  const { datasetId } = await uploadDataset(client, 'Secrets dataset', 'a,b\n1,2\n');
  await waitForDataset(client, datasetId);

  const plan = await expectStatus(
    client.post<{ plan: { id: string } }>('/api/v1/plans', { document: planDocument('Secrets plan') }),
    201,
    'plan',
  );
  await deployPlan(client, plan.plan.id);
  credentialsPath = `/api/v1/plans/${plan.plan.id}/deployment/credentials`;
  const credentials = await expectStatus(
    client.post<{ password: string; connectionString: string }>(credentialsPath),
    200,
    'reveal credentials',
  );
  secrets.set('deployed admin password', credentials.password);

  const changed = `Changed-${randomBytes(12).toString('hex')}`;
  await expectStatus(
    client.post('/api/me/password', { currentPassword: password, newPassword: changed }),
    204,
    'change password',
  );
  secrets.set('new account password', changed);

  // Keys of the platform itself.
  if (stackEnv.SECRETS_MASTER_KEY) secrets.set('SECRETS_MASTER_KEY', stackEnv.SECRETS_MASTER_KEY);
  const privateKey = JSON.parse(stackEnv.INTERNAL_TOKEN_PRIVATE_KEY ?? '{}') as { d?: string };
  if (privateKey.d) secrets.set('INTERNAL_TOKEN_PRIVATE_KEY (d)', privateKey.d);
  // The local S3's secret equals its public access key id ("S3RVER"), which presigned URLs carry
  // by design; it is searched only when it is a real secret (different from the key id).
  if (stackEnv.S3_SECRET_ACCESS_KEY && stackEnv.S3_SECRET_ACCESS_KEY !== stackEnv.S3_ACCESS_KEY_ID) {
    secrets.set('S3_SECRET_ACCESS_KEY', stackEnv.S3_SECRET_ACCESS_KEY);
  }
  // Let the services flush their last log lines.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
}, 180_000);

afterAll(async () => {
  if (database) await dropCustomerDatabase(database);
});

describe('secrets never leak', () => {
  attack(
    'Secrets in logs',
    'every line of every platform log file of the run (gateway, services, worker, web) searched for each secret, plaintext, base64, base64url and URL-encoded',
    async () => {
      expect(secrets.size).toBeGreaterThanOrEqual(8);
      const files = readdirSync(logDir).filter((file) => file.endsWith('.log'));
      expect(files.length).toBeGreaterThanOrEqual(9);
      const hits: string[] = [];
      let lines = 0;
      for (const file of files) {
        const text = readFileSync(path.join(logDir, file), 'utf8');
        lines += text.split('\n').length;
        hits.push(...hitsIn(text, file));
      }
      expect(hits).toEqual([]);
      return `${secrets.size} secrets × ${files.length} log files (${lines} lines): 0 hits`;
    },
  );

  attack(
    'Secrets in API answers',
    'every response (status, headers except Set-Cookie, body) this run received, except the one audited credentials reveal',
    async () => {
      const isReveal = (entry: string) => entry.startsWith(`POST ${credentialsPath} `);
      // Positive control: the search does find a secret where it legitimately is.
      const reveal = RecordingClient.transcript.find(isReveal) ?? '';
      expect(hitsIn(reveal, 'reveal')).toContain('deployed admin password in reveal');
      const transcript = RecordingClient.transcript.filter((entry) => !isReveal(entry));
      expect(transcript.length).toBeGreaterThan(10);
      const hits = transcript.flatMap((entry) => hitsIn(entry, entry.split('\n')[0] ?? ''));
      expect(hits).toEqual([]);
      return `${transcript.length} answers: 0 hits (the credentials route is the only place the deployed password appears)`;
    },
  );

  attack(
    'Secrets in our tables',
    `every row of every table in the schemas ${SCHEMAS.join(', ')} rendered as JSON (all text/json/jsonb columns) and searched`,
    async () => {
      const db = new pg.Client({ connectionString: stackEnv.DATABASE_URL });
      await db.connect();
      const hits: string[] = [];
      let tables = 0;
      let rows = 0;
      try {
        const list = await db.query<{ schema: string; table: string }>(
          `select table_schema as schema, table_name as table from information_schema.tables
           where table_schema = any($1) and table_type = 'BASE TABLE' order by 1, 2`,
          [SCHEMAS],
        );
        for (const { schema, table } of list.rows) {
          tables++;
          const result = await db.query<{ row: string }>(
            `select row_to_json(t)::text as row from "${schema}"."${table}" t`,
          );
          rows += result.rowCount ?? 0;
          for (const { row } of result.rows) hits.push(...hitsIn(row, `${schema}.${table}`));
        }
      } finally {
        await db.end();
      }
      expect(tables).toBeGreaterThanOrEqual(SCHEMAS.length);
      expect([...new Set(hits)]).toEqual([]);
      return `${tables} tables, ${rows} rows: 0 hits (password hashes, session hashes and sealed secrets only)`;
    },
  );
});

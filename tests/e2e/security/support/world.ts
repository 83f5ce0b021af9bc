import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TCsJsonDocument } from '@elasticdash/contracts/plans/cs-json';
import { smallPostgresPlan } from '../../../support/plan-fixtures.js';
import { ApiClient, createTenant, signUp, uniqueEmail, type ApiResponse } from '../../support/api-client.js';

/** The local Postgres that plays the customer's database (trust auth on loopback). */
export const ADMIN_URL = process.env.E2E_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * An ApiClient that keeps every response it received (status, headers but Set-Cookie, body),
 * so the secrets test can search everything the API answered.
 */
export class RecordingClient extends ApiClient {
  static readonly transcript: string[] = [];

  override async request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    options: { headers?: Record<string, string>; csrf?: boolean; tenantId?: string | null } = {},
  ): Promise<ApiResponse<T>> {
    const response = await super.request<T>(method, path, body, options);
    // Set-Cookie is where the session token belongs; every other header and the body are kept.
    const headers = [...response.headers]
      .filter(([name]) => name !== 'set-cookie')
      .map(([name, value]) => `${name}: ${value}`)
      .join('\n');
    RecordingClient.transcript.push(
      `${method} ${path} → ${response.status}\n${headers}\n${JSON.stringify(response.body)}`,
    );
    return response;
  }
}

export async function expectStatus<T>(response: Promise<ApiResponse<T>>, status: number, what: string): Promise<T> {
  const settled = await response;
  if (settled.status !== status) {
    throw new Error(`${what}: expected ${status}, got ${settled.status} ${JSON.stringify(settled.body)}`);
  }
  return settled.body;
}

/** A minimal valid cs-json plan (one small PostgreSQL). */
export function planDocument(name: string): TCsJsonDocument {
  return smallPostgresPlan(name, { name: 'db-1' });
}

/** Creates a customer database with a `secret_items` table holding `marker`; returns its name. */
export async function createCustomerDatabase(prefix: string, marker: string): Promise<string> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const db = new pg.Client({ connectionString: databaseUrl(name) });
  await db.connect();
  try {
    await db.query(`create table secret_items (id serial primary key, label text not null, amount int not null)`);
    await db.query(`insert into secret_items (label, amount) values ($1, 1), ('second', 2), ('third', 3)`, [marker]);
  } finally {
    await db.end();
  }
  return name;
}

export function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropCustomerDatabase(name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`drop database if exists "${name}" with (force)`);
  } finally {
    await admin.end();
  }
}

export function connectionBody(name: string, database: string, password: string) {
  const url = new URL(ADMIN_URL);
  return {
    name,
    settings: {
      host: url.hostname,
      port: Number(url.port || 5432),
      database,
      user: decodeURIComponent(url.username) || 'postgres',
      sslMode: 'disable',
      caCert: null,
    },
    password,
    readOnly: false,
  };
}

/** Creates a dataset, uploads `csv` to S3 through the presigned URL, completes and ingests it. */
export async function uploadDataset(client: ApiClient, name: string, csv: string, fileName = 'data.csv') {
  const dataset = await expectStatus(
    client.post<{ dataset: { id: string } }>('/api/datasets', { name }),
    201,
    'create dataset',
  );
  const datasetId = dataset.dataset.id;
  const bytes = Buffer.from(csv);
  const upload = await expectStatus(
    client.post<{ uploadId: string; url: string; headers: Record<string, string> }>(
      `/api/datasets/${datasetId}/uploads`,
      { fileName, sizeBytes: bytes.length, contentType: 'text/csv' },
    ),
    201,
    'create upload',
  );
  const put = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: bytes });
  if (!put.ok) throw new Error(`PUT to S3 failed: ${put.status}`);
  await expectStatus(
    client.post(`/api/datasets/${datasetId}/uploads/${upload.uploadId}/complete`, { parts: [] }),
    200,
    'complete upload',
  );
  await expectStatus(client.post(`/api/datasets/${datasetId}/ingest`), 202, 'ingest');
  return { datasetId, uploadId: upload.uploadId };
}

/** Polls the dataset until it leaves processing; returns its final summary. */
export async function waitForDataset(
  client: ApiClient,
  datasetId: string,
  timeoutMs = 30_000,
): Promise<{ status: string; failureReason: string | null; rowCount: number | null; name: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await client.get<{
      dataset: { status: string; failureReason: string | null; rowCount: number | null; name: string };
    }>(`/api/datasets/${datasetId}`);
    const status = response.body.dataset?.status;
    if (status === 'ready' || status === 'failed' || Date.now() > deadline) return response.body.dataset;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** One workspace with a real resource behind every kind of id the route table uses. */
export interface World {
  owner: ApiClient;
  ownerEmail: string;
  tenantId: string;
  /** Path parameter name → a real id (or token) of this workspace. */
  ids: Record<string, string>;
  /** Strings only this workspace's data contains: none may appear in another tenant's answers. */
  markers: string[];
  database: string;
}

/** Deploys the plan on the local target and waits until it runs (or fails). */
export async function deployPlan(client: ApiClient, planId: string, timeoutMs = 120_000) {
  await expectStatus(client.post(`/api/v1/plans/${planId}/deploy`, { target: 'local' }), 202, 'deploy');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await client.get<{ deployment: { id: string; state: string; reason: string | null } }>(
      `/api/v1/plans/${planId}/deployment`,
    );
    const deployment = response.body.deployment;
    if (deployment?.state === 'running') return deployment;
    if (deployment?.state === 'failed' || Date.now() > deadline) {
      throw new Error(`deployment did not start: ${JSON.stringify(response.body)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * A backup of the deployment: through the API when the route is served; otherwise (the backup
 * feature is still being built) a finished backup row of this workspace's deployment in SQL.
 */
async function backupOf(client: ApiClient, planId: string, deploymentId: string, tenantId: string, dbUrl: string) {
  const created = await client.post<{ backup?: { id: string } }>(`/api/v1/plans/${planId}/deployment/backups`);
  if (created.status === 202 && created.body.backup?.id) return created.body.backup.id;
  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  try {
    const row = await db.query<{ id: string }>(
      `insert into deployer.backups (tenant_id, deployment_id, trigger, status, finished_at)
       values ($1, $2, 'manual', 'succeeded', now()) returning id`,
      [tenantId, deploymentId],
    );
    return row.rows[0]?.id ?? '';
  } finally {
    await db.end();
  }
}

export async function createWorld(
  gatewayUrl: string,
  origin: string,
  label: string,
  options: { deploy?: boolean; platformDatabaseUrl?: string } = {},
): Promise<World> {
  const tag = randomBytes(4).toString('hex');
  const owner = new RecordingClient(gatewayUrl, origin);
  const ownerUser = await signUp(owner, `${label}-owner`);
  const tenantName = `${label} workspace ${tag}`;
  const tenantId = await createTenant(owner, tenantName);
  owner.tenantId = tenantId;

  // A member (for :userId) and a pending invitation (for :invitationId and :token).
  const member = new RecordingClient(gatewayUrl, origin);
  const memberUser = await signUp(member, `${label}-member`);
  const invite = await expectStatus(
    owner.post<{ token: string }>('/api/invitations', { email: memberUser.email, role: 'editor' }),
    201,
    'invite member',
  );
  await expectStatus(member.post('/api/invitations/accept', { token: invite.token }), 200, 'accept');
  const pendingEmail = uniqueEmail(`${label}-pending`);
  const pending = await expectStatus(
    owner.post<{ invitation: { id: string }; token: string }>('/api/invitations', {
      email: pendingEmail,
      role: 'viewer',
    }),
    201,
    'pending invitation',
  );

  const rowMarker = `row-${label}-${tag}`;
  const database = await createCustomerDatabase(`ed_sec_${label.toLowerCase().replace(/[^a-z0-9]/g, '')}`, rowMarker);
  const connectionName = `${label} connection ${tag}`;
  const connection = await expectStatus(
    owner.post<{ connection: { id: string } }>(
      '/api/connections',
      connectionBody(connectionName, database, `pw-${tag}`),
    ),
    201,
    'create connection',
  );

  const datasetName = `${label} dataset ${tag}`;
  const columnMarker = `col_${label.toLowerCase().replace(/[^a-z0-9]/g, '')}_${tag}`;
  const { datasetId } = await uploadDataset(owner, datasetName, `${columnMarker},amount\n${rowMarker},1\nother,2\n`);
  const ready = await waitForDataset(owner, datasetId);
  if (ready.status !== 'ready') throw new Error(`dataset of ${label} did not become ready: ${JSON.stringify(ready)}`);
  // A second, pending upload: :uploadId of an upload that can still be completed or aborted.
  const upload = await expectStatus(
    owner.post<{ uploadId: string }>(`/api/datasets/${datasetId}/uploads`, {
      fileName: 'next.csv',
      sizeBytes: 10,
      contentType: 'text/csv',
    }),
    201,
    'pending upload',
  );

  const dashboardName = `${label} dashboard ${tag}`;
  const dashboard = await expectStatus(
    owner.post<{ dashboard: { id: string } }>('/api/dashboards', { name: dashboardName, datasetId }),
    201,
    'create dashboard',
  );
  const planName = `${label} plan ${tag}`;
  const plan = await expectStatus(
    owner.post<{ plan: { id: string } }>('/api/v1/plans', { document: planDocument(planName) }),
    201,
    'create plan',
  );
  const deployed: Record<string, string> = {};
  if (options.deploy) {
    const deployment = await deployPlan(owner, plan.plan.id);
    deployed.deploymentId = deployment.id;
    deployed.backupId = await backupOf(owner, plan.plan.id, deployment.id, tenantId, options.platformDatabaseUrl ?? '');
  }
  const sessions = await expectStatus(
    owner.get<{ sessions: { id: string; current: boolean }[] }>('/api/me/sessions'),
    200,
    'list sessions',
  );
  const sessionId = sessions.sessions.find((session) => session.current)?.id ?? '';

  return {
    owner,
    ownerEmail: ownerUser.email,
    tenantId,
    database,
    ids: {
      tenantId,
      connectionId: connection.connection.id,
      datasetId,
      uploadId: upload.uploadId,
      dashboardId: dashboard.dashboard.id,
      planId: plan.plan.id,
      revision: '1',
      invitationId: pending.invitation.id,
      token: pending.token,
      userId: memberUser.id,
      sessionId,
      ...deployed,
    },
    markers: [
      tenantName,
      ownerUser.email,
      memberUser.email,
      pendingEmail,
      connectionName,
      database,
      datasetName,
      columnMarker,
      rowMarker,
      dashboardName,
      planName,
    ],
  };
}

import type { TCsJsonDocument } from '@elasticdash/contracts/plans/cs-json';
import type {
  TDeploymentEndpoint,
  TDeploymentHealth,
  TDeploymentState,
  TDeployTargetKind,
  TOperationKind,
} from '@elasticdash/contracts/deployer/deployment';
import { sql } from 'drizzle-orm';
import {
  bigserial,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgSchema,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/**
 * svc-deployer owns the `deployer` schema. The worker runs this service's jobs (plan.deploy,
 * plan.destroy, monitors) against these tables with plain SQL; column names are a contract.
 */
export const deployerSchema = pgSchema('deployer');

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/** One deployment per plan (re-deploys update it). */
export const deployments = deployerSchema.table(
  'deployments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull(),
    planId: uuid('plan_id').notNull(),
    planName: text('plan_name').notNull(),
    /** The cs-json component deployed (v1 plans deploy their first component). */
    componentId: text('component_id').notNull(),
    target: text('target').$type<TDeployTargetKind>().notNull(),
    state: text('state').$type<TDeploymentState>().notNull().default('pending'),
    reason: text('reason'),
    /** Revision and document of the last successful deploy (what is running). */
    deployedRevision: integer('deployed_revision'),
    deployedDocument: jsonb('deployed_document').$type<TCsJsonDocument>(),
    /** Version of the desired config last written for the agent. */
    configVersion: integer('config_version').notNull().default(0),
    endpoint: jsonb('endpoint').$type<TDeploymentEndpoint>(),
    /** Target-specific resource ids (local: data dir, port; aws: instance, security group, volume). */
    resources: jsonb('resources').$type<Record<string, unknown>>().notNull().default({}),
    /** Reference of the admin password in the secret store (never the password). */
    adminSecretRef: text('admin_secret_ref'),
    health: jsonb('health').$type<TDeploymentHealth>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('deployments_tenant_plan_key').on(table.tenantId, table.planId),
    check(
      'deployments_state_check',
      sql`${table.state} in ('pending', 'provisioning', 'configuring', 'running', 'updating', 'failed', 'destroying', 'destroyed')`,
    ),
    check('deployments_target_check', sql`${table.target} in ('local', 'aws')`),
  ],
);

/**
 * Each deploy / re-deploy / destroy request. The BullMQ job id is the operation id.
 * `steps_done` lists the steps completed, so a worker killed mid-way resumes at the first one
 * not done. At most one queued-or-running operation per deployment (partial unique index).
 */
export const operations = deployerSchema.table(
  'operations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull(),
    deploymentId: uuid('deployment_id')
      .notNull()
      .references(() => deployments.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<TOperationKind>().notNull(),
    status: text('status').$type<'queued' | 'running' | 'succeeded' | 'failed'>().notNull().default('queued'),
    /** The plan revision and document this operation applies (snapshot taken at request time). */
    planRevision: integer('plan_revision'),
    document: jsonb('document').$type<TCsJsonDocument>(),
    stepsDone: jsonb('steps_done').$type<string[]>().notNull().default([]),
    error: text('error'),
    runs: integer('runs').notNull().default(0),
    requestedBy: text('requested_by').notNull(),
    requestId: text('request_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (table) => [
    index('operations_deployment_idx').on(table.deploymentId, table.createdAt),
    uniqueIndex('operations_one_active_key')
      .on(table.deploymentId)
      .where(sql`${table.status} in ('queued', 'running')`),
    check('operations_kind_check', sql`${table.kind} in ('deploy', 'redeploy', 'destroy')`),
    check('operations_status_check', sql`${table.status} in ('queued', 'running', 'succeeded', 'failed')`),
  ],
);

/** The step log: every transition and step of every operation, append-only. */
export const deploymentEvents = deployerSchema.table(
  'deployment_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: uuid('tenant_id').notNull(),
    deploymentId: uuid('deployment_id')
      .notNull()
      .references(() => deployments.id, { onDelete: 'cascade' }),
    operationId: uuid('operation_id'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    kind: text('kind').$type<'transition' | 'step' | 'log'>().notNull(),
    state: text('state').$type<TDeploymentState>(),
    step: text('step'),
    message: text('message').notNull(),
    durationMs: integer('duration_ms'),
  },
  (table) => [index('deployment_events_deployment_idx').on(table.deploymentId, table.id)],
);

/**
 * Local secret store of this service (admin passwords): AES-256-GCM envelope encryption with the
 * master key from the environment, the same scheme as svc-connections (docs/security.md).
 */
export const secrets = deployerSchema.table('secrets', {
  id: uuid('id').primaryKey(),
  tenantId: uuid('tenant_id').notNull(),
  masterKeyId: text('master_key_id').notNull(),
  wrappedKey: bytea('wrapped_key').notNull(),
  wrapIv: bytea('wrap_iv').notNull(),
  wrapTag: bytea('wrap_tag').notNull(),
  iv: bytea('iv').notNull(),
  ciphertext: bytea('ciphertext').notNull(),
  authTag: bytea('auth_tag').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Who revealed which credentials, when (metadata only). */
export const credentialReveals = deployerSchema.table(
  'credential_reveals',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: uuid('tenant_id').notNull(),
    deploymentId: uuid('deployment_id')
      .notNull()
      .references(() => deployments.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').notNull(),
    userEmail: text('user_email').notNull(),
    requestId: text('request_id'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('credential_reveals_deployment_idx').on(table.deploymentId, table.at)],
);

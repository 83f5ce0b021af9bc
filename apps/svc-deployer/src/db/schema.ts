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
  bigint,
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
    /** The Data connection "Open in Data" registered (svc-connections): re-pointed when the server moves. */
    dataConnectionId: uuid('data_connection_id'),
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

/**
 * The AWS target of a tenant: region and how the worker gets credentials. The secret half
 * (the role's external id, or the secret access key) is sealed in `secrets` under `secret_ref`;
 * the row itself holds nothing secret. `last_check` is the result of "check credentials".
 */
export const awsTargets = deployerSchema.table(
  'aws_targets',
  {
    tenantId: uuid('tenant_id').primaryKey(),
    region: text('region').notNull(),
    credentialKind: text('credential_kind').$type<'role' | 'access-key'>().notNull(),
    /** credential_kind = role: the role the worker assumes (with the sealed external id). */
    roleArn: text('role_arn'),
    /** credential_kind = access-key: the key id (not secret; shown masked in the UI). */
    accessKeyId: text('access_key_id'),
    secretRef: text('secret_ref').notNull(),
    lastCheck: jsonb('last_check').$type<{ ok: boolean; message: string; checkedAt: string; accountId?: string }>(),
    updatedBy: text('updated_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    check('aws_targets_credential_kind_check', sql`${table.credentialKind} in ('role', 'access-key')`),
    check(
      'aws_targets_credentials_check',
      sql`(${table.credentialKind} = 'role' and ${table.roleArn} is not null) or (${table.credentialKind} = 'access-key' and ${table.accessKeyId} is not null)`,
    ),
  ],
);

/**
 * Backups of a deployment (pg_dump custom format in S3) and their validation by restore:
 * `table_counts` are the source's row counts at dump time, `validation` compares them with the
 * counts after restoring into a scratch database. Rows of expired dumps stay (with expired_at)
 * so the history shows what retention removed.
 */
export const backups = deployerSchema.table(
  'backups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull(),
    deploymentId: uuid('deployment_id')
      .notNull()
      .references(() => deployments.id, { onDelete: 'cascade' }),
    trigger: text('trigger').$type<'schedule' | 'manual'>().notNull(),
    status: text('status').$type<'running' | 'succeeded' | 'failed'>().notNull().default('running'),
    bucket: text('bucket'),
    objectKey: text('object_key'),
    sizeBytes: bigint('size_bytes', { mode: 'number' }),
    error: text('error'),
    tableCounts: jsonb('table_counts').$type<Record<string, number>>(),
    validation: text('validation').$type<'pending' | 'passed' | 'failed' | 'skipped'>().notNull().default('pending'),
    validationDetails: jsonb('validation_details').$type<Record<string, unknown>>(),
    validatedAt: timestamp('validated_at', { withTimezone: true }),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    expiredAt: timestamp('expired_at', { withTimezone: true }),
  },
  (table) => [
    index('backups_deployment_idx').on(table.deploymentId, table.startedAt),
    check('backups_trigger_check', sql`${table.trigger} in ('schedule', 'manual')`),
    check('backups_status_check', sql`${table.status} in ('running', 'succeeded', 'failed')`),
    check('backups_validation_check', sql`${table.validation} in ('pending', 'passed', 'failed', 'skipped')`),
  ],
);

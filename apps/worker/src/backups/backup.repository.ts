import type {
  TBackupStatus,
  TBackupTrigger,
  TBackupValidation,
  TBackupValidationDetails,
} from '@elasticdash/contracts/deployer/backups';
import type {
  TDeploymentEndpoint,
  TDeploymentState,
  TDeployTargetKind,
} from '@elasticdash/contracts/deployer/deployment';
import type { TCsJsonDocument } from '@elasticdash/contracts/plans/cs-json';
import type pg from 'pg';
import type { RetentionRow } from './backup-rules.js';

/**
 * Raw SQL against svc-deployer's `deployer.backups` (and the deployment rows a backup needs).
 * Column names are svc-deployer's own (apps/svc-deployer/src/db/schema.ts).
 */
export interface BackupDeployment {
  id: string;
  tenantId: string;
  planId: string;
  componentId: string;
  target: TDeployTargetKind;
  state: TDeploymentState;
  endpoint: TDeploymentEndpoint | null;
  port: number | null;
  adminSecretRef: string | null;
  deployedDocument: TCsJsonDocument | null;
}

export interface BackupRow {
  id: string;
  tenantId: string;
  deploymentId: string;
  trigger: TBackupTrigger;
  status: TBackupStatus;
  bucket: string | null;
  objectKey: string | null;
  sizeBytes: number | null;
  error: string | null;
  tableCounts: Record<string, number> | null;
  validation: TBackupValidation;
  startedAt: Date;
}

interface RawBackup {
  id: string;
  tenant_id: string;
  deployment_id: string;
  trigger: TBackupTrigger;
  status: TBackupStatus;
  bucket: string | null;
  object_key: string | null;
  size_bytes: string | number | null;
  error: string | null;
  table_counts: Record<string, number> | null;
  validation: TBackupValidation;
  started_at: Date;
}

const COLUMNS = `id, tenant_id, deployment_id, trigger, status, bucket, object_key, size_bytes, error, table_counts,
  validation, started_at`;

function toBackup(row: RawBackup): BackupRow {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    deploymentId: row.deployment_id,
    trigger: row.trigger,
    status: row.status,
    bucket: row.bucket,
    objectKey: row.object_key,
    sizeBytes: row.size_bytes === null ? null : Number(row.size_bytes),
    error: row.error,
    tableCounts: row.table_counts,
    validation: row.validation,
    startedAt: row.started_at,
  };
}

export class BackupRepository {
  constructor(readonly pool: pg.Pool) {}

  async findDeployment(deploymentId: string, tenantId: string): Promise<BackupDeployment | null> {
    const { rows } = await this.pool.query<{
      id: string;
      tenant_id: string;
      plan_id: string;
      component_id: string;
      target: TDeployTargetKind;
      state: TDeploymentState;
      endpoint: TDeploymentEndpoint | null;
      port: number | null;
      admin_secret_ref: string | null;
      deployed_document: TCsJsonDocument | null;
    }>(
      `select id, tenant_id, plan_id, component_id, target, state, endpoint, (resources->>'port')::int as port,
              admin_secret_ref, deployed_document
         from deployer.deployments where id = $1 and tenant_id = $2`,
      [deploymentId, tenantId],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      id: row.id,
      tenantId: row.tenant_id,
      planId: row.plan_id,
      componentId: row.component_id,
      target: row.target,
      state: row.state,
      endpoint: row.endpoint,
      port: row.port,
      adminSecretRef: row.admin_secret_ref,
      deployedDocument: row.deployed_document,
    };
  }

  async find(backupId: string, tenantId: string): Promise<BackupRow | null> {
    const { rows } = await this.pool.query<RawBackup>(
      `select ${COLUMNS} from deployer.backups where id = $1 and tenant_id = $2`,
      [backupId, tenantId],
    );
    return rows[0] ? toBackup(rows[0]) : null;
  }

  /**
   * A scheduled run's row, unless a backup of the deployment is already running (then null: the
   * scheduled run is skipped). The deployment row lock serialises this with "back up now".
   */
  async startScheduled(deploymentId: string, tenantId: string): Promise<BackupRow | null> {
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      await client.query('select 1 from deployer.deployments where id = $1 and tenant_id = $2 for update', [
        deploymentId,
        tenantId,
      ]);
      const running = await client.query(
        `select 1 from deployer.backups where deployment_id = $1 and tenant_id = $2 and status = 'running'`,
        [deploymentId, tenantId],
      );
      let row: BackupRow | null = null;
      if (!running.rowCount) {
        const inserted = await client.query<RawBackup>(
          `insert into deployer.backups (tenant_id, deployment_id, trigger, status) values ($1, $2, 'schedule', 'running')
           returning ${COLUMNS}`,
          [tenantId, deploymentId],
        );
        row = inserted.rows[0] ? toBackup(inserted.rows[0]) : null;
      }
      await client.query('commit');
      return row;
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async markStored(
    backup: BackupRow,
    stored: {
      bucket: string;
      objectKey: string;
      sizeBytes: number;
      tableCounts: Record<string, number>;
      validation: 'pending' | 'skipped';
      validationDetails: TBackupValidationDetails | null;
    },
  ): Promise<void> {
    await this.pool.query(
      `update deployer.backups
          set status = 'succeeded', bucket = $3, object_key = $4, size_bytes = $5, table_counts = $6::jsonb,
              validation = $7, validation_details = $8::jsonb, validated_at = case when $7 = 'skipped' then now() end,
              error = null, finished_at = now()
        where id = $1 and tenant_id = $2`,
      [
        backup.id,
        backup.tenantId,
        stored.bucket,
        stored.objectKey,
        stored.sizeBytes,
        JSON.stringify(stored.tableCounts),
        stored.validation,
        stored.validationDetails ? JSON.stringify(stored.validationDetails) : null,
      ],
    );
  }

  async markFailed(backup: BackupRow, error: string): Promise<void> {
    await this.pool.query(
      `update deployer.backups
          set status = 'failed', error = $3, validation = 'skipped', finished_at = now()
        where id = $1 and tenant_id = $2 and status = 'running'`,
      [backup.id, backup.tenantId, error],
    );
  }

  async markValidated(
    backup: BackupRow,
    validation: 'passed' | 'failed',
    details: TBackupValidationDetails,
  ): Promise<void> {
    await this.pool.query(
      `update deployer.backups set validation = $3, validation_details = $4::jsonb, validated_at = now()
        where id = $1 and tenant_id = $2`,
      [backup.id, backup.tenantId, validation, JSON.stringify(details)],
    );
  }

  /** Succeeded backups of the deployment (for retention). */
  async retentionRows(deploymentId: string, tenantId: string): Promise<RetentionRow[]> {
    const { rows } = await this.pool.query<{
      id: string;
      status: RetentionRow['status'];
      validation: RetentionRow['validation'];
      started_at: Date;
      object_key: string | null;
      expired_at: Date | null;
    }>(
      `select id, status, validation, started_at, object_key, expired_at from deployer.backups
        where deployment_id = $1 and tenant_id = $2 and status = 'succeeded' and expired_at is null`,
      [deploymentId, tenantId],
    );
    return rows.map((r) => ({
      id: r.id,
      status: r.status,
      validation: r.validation,
      startedAt: r.started_at,
      objectKey: r.object_key,
      expiredAt: r.expired_at,
    }));
  }

  /** Local deployments that may have a backup schedule (the worker re-syncs them at start). */
  async scheduledCandidates(): Promise<
    { id: string; tenantId: string; componentId: string; deployedDocument: TCsJsonDocument | null }[]
  > {
    const { rows } = await this.pool.query<{
      id: string;
      tenant_id: string;
      component_id: string;
      deployed_document: TCsJsonDocument | null;
    }>(
      `select id, tenant_id, component_id, deployed_document from deployer.deployments
        where target = 'local' and state in ('running', 'failed', 'updating') and deployed_document is not null`,
    );
    return rows.map((r) => ({
      id: r.id,
      tenantId: r.tenant_id,
      componentId: r.component_id,
      deployedDocument: r.deployed_document,
    }));
  }

  async markExpired(backupId: string, tenantId: string): Promise<void> {
    await this.pool.query(
      `update deployer.backups set expired_at = now() where id = $1 and tenant_id = $2 and expired_at is null`,
      [backupId, tenantId],
    );
  }
}

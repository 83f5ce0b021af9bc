import { DeleteObjectCommand, GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { TBackupValidationDetails } from '@elasticdash/contracts/deployer/backups';
import {
  BACKUP_JOB_NAMES,
  ZDeploymentBackupJob,
  type TDeploymentBackupJob,
} from '@elasticdash/contracts/deployer/jobs';
import { findPostgresComponent } from '@elasticdash/pg-knowledge/deploy/desired-config';
import type { RealtimePublisher } from '@elasticdash/service-kit/realtime-publisher';
import { requestStorage } from '@elasticdash/service-kit/request-context';
import { openSecret } from '@elasticdash/service-kit/secrets/envelope';
import type { TMasterKeyring } from '@elasticdash/service-kit/secrets/keyring';
import { UnrecoverableError, type Job } from 'bullmq';
import type { Readable } from 'node:stream';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { DeployRepository } from '../deploy/deploy.repository.js';
import { connectFailure } from '../monitor/monitor.processor.js';
import { backupObjectKey, compareCounts, expiredBackups, scratchDatabaseName } from './backup-rules.js';
import type { BackupDeployment, BackupRepository, BackupRow } from './backup.repository.js';
import { uploadStream } from './object-upload.js';
import { connect, countRows, restore, startDump, toolFailure, type ClusterLogin } from './pg-tools.js';

/**
 * A verdict about the backup itself (pg_dump failed, the cluster refused the connection, the
 * deployment is not running): recorded at once, not retried. Anything else (S3, the platform's
 * database) is retried by BullMQ and recorded when the last attempt fails.
 */
export class BackupFailure extends Error {
  override readonly name = 'BackupFailure';
}

export interface BackupResult {
  status: 'succeeded' | 'failed' | 'skipped';
  backupId: string | null;
  validation?: string;
}

export interface BackupSettings {
  /** The platform bucket (S3_BUCKET): every backup object goes there. */
  bucket: string;
  /** PostgreSQL binaries (the local target's, so pg_dump is not older than the server). */
  binDir: () => string;
}

interface Ctx {
  deployment: BackupDeployment;
  log: Logger;
  requestId: string | null;
}

/**
 * `deployment.backup`: a consistent `pg_dump -Fc` of the deployment's admin database streamed to
 * S3 with the row count of every table taken in the same snapshot, then validation by restore
 * (the stored object is downloaded again and restored into a scratch database on the same
 * cluster, row counts compared, scratch database dropped), then retention.
 * `deployment.backup.validate` re-runs the validation of one stored backup.
 * Every outcome is a row update and a `deployment.backup` event; failures are logged at error.
 */
export class BackupProcessor {
  constructor(
    private readonly backups: BackupRepository,
    private readonly deployments: Pick<DeployRepository, 'loadSecret'>,
    private readonly s3: S3Client,
    private readonly publisher: RealtimePublisher,
    private readonly keyring: TMasterKeyring,
    private readonly logger: Logger,
    private readonly settings: BackupSettings,
    /** Removes the schedule of a deployment that no longer exists. */
    private readonly unschedule: (deploymentId: string) => Promise<unknown> = async () => undefined,
  ) {}

  async process(job: Job<TDeploymentBackupJob>): Promise<BackupResult> {
    const parsed = ZDeploymentBackupJob.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid ${job.name} payload: ${parsed.error.message}`);
    const data = parsed.data;
    const requestId = data.requestId ?? `job-${job.id ?? data.deploymentId}`;
    return requestStorage.run({ requestId }, () =>
      job.name === BACKUP_JOB_NAMES.validate ? this.revalidate(job, data) : this.backup(job, data),
    );
  }

  // ---- backup -------------------------------------------------------------------------------------

  private async backup(job: Job<TDeploymentBackupJob>, data: TDeploymentBackupJob): Promise<BackupResult> {
    const log = this.logger.child({ deploymentId: data.deploymentId, tenantId: data.tenantId, trigger: data.trigger });
    const deployment = await this.backups.findDeployment(data.deploymentId, data.tenantId);
    if (!deployment || deployment.state === 'destroyed') {
      if (data.trigger === 'schedule') {
        await this.unschedule(data.deploymentId).catch(() => undefined);
        log.info('the deployment is gone; its backup schedule was removed');
      }
      if (deployment && data.backupId) {
        const row = await this.backups.find(data.backupId, data.tenantId);
        if (row?.status === 'running')
          await this.fail({ deployment, log, requestId: data.requestId }, row, 'the deployment was destroyed');
      }
      return { status: 'skipped', backupId: data.backupId };
    }
    const ctx: Ctx = { deployment, log, requestId: data.requestId };

    let backup: BackupRow | null;
    if (data.backupId) {
      backup = await this.backups.find(data.backupId, data.tenantId);
      if (!backup || backup.deploymentId !== deployment.id) throw new UnrecoverableError('backup not found');
    } else {
      backup = await this.backups.startScheduled(deployment.id, deployment.tenantId);
      if (!backup) {
        log.warn('a backup of this deployment is already running; this scheduled run is skipped');
        return { status: 'skipped', backupId: null };
      }
      // A retry of this job continues this row instead of starting another one.
      await job.updateData({ ...data, backupId: backup.id });
      await this.publish(ctx, backup.id, 'running', 'pending', null);
    }
    const blog = log.child({ backupId: backup.id });
    ctx.log = blog;

    if (backup.status === 'failed') return { status: 'failed', backupId: backup.id };
    if (backup.status === 'running') {
      try {
        backup = await this.dumpAndStore(ctx, backup);
      } catch (error) {
        const reason = error instanceof Error && error.message ? error.message : 'internal error';
        if (error instanceof BackupFailure || this.lastAttempt(job)) {
          await this.fail(ctx, backup, reason, error);
          throw new UnrecoverableError(reason);
        }
        blog.warn({ err: error, attempt: job.attemptsMade + 1 }, 'backup attempt failed; it will be retried');
        throw error;
      }
    }

    let validation: string = backup.validation;
    if (backup.validation === 'pending') validation = await this.validateWithRetry(job, ctx, backup);
    await this.applyRetention(ctx);
    return { status: 'succeeded', backupId: backup.id, validation };
  }

  private async dumpAndStore(ctx: Ctx, backup: BackupRow): Promise<BackupRow> {
    const { deployment, log } = ctx;
    const login = await this.login(deployment);
    const started = performance.now();
    const objectKey = backupObjectKey(deployment.tenantId, deployment.id, backup.id, backup.startedAt);
    let client: pg.Client;
    try {
      client = await connect(login);
    } catch (error) {
      throw new BackupFailure(connectFailure(error, `127.0.0.1:${login.port}`, login.database));
    }
    let tableCounts: Record<string, number>;
    let sizeBytes: number;
    try {
      // The counts and pg_dump see the same snapshot, so a restore must reproduce them exactly.
      let snapshot: string | null;
      try {
        await client.query('begin isolation level repeatable read read only');
        const { rows } = await client.query<{ snapshot: string }>('select pg_export_snapshot() as snapshot');
        snapshot = rows[0]?.snapshot ?? null;
        tableCounts = await countRows(client);
      } catch (error) {
        // The server answered with an error (a table the admin may not read…): about this database.
        throw new BackupFailure(`counting the rows of every table failed: ${(error as Error).message}`);
      }
      const dump = startDump(this.settings.binDir(), login, snapshot);
      try {
        sizeBytes = await uploadStream(this.s3, this.settings.bucket, objectKey, dump.stdout as AsyncIterable<Buffer>);
      } catch (error) {
        dump.kill();
        await dump.done;
        throw error;
      }
      const result = await dump.done;
      if (result.code !== 0) {
        // The object holds a partial archive: it must never look like a backup.
        await this.deleteObject(objectKey).catch((error: unknown) =>
          log.error({ err: error, objectKey }, 'could not delete the partial dump'),
        );
        throw new BackupFailure(toolFailure('pg_dump', result));
      }
    } finally {
      await client.query('rollback').catch(() => undefined);
      await client.end().catch(() => undefined);
    }

    const component = deployment.deployedDocument
      ? findPostgresComponent(deployment.deployedDocument, deployment.componentId)
      : null;
    const validate = component?.backups.validateByRestore ?? true;
    const tables = Object.keys(tableCounts).length;
    await this.backups.markStored(backup, {
      bucket: this.settings.bucket,
      objectKey,
      sizeBytes,
      tableCounts,
      validation: validate ? 'pending' : 'skipped',
      validationDetails: validate
        ? null
        : {
            message: 'validation by restore is off in the plan (backups.validateByRestore)',
            scratchDatabase: null,
            tablesCompared: 0,
            mismatches: [],
            restoredCounts: null,
            durationMs: null,
          },
    });
    log.info(
      { objectKey, sizeBytes, tables, durationMs: Math.round(performance.now() - started) },
      'backup stored in S3',
    );
    await this.publish(ctx, backup.id, 'succeeded', validate ? 'pending' : 'skipped', null);
    return {
      ...backup,
      status: 'succeeded',
      bucket: this.settings.bucket,
      objectKey,
      sizeBytes,
      tableCounts,
      validation: validate ? 'pending' : 'skipped',
    };
  }

  // ---- validation by restore ----------------------------------------------------------------------

  private async revalidate(job: Job<TDeploymentBackupJob>, data: TDeploymentBackupJob): Promise<BackupResult> {
    const log = this.logger.child({
      deploymentId: data.deploymentId,
      tenantId: data.tenantId,
      backupId: data.backupId,
    });
    const deployment = await this.backups.findDeployment(data.deploymentId, data.tenantId);
    const backup = data.backupId ? await this.backups.find(data.backupId, data.tenantId) : null;
    if (!deployment || !backup || backup.deploymentId !== deployment.id) {
      throw new UnrecoverableError('backup not found');
    }
    const ctx: Ctx = { deployment, log, requestId: data.requestId };
    if (backup.status !== 'succeeded' || !backup.objectKey) {
      return { status: 'skipped', backupId: backup.id };
    }
    const validation = await this.validateWithRetry(job, ctx, backup);
    return { status: 'succeeded', backupId: backup.id, validation };
  }

  /** Infrastructure errors are retried; the last attempt records them as the validation's failure. */
  private async validateWithRetry(job: Job<TDeploymentBackupJob>, ctx: Ctx, backup: BackupRow): Promise<string> {
    try {
      return await this.validate(ctx, backup);
    } catch (error) {
      if (!this.lastAttempt(job)) {
        ctx.log.warn({ err: error, attempt: job.attemptsMade + 1 }, 'validation attempt failed; it will be retried');
        throw error;
      }
      const message = `validation could not run: ${error instanceof Error ? error.message : String(error)}`;
      await this.recordValidation(ctx, backup, 'failed', {
        message,
        scratchDatabase: scratchDatabaseName(backup.id),
        tablesCompared: 0,
        mismatches: [],
        restoredCounts: null,
        durationMs: null,
      });
      throw new UnrecoverableError(message);
    }
  }

  /** Restores the stored object into a scratch database and compares row counts; always drops it. */
  private async validate(ctx: Ctx, backup: BackupRow): Promise<'passed' | 'failed'> {
    const started = performance.now();
    const verdict = await this.restoreAndCompare(ctx, backup);
    // Recorded after the scratch database is dropped: whoever reads the verdict finds it gone.
    const details: TBackupValidationDetails = {
      scratchDatabase: scratchDatabaseName(backup.id),
      tablesCompared: Object.keys(backup.tableCounts ?? {}).length,
      mismatches: [],
      restoredCounts: null,
      ...verdict.details,
      durationMs: Math.round(performance.now() - started),
    };
    await this.recordValidation(ctx, backup, verdict.validation, details);
    return verdict.validation;
  }

  /** Restores the stored object into a scratch database and compares row counts; always drops it. */
  private async restoreAndCompare(
    ctx: Ctx,
    backup: BackupRow,
  ): Promise<{ validation: 'passed' | 'failed'; details: Partial<TBackupValidationDetails> & { message: string } }> {
    const { deployment, log } = ctx;
    const scratch = scratchDatabaseName(backup.id);
    const source = backup.tableCounts ?? {};
    const failed = (message: string, extra: Partial<TBackupValidationDetails> = {}) => ({
      validation: 'failed' as const,
      details: { ...extra, message },
    });
    if (!backup.objectKey || !backup.bucket) return failed('the backup has no stored object');
    let login: ClusterLogin;
    try {
      login = await this.login(deployment);
    } catch (error) {
      if (error instanceof BackupFailure) return failed(error.message);
      throw error;
    }
    let admin: pg.Client;
    try {
      admin = await connect(login);
    } catch (error) {
      return failed(connectFailure(error, `127.0.0.1:${login.port}`, login.database));
    }
    const ident = admin.escapeIdentifier(scratch);
    try {
      // A scratch database left by a crashed run is replaced.
      await admin.query(`drop database if exists ${ident} with (force)`);
      await admin.query(`create database ${ident} template template0`);
      let archive: Readable;
      try {
        // The object as stored, downloaded again: this proves what S3 holds restores, not a local file.
        const object = await this.s3.send(new GetObjectCommand({ Bucket: backup.bucket, Key: backup.objectKey }));
        if (!object.Body) return failed(`the stored object ${backup.objectKey} is empty`);
        archive = object.Body as Readable;
      } catch (error) {
        const name = (error as { name?: string }).name;
        if (name === 'NoSuchKey' || name === 'NotFound') {
          return failed(`the stored object ${backup.objectKey} is missing from bucket ${backup.bucket}`);
        }
        throw error;
      }
      const restored = await restore(this.settings.binDir(), login, scratch, archive);
      let restoredCounts: Record<string, number> | null = null;
      const scratchClient = await connect(login, scratch).catch(() => null);
      if (scratchClient) {
        try {
          restoredCounts = await countRows(scratchClient);
        } finally {
          await scratchClient.end().catch(() => undefined);
        }
      }
      const comparison = compareCounts(source, restoredCounts ?? {});
      if (restored.code !== 0) {
        return failed(toolFailure('pg_restore', restored), { mismatches: comparison.mismatches, restoredCounts });
      }
      if (!comparison.passed) {
        return failed(comparison.message, { mismatches: comparison.mismatches, restoredCounts });
      }
      return { validation: 'passed', details: { message: comparison.message, restoredCounts } };
    } finally {
      await admin.query(`drop database if exists ${ident} with (force)`).catch((error: unknown) => {
        log.error({ err: error, scratch }, 'could not drop the scratch database of a backup validation');
      });
      await admin.end().catch(() => undefined);
    }
  }

  private async recordValidation(
    ctx: Ctx,
    backup: BackupRow,
    validation: 'passed' | 'failed',
    details: TBackupValidationDetails,
  ): Promise<void> {
    await this.backups.markValidated(backup, validation, details);
    if (validation === 'failed') {
      ctx.log.error({ validation: details }, `backup validation failed: ${details.message}`);
    } else {
      ctx.log.info({ durationMs: details.durationMs, tables: details.tablesCompared }, 'backup validation passed');
    }
    await this.publish(ctx, backup.id, 'succeeded', validation, validation === 'failed' ? details.message : null);
  }

  // ---- retention ----------------------------------------------------------------------------------

  /** Deletes the objects of backups older than the plan's retention (never the latest good one). */
  private async applyRetention(ctx: Ctx): Promise<void> {
    const { deployment, log } = ctx;
    const component = deployment.deployedDocument
      ? findPostgresComponent(deployment.deployedDocument, deployment.componentId)
      : null;
    if (!component) return;
    try {
      const rows = await this.backups.retentionRows(deployment.id, deployment.tenantId);
      for (const row of expiredBackups(rows, component.backups.retentionDays, new Date())) {
        if (row.objectKey) await this.deleteObject(row.objectKey);
        await this.backups.markExpired(row.id, deployment.tenantId);
        log.info({ backupId: row.id, objectKey: row.objectKey }, 'retention deleted an old backup');
      }
    } catch (error) {
      // The backup itself is fine; the next run applies retention again.
      log.error({ err: error }, 'backup retention failed');
    }
  }

  // ---- helpers ------------------------------------------------------------------------------------

  private async login(deployment: BackupDeployment): Promise<ClusterLogin> {
    if (deployment.target !== 'local') {
      throw new BackupFailure(`backups of the ${deployment.target} target are not run by this worker`);
    }
    if (deployment.state !== 'running' && deployment.state !== 'failed') {
      throw new BackupFailure(`the deployment is ${deployment.state}; backups need a running server`);
    }
    const endpoint = deployment.endpoint;
    const port = endpoint?.port ?? deployment.port;
    if (!endpoint || !port) throw new BackupFailure('the deployment has no endpoint');
    const ref = deployment.adminSecretRef;
    const sealed = ref ? await this.deployments.loadSecret(ref, deployment.tenantId) : null;
    if (!ref || !sealed) throw new BackupFailure('the admin password is missing from the secret store');
    let password: string;
    try {
      password = openSecret(sealed, { tenantId: deployment.tenantId, secretId: ref }, this.keyring);
    } catch {
      throw new BackupFailure('the admin password cannot be decrypted (master key?)');
    }
    return { port, user: endpoint.user, database: endpoint.database, password };
  }

  private async fail(ctx: Ctx, backup: BackupRow, reason: string, error?: unknown): Promise<void> {
    ctx.log.error({ err: error, backupId: backup.id, reason }, `backup failed: ${reason}`);
    try {
      await this.backups.markFailed(backup, reason);
    } catch (recordError) {
      ctx.log.error({ err: recordError }, 'could not record the backup failure');
    }
    await this.publish(ctx, backup.id, 'failed', 'skipped', reason);
  }

  private async deleteObject(key: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: key }));
  }

  private lastAttempt(job: Job): boolean {
    return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  }

  private async publish(
    ctx: Ctx,
    backupId: string,
    status: 'running' | 'succeeded' | 'failed',
    validation: 'pending' | 'passed' | 'failed' | 'skipped',
    message: string | null,
  ): Promise<void> {
    try {
      await this.publisher.publish(
        ctx.deployment.tenantId,
        {
          type: 'deployment.backup',
          deploymentId: ctx.deployment.id,
          planId: ctx.deployment.planId,
          backupId,
          status,
          validation,
          message,
        },
        ctx.requestId,
      );
    } catch (error) {
      // The row is the truth; the panel's next read shows it.
      ctx.log.warn({ err: error }, 'could not publish a backup event');
    }
  }
}

import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import {
  type TBackupResponse,
  type TListBackupsResponse,
  ZBackupBusyDetails,
  ZBackupResponse,
  ZListBackupsResponse,
} from '@elasticdash/contracts/deployer/backups';
import type { RealtimePublisher } from '@elasticdash/service-kit/realtime-publisher';
import type { TTenantContext } from '@elasticdash/service-kit/access';
import { AppError, conflict, notFound, serviceUnavailable } from '@elasticdash/service-kit/errors';
import { respond } from '@elasticdash/service-kit/validation';
import { Transactions } from '../db/database.js';
import { type DeploymentRow, DeploymentsRepository } from '../deployments/deployments.repository.js';
import { NOT_DEPLOYED } from '../deployments/deployments.service.js';
import { REALTIME } from '../infra/status-events.js';
import { toBackup } from './backups.mapper.js';
import { BackupsQueue } from './backups.queue.js';
import { type BackupRow, BackupsRepository } from './backups.repository.js';

/** The list shows this many backups (the newest; expired ones stay as history). */
const LIST_LIMIT = 100;
/**
 * A backup still `running` after this long has lost its worker (a dump retried by BullMQ renews
 * nothing here): it is failed so that it no longer blocks "back up now".
 */
const STALE_AFTER_MS = 6 * 3600 * 1000;

/** 409 `backup_running`: a backup of this deployment is in progress. */
export function backupRunning(running: BackupRow): AppError {
  return new AppError(
    HttpStatus.CONFLICT,
    'backup_running',
    `A ${running.trigger} backup of this deployment is already running (backup ${running.id}, started at ${running.startedAt.toISOString()}); wait for it to finish`,
    ZBackupBusyDetails.parse({ backup: toBackup(running) }),
  );
}

function notRunning(deployment: DeploymentRow): AppError {
  if (deployment.state === 'destroyed') {
    return conflict('This deployment was destroyed; deploy the plan again before backing it up');
  }
  const why = deployment.reason ? ` (${deployment.reason})` : '';
  return conflict(`Backups need a running database; this deployment is ${deployment.state}${why}`);
}

/**
 * Backups of a plan's deployment: lists them with their validation results, and hands "back up
 * now" and "validate again" to the worker (`deployment-backup` queue). The worker records the
 * outcome in the row and publishes `deployment.backup`.
 */
@Injectable()
export class BackupsService {
  private readonly logger = new Logger('BackupsService');

  constructor(
    private readonly transactions: Transactions,
    private readonly deployments: DeploymentsRepository,
    private readonly backups: BackupsRepository,
    private readonly queue: BackupsQueue,
    @Inject(REALTIME) private readonly realtime: RealtimePublisher,
  ) {}

  async list(ctx: TTenantContext, planId: string): Promise<TListBackupsResponse> {
    const deployment = await this.deployments.findByPlan(ctx.tenantId, planId);
    if (!deployment) throw notFound(NOT_DEPLOYED);
    const rows = await this.backups.list(ctx.tenantId, deployment.id, LIST_LIMIT);
    const component = deployment.deployedDocument?.components.find((c) => c.id === deployment.componentId);
    const b = component?.backups;
    return respond(ZListBackupsResponse, {
      backups: rows.map(toBackup),
      schedule: b
        ? {
            enabled: b.enabled,
            cron: b.schedule,
            retentionDays: b.retentionDays,
            validateByRestore: b.validateByRestore,
          }
        : null,
    });
  }

  /** "Back up now": 202 with the running backup; 409 while another runs or when the server is not running. */
  async create(ctx: TTenantContext, planId: string): Promise<TBackupResponse> {
    const { deployment, backup } = await this.transactions.run(async (tx) => {
      // The deployment row lock serialises this with other requests and with the worker's scheduled runs.
      const deployment = await this.deployments.lockByPlan(ctx.tenantId, planId, tx);
      if (!deployment) throw notFound(NOT_DEPLOYED);
      if (deployment.state !== 'running') throw notRunning(deployment);
      if (deployment.target !== 'local') {
        throw conflict(`Backups of the ${deployment.target} target are taken on the server itself, not from here`);
      }
      const stale = await this.backups.failStale(
        ctx.tenantId,
        deployment.id,
        new Date(Date.now() - STALE_AFTER_MS),
        'the backup did not finish (its worker stopped); start a new one',
        tx,
      );
      if (stale.length > 0) this.logger.warn(`failed ${stale.length} stale running backup(s) of ${deployment.id}`);
      const running = await this.backups.running(ctx.tenantId, deployment.id, tx);
      if (running) throw backupRunning(running);
      return { deployment, backup: await this.backups.insertManual(ctx.tenantId, deployment.id, tx) };
    });
    await this.publish(deployment, backup, ctx.requestId);
    try {
      await this.queue.backup({
        tenantId: ctx.tenantId,
        deploymentId: deployment.id,
        backupId: backup.id,
        trigger: 'manual',
        requestId: ctx.requestId,
      });
    } catch (error) {
      this.logger.error(
        `could not enqueue backup ${backup.id}: ${error instanceof Error ? error.message : String(error)}`,
      );
      const failed = await this.backups.fail(
        ctx.tenantId,
        backup.id,
        'The backup could not be queued; try again shortly',
      );
      if (failed) await this.publish(deployment, failed, ctx.requestId);
      throw serviceUnavailable('The backup queue is unavailable; the backup was not started. Try again shortly');
    }
    this.logger.log(`backup ${backup.id} of deployment ${deployment.id} requested by ${ctx.userId}`);
    return respond(ZBackupResponse, { backup: toBackup(backup) });
  }

  /** Restores a stored backup into a scratch database again and compares the row counts. */
  async validate(ctx: TTenantContext, planId: string, backupId: string): Promise<TBackupResponse> {
    const deployment = await this.deployments.findByPlan(ctx.tenantId, planId);
    if (!deployment) throw notFound(NOT_DEPLOYED);
    const backup = await this.backups.find(ctx.tenantId, deployment.id, backupId);
    if (!backup) throw notFound('This deployment has no such backup');
    if (backup.status !== 'succeeded' || !backup.objectKey) {
      throw conflict(
        backup.status === 'running'
          ? 'This backup is still running; it is validated when it finishes'
          : `This backup failed (${backup.error ?? 'no reason recorded'}); there is nothing to validate`,
      );
    }
    if (backup.expiredAt) throw conflict('Retention deleted this backup; there is nothing left to validate');
    if (deployment.state !== 'running') throw notRunning(deployment);
    const pending = await this.backups.setValidation(ctx.tenantId, backup.id, {
      validation: 'pending',
      validationDetails: null,
      validatedAt: null,
    });
    if (!pending) throw notFound('This deployment has no such backup');
    await this.publish(deployment, pending, ctx.requestId);
    try {
      await this.queue.validate({
        tenantId: ctx.tenantId,
        deploymentId: deployment.id,
        backupId: backup.id,
        trigger: backup.trigger,
        requestId: ctx.requestId,
      });
    } catch (error) {
      this.logger.error(
        `could not enqueue the validation of ${backup.id}: ${error instanceof Error ? error.message : String(error)}`,
      );
      const restored = await this.backups.setValidation(ctx.tenantId, backup.id, {
        validation: backup.validation,
        validationDetails: backup.validationDetails,
        validatedAt: backup.validatedAt,
      });
      if (restored) await this.publish(deployment, restored, ctx.requestId);
      throw serviceUnavailable('The backup queue is unavailable; the validation was not started. Try again shortly');
    }
    return respond(ZBackupResponse, { backup: toBackup(pending) });
  }

  private async publish(deployment: DeploymentRow, backup: BackupRow, requestId: string | null): Promise<void> {
    try {
      await this.realtime.publish(
        deployment.tenantId,
        {
          type: 'deployment.backup',
          deploymentId: deployment.id,
          planId: deployment.planId,
          backupId: backup.id,
          status: backup.status,
          validation: backup.validation,
          message: backup.error,
        },
        requestId,
      );
    } catch (error) {
      this.logger.warn(
        `could not publish deployment.backup: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}

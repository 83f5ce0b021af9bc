import {
  BACKUP_JOB_NAMES,
  BACKUP_JOB_OPTIONS,
  DeployerQueues,
  type TDeploymentBackupJob,
} from '@elasticdash/contracts/deployer/jobs';
import type { TCsJsonDocument } from '@elasticdash/contracts/plans/cs-json';
import { cronScheduleProblem } from '@elasticdash/contracts/plans/cs-json';
import { findPostgresComponent } from '@elasticdash/pg-knowledge/deploy/desired-config';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/** The job scheduler id of a deployment's backups (one repeatable job per deployment). */
export function backupSchedulerId(deploymentId: string): string {
  return `backup:${deploymentId}`;
}

export type BackupScheduleOutcome =
  { scheduled: true; cron: string } | { scheduled: false; reason: 'disabled' | 'invalid-cron'; removed: boolean };

/**
 * Adds, changes or removes the repeatable backup job of a deployment on `DeployerQueues.backups`
 * from the plan's `backups` (cron in UTC). Called after every deploy / re-deploy, so a changed
 * schedule or disabled backups take effect with the deploy, and on destroy.
 */
export class BackupScheduler {
  private readonly queue: Queue<TDeploymentBackupJob>;

  constructor(connection: Redis, prefix: string) {
    this.queue = new Queue<TDeploymentBackupJob>(DeployerQueues.backups, { connection, prefix });
  }

  async sync(
    tenantId: string,
    deploymentId: string,
    document: TCsJsonDocument | null,
    componentId: string,
  ): Promise<BackupScheduleOutcome> {
    const backups = document ? findPostgresComponent(document, componentId)?.backups : undefined;
    if (!backups?.enabled) {
      return { scheduled: false, reason: 'disabled', removed: await this.remove(deploymentId) };
    }
    // Plans are validated before a deploy; this only guards against a document that was not.
    if (cronScheduleProblem(backups.schedule)) {
      return { scheduled: false, reason: 'invalid-cron', removed: await this.remove(deploymentId) };
    }
    await this.queue.upsertJobScheduler(
      backupSchedulerId(deploymentId),
      { pattern: backups.schedule, tz: 'UTC' },
      {
        name: BACKUP_JOB_NAMES.backup,
        data: { tenantId, deploymentId, backupId: null, trigger: 'schedule', requestId: null },
        opts: BACKUP_JOB_OPTIONS,
      },
    );
    return { scheduled: true, cron: backups.schedule };
  }

  async exists(deploymentId: string): Promise<boolean> {
    return (await this.queue.getJobScheduler(backupSchedulerId(deploymentId))) !== undefined;
  }

  async remove(deploymentId: string): Promise<boolean> {
    return this.queue.removeJobScheduler(backupSchedulerId(deploymentId));
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

import { INGEST_JOB_NAME, INGEST_JOB_OPTIONS, type TDatasetIngestJob } from '@elasticdash/contracts/datasets/jobs';
import {
  BACKUP_JOB_NAMES,
  BACKUP_JOB_OPTIONS,
  OPERATION_JOB_OPTIONS,
  operationJobName,
  type TDeploymentBackupJob,
  type TDeploymentOperationJob,
} from '@elasticdash/contracts/deployer/jobs';
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { BackupScheduler } from '../backups/backup-scheduler.js';
import type { MonitorScheduler } from '../deploy/monitor-scheduler.js';
import type { RecoveryRepository } from './recovery.repository.js';

export interface ReconcileResult {
  ingestsRequeued: number;
  operationsRequeued: number;
  monitorsRestored: number;
  backupSchedulesRestored: number;
  backupsRequeued: number;
  /** Rows still active whose job BullMQ gave up on (reported, not requeued: see docs/reliability.md). */
  failedJobs: number;
}

export interface ReconcilerQueues {
  ingest: Queue<TDatasetIngestJob>;
  operations: Queue<TDeploymentOperationJob>;
  backups: Queue<TDeploymentBackupJob>;
}

/** Where the deploy workers run (they need the secrets key): monitors and backup schedules. */
export interface ReconcilerSchedulers {
  monitors: MonitorScheduler;
  backups: BackupScheduler;
}

/**
 * Redis here keeps nothing on disk, and even a persistent one can lose the last second: a job
 * whose row says queued/running but that BullMQ no longer has would wait forever. The reconciler
 * re-adds such jobs with the same id and options as the producer (a no-op when the job exists,
 * so several workers may run it at once), and restores missing monitor schedules. Handlers are
 * idempotent (advisory locks, steps_done, per-version staging tables), so a job that was not
 * lost after all is at worst looked at twice.
 */
export class JobReconciler {
  constructor(
    private readonly repository: RecoveryRepository,
    private readonly queues: ReconcilerQueues,
    private readonly schedulers: ReconcilerSchedulers | null,
    private readonly logger: Logger,
    private readonly graceMs: number,
  ) {}

  async reconcileOnce(): Promise<ReconcileResult> {
    const result: ReconcileResult = {
      ingestsRequeued: 0,
      operationsRequeued: 0,
      monitorsRestored: 0,
      backupSchedulesRestored: 0,
      backupsRequeued: 0,
      failedJobs: 0,
    };
    if (await this.repository.hasTable('datasets.ingests')) {
      for (const ingest of await this.repository.activeIngests(this.graceMs)) {
        const state = await this.stateOf(this.queues.ingest, ingest.id);
        if (state === 'failed') result.failedJobs++;
        if (state !== 'missing') continue;
        await this.queues.ingest.add(
          INGEST_JOB_NAME,
          {
            tenantId: ingest.tenantId,
            datasetId: ingest.datasetId,
            ingestId: ingest.id,
            requestId: ingest.requestId,
          },
          { jobId: ingest.id, ...INGEST_JOB_OPTIONS },
        );
        result.ingestsRequeued++;
        this.logger.warn(
          { ingestId: ingest.id, tenantId: ingest.tenantId },
          'ingest job was missing from the queue; re-enqueued',
        );
      }
    }
    if (await this.repository.hasTable('deployer.operations')) {
      for (const op of await this.repository.activeOperations(this.graceMs)) {
        const state = await this.stateOf(this.queues.operations, op.id);
        if (state === 'failed') result.failedJobs++;
        if (state !== 'missing') continue;
        await this.queues.operations.add(
          operationJobName(op.kind),
          { tenantId: op.tenantId, deploymentId: op.deploymentId, operationId: op.id, requestId: op.requestId },
          { jobId: op.id, ...OPERATION_JOB_OPTIONS },
        );
        result.operationsRequeued++;
        this.logger.warn(
          { operationId: op.id, deploymentId: op.deploymentId, tenantId: op.tenantId },
          'deploy operation job was missing from the queue; re-enqueued',
        );
      }
      if (this.schedulers) {
        const { monitors, backups } = this.schedulers;
        for (const deployment of await this.repository.monitoredDeployments()) {
          if (!(await monitors.exists(deployment.id))) {
            await monitors.upsert(deployment.tenantId, deployment.id);
            result.monitorsRestored++;
            this.logger.warn({ deploymentId: deployment.id }, 'deployment monitor schedule was missing; restored');
          }
          if (await backups.exists(deployment.id)) continue;
          const outcome = await backups.sync(
            deployment.tenantId,
            deployment.id,
            deployment.deployedDocument,
            deployment.componentId,
          );
          if (outcome.scheduled) {
            result.backupSchedulesRestored++;
            this.logger.warn({ deploymentId: deployment.id }, 'backup schedule was missing; restored');
          }
        }
      }
    }
    if (await this.repository.hasTable('deployer.backups')) {
      for (const backup of await this.repository.runningBackups(this.graceMs)) {
        const state = await this.stateOf(this.queues.backups, backup.id);
        if (state === 'failed') result.failedJobs++;
        if (state !== 'missing') continue;
        // The processor continues a row that is still running (dump, upload, validation).
        await this.queues.backups.add(
          BACKUP_JOB_NAMES.backup,
          {
            tenantId: backup.tenantId,
            deploymentId: backup.deploymentId,
            backupId: backup.id,
            trigger: backup.trigger,
            requestId: null,
          },
          { jobId: backup.id, ...BACKUP_JOB_OPTIONS },
        );
        result.backupsRequeued++;
        this.logger.warn(
          { backupId: backup.id, deploymentId: backup.deploymentId },
          'backup job was missing; re-enqueued',
        );
      }
    }
    if (result.failedJobs > 0) {
      this.logger.warn({ failedJobs: result.failedJobs }, 'jobs failed in BullMQ while their rows are still active');
    }
    return result;
  }

  private async stateOf(queue: Queue, jobId: string): Promise<'missing' | 'failed' | 'present'> {
    const job = await queue.getJob(jobId);
    if (!job) return 'missing';
    return (await job.getState()) === 'failed' ? 'failed' : 'present';
  }
}

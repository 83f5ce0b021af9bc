import { DeployerQueues, type TDeploymentBackupJob } from '@elasticdash/contracts/deployer/jobs';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { BackupProcessor, BackupResult } from './backup.processor.js';

export interface BackupWorkerOptions {
  redisUrl: string;
  prefix: string;
  concurrency: number;
  closeTimeoutMs: number;
}

/**
 * The BullMQ consumer of `deployment-backup`. A backup killed mid-way is re-delivered (stalled
 * job) and starts its dump again under the same backup row and object key.
 */
export class BackupWorker {
  private readonly connection: Redis;
  private readonly worker: Worker<TDeploymentBackupJob, BackupResult>;

  constructor(
    processor: BackupProcessor,
    private readonly options: BackupWorkerOptions,
    private readonly logger: Logger,
  ) {
    this.connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null, connectionName: 'worker-backup' });
    this.connection.on('error', (error) => logger.warn({ err: error }, 'bullmq redis connection error'));
    this.worker = new Worker<TDeploymentBackupJob, BackupResult>(
      DeployerQueues.backups,
      (job) => processor.process(job),
      {
        connection: this.connection,
        concurrency: options.concurrency,
        prefix: options.prefix,
        // A dump holds its lock for minutes; BullMQ renews it while the job runs.
        lockDuration: 60_000,
        maxStalledCount: 2,
      },
    );
    this.worker.on('error', (error) =>
      logger.error({ err: error, queue: DeployerQueues.backups }, 'bullmq worker error'),
    );
    this.worker.on('failed', (job, error) =>
      logger.warn(
        { jobId: job?.id, deploymentId: job?.data.deploymentId, backupId: job?.data.backupId, err: error.message },
        'backup job failed',
      ),
    );
  }

  async close(): Promise<void> {
    const closing = this.worker.close();
    const timedOut = await Promise.race([
      closing.then(() => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(true), this.options.closeTimeoutMs).unref()),
    ]);
    if (timedOut) {
      // Left behind, the backup's job stalls and is re-delivered to the next worker, which starts it again.
      this.logger.warn(
        { timeoutMs: this.options.closeTimeoutMs },
        'backups still running; leaving them to the next worker',
      );
      await Promise.race([this.worker.close(true), new Promise((resolve) => setTimeout(resolve, 3_000).unref())]);
    }
    this.connection.disconnect();
  }
}

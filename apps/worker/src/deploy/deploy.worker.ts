import {
  DeployerQueues,
  type TDeploymentMonitorJob,
  type TDeploymentOperationJob,
} from '@elasticdash/contracts/deployer/jobs';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { MonitorProcessor, MonitorResult } from '../monitor/monitor.processor.js';
import type { DeployProcessor, DeployResult } from './deploy.processor.js';

export interface DeployWorkerOptions {
  redisUrl: string;
  prefix: string;
  concurrency: number;
  lockDurationMs: number;
  /** How long close() may wait for active operations before cancelling them (they resume elsewhere). */
  closeTimeoutMs: number;
}

/**
 * The BullMQ consumers of `plan-deploy` (deploy / re-deploy / destroy operations) and
 * `deployment-monitor`. Closing waits for active operations up to the bound, then cancels them:
 * a cancelled operation stops between two steps and goes back to the queue, where the next worker
 * resumes it at the first step not done.
 */
export class DeployWorkers {
  private readonly connection: Redis;
  private readonly operations: Worker<TDeploymentOperationJob, DeployResult>;
  private readonly monitor: Worker<TDeploymentMonitorJob, MonitorResult>;

  constructor(
    deploy: DeployProcessor,
    monitor: MonitorProcessor,
    private readonly options: DeployWorkerOptions,
    private readonly logger: Logger,
  ) {
    this.connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null, connectionName: 'worker-deploy' });
    this.connection.on('error', (error) => logger.warn({ err: error }, 'bullmq redis connection error'));
    this.operations = new Worker<TDeploymentOperationJob, DeployResult>(
      DeployerQueues.operations,
      (job, token, signal) => deploy.process(job, token, signal),
      {
        connection: this.connection,
        concurrency: options.concurrency,
        prefix: options.prefix,
        lockDuration: options.lockDurationMs,
        stalledInterval: options.lockDurationMs,
        // Operations are resumable: a job whose worker died is re-delivered, even several times.
        maxStalledCount: 5,
      },
    );
    this.monitor = new Worker<TDeploymentMonitorJob, MonitorResult>(
      DeployerQueues.monitor,
      (job) => monitor.process(job),
      { connection: this.connection, concurrency: 4, prefix: options.prefix },
    );
    for (const worker of [this.operations, this.monitor]) {
      worker.on('error', (error) => logger.error({ err: error, queue: worker.name }, 'bullmq worker error'));
    }
    this.operations.on('failed', (job, error) =>
      logger.info({ jobId: job?.id, requestId: job?.data.requestId, err: error.message }, 'deploy job failed'),
    );
    this.monitor.on('failed', (job, error) =>
      logger.warn({ jobId: job?.id, deploymentId: job?.data.deploymentId, err: error.message }, 'monitor job failed'),
    );
  }

  async close(): Promise<void> {
    const closing = Promise.all([this.operations.close(), this.monitor.close()]);
    const timedOut = await Promise.race([
      closing.then(() => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(true), this.options.closeTimeoutMs).unref()),
    ]);
    if (timedOut) {
      this.logger.warn(
        { timeoutMs: this.options.closeTimeoutMs },
        'active deploy operations still running; cancelling them',
      );
      this.operations.cancelAllJobs('worker shutting down');
      this.monitor.cancelAllJobs('worker shutting down');
      await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, 3_000).unref())]);
    }
    this.connection.disconnect();
  }
}

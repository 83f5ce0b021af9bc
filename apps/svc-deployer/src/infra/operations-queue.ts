import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import {
  DEPLOY_JOB_NAMES,
  DeployerQueues,
  type TDeploymentOperationJob,
  ZDeploymentOperationJob,
} from '@elasticdash/contracts/deployer/jobs';
import type { TOperationKind } from '@elasticdash/contracts/deployer/deployment';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { DEPLOYER_ENV, type TDeployerEnv } from '../env.js';

/**
 * A request never waits longer than this for Redis. Should a timed-out add land later anyway,
 * its operation is already marked failed and the worker skips operations that are not queued.
 */
const ENQUEUE_TIMEOUT_MS = 5_000;

/** Deploy and re-deploy share `plan.deploy` (the worker tells them apart by the operation kind). */
export function jobNameFor(kind: TOperationKind): string {
  return kind === 'destroy' ? DEPLOY_JOB_NAMES.destroy : DEPLOY_JOB_NAMES.deploy;
}

/**
 * Producer side of the `plan-deploy` queue. It has its own Redis connection: the shared one
 * fails fast without an offline queue, which suits requests but not BullMQ's start-up.
 */
@Injectable()
export class OperationsQueue implements OnApplicationShutdown {
  private readonly connection: Redis;
  private readonly queue: Queue<TDeploymentOperationJob>;

  constructor(@Inject(DEPLOYER_ENV) env: TDeployerEnv) {
    this.connection = new Redis(env.REDIS_URL, {
      connectionName: 'svc-deployer-queue',
      maxRetriesPerRequest: 2,
      connectTimeout: 2_000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    });
    this.connection.on('error', () => undefined);
    this.queue = new Queue<TDeploymentOperationJob>(DeployerQueues.operations, {
      connection: this.connection,
      prefix: env.BULLMQ_PREFIX,
    });
    this.queue.on('error', () => undefined);
  }

  /**
   * Enqueues the operation once: the job id is the operation id, so a repeated add is a no-op.
   * Steps are idempotent and resumable, so BullMQ's retries pick up where the last run stopped.
   */
  async enqueue(kind: TOperationKind, job: TDeploymentOperationJob): Promise<void> {
    const data = ZDeploymentOperationJob.parse(job);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`queue add timed out after ${ENQUEUE_TIMEOUT_MS} ms`)),
        ENQUEUE_TIMEOUT_MS,
      );
    });
    try {
      await Promise.race([
        this.queue.add(jobNameFor(kind), data, {
          jobId: data.operationId,
          attempts: 3,
          backoff: { type: 'exponential', delay: 5_000 },
          removeOnComplete: { count: 1_000, age: 7 * 24 * 3600 },
          removeOnFail: { count: 5_000, age: 30 * 24 * 3600 },
        }),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close().catch(() => undefined);
    this.connection.disconnect();
  }
}

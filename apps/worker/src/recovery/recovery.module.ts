import { Inject, Module, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Queues, type TDatasetIngestJob } from '@elasticdash/contracts/datasets/jobs';
import {
  DeployerQueues,
  type TDeploymentBackupJob,
  type TDeploymentOperationJob,
} from '@elasticdash/contracts/deployer/jobs';
import { PG_POOL } from '@elasticdash/service-kit/postgres';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type pg from 'pg';
import type { Logger } from 'pino';
import { BackupScheduler } from '../backups/backup-scheduler.js';
import { MonitorScheduler } from '../deploy/monitor-scheduler.js';
import { WORKER_ENV, WORKER_LOGGER, type TWorkerEnv } from '../env.js';
import { JobReconciler } from './job-reconciler.js';
import { RecoveryRepository } from './recovery.repository.js';

/** Runs the job reconciler every RECOVERY_INTERVAL_MS (first pass soon after start). */
@Module({})
export class RecoveryModule implements OnApplicationBootstrap, OnModuleDestroy {
  private connection: Redis | null = null;
  private queues: Queue[] = [];
  private schedulers: { monitors: MonitorScheduler; backups: BackupScheduler } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    @Inject(WORKER_ENV) private readonly env: TWorkerEnv,
    @Inject(WORKER_LOGGER) private readonly logger: Logger,
    @Inject(PG_POOL) private readonly pool: pg.Pool,
  ) {}

  onApplicationBootstrap(): void {
    const connection = new Redis(this.env.REDIS_URL, { maxRetriesPerRequest: null, connectionName: 'worker-recovery' });
    connection.on('error', (error) => this.logger.debug({ err: error }, 'recovery redis error'));
    this.connection = connection;
    const prefix = this.env.BULLMQ_PREFIX;
    const ingest = new Queue<TDatasetIngestJob>(Queues.datasetIngest, { connection, prefix });
    const operations = new Queue<TDeploymentOperationJob>(DeployerQueues.operations, { connection, prefix });
    const backups = new Queue<TDeploymentBackupJob>(DeployerQueues.backups, { connection, prefix });
    this.queues = [ingest, operations, backups];
    for (const queue of this.queues) queue.on('error', () => undefined);
    // Monitors and backups only run where the deploy workers run (they need the secrets key).
    this.schedulers = this.env.secretsKeyring
      ? {
          monitors: new MonitorScheduler(connection, prefix, this.env.MONITOR_INTERVAL_MS),
          backups: new BackupScheduler(connection, prefix),
        }
      : null;
    const reconciler = new JobReconciler(
      new RecoveryRepository(this.pool),
      { ingest, operations, backups },
      this.schedulers,
      this.logger.child({ component: 'job-reconciler' }),
      this.env.RECOVERY_GRACE_MS,
    );
    const pass = () => {
      if (this.running) return;
      this.running = reconciler
        .reconcileOnce()
        .then((result) => {
          const { failedJobs: _failed, ...restored } = result;
          if (Object.values(restored).some((count) => count > 0)) {
            this.logger.info(result, 'job reconciler restored lost jobs');
          }
        })
        // Redis or Postgres down: readiness reports it; the next pass tries again.
        .catch((error: unknown) => this.logger.warn({ err: error }, 'job reconciler pass failed'))
        .finally(() => {
          this.running = null;
        });
    };
    this.timer = setInterval(pass, this.env.RECOVERY_INTERVAL_MS);
    this.timer.unref();
    setTimeout(pass, Math.min(2_000, this.env.RECOVERY_INTERVAL_MS)).unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
    await this.schedulers?.monitors.close().catch(() => undefined);
    await this.schedulers?.backups.close().catch(() => undefined);
    await Promise.all(this.queues.map((queue) => queue.close().catch(() => undefined)));
    this.connection?.disconnect();
  }
}

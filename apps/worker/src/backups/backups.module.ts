import type { S3Client } from '@aws-sdk/client-s3';
import { Inject, Module, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { createPool } from '@elasticdash/db/pool';
import { createRealtimePublisher } from '@elasticdash/service-kit/realtime-publisher';
import { REDIS } from '@elasticdash/service-kit/redis';
import { Redis } from 'ioredis';
import type pg from 'pg';
import type { Logger } from 'pino';
import { DeployRepository } from '../deploy/deploy.repository.js';
import { detectPgBinDir } from '../deploy/local-target.js';
import { WORKER_ENV, WORKER_LOGGER, type TWorkerEnv } from '../env.js';
import { S3_CLIENT } from '../s3.module.js';
import { BackupScheduler } from './backup-scheduler.js';
import { BackupProcessor } from './backup.processor.js';
import { BackupRepository } from './backup.repository.js';
import { BackupWorker } from './backup.worker.js';

/**
 * Owns the `deployment-backup` consumer (backups, validation by restore, retention). Like the
 * deploy workers it needs svc-deployer's secrets master key (the admin passwords); without one it
 * is not started and the jobs wait for a worker that has it.
 */
@Module({})
export class BackupsModule implements OnApplicationBootstrap, OnModuleDestroy {
  private pool: pg.Pool | null = null;
  private worker: BackupWorker | null = null;
  private scheduler: BackupScheduler | null = null;
  private connection: Redis | null = null;

  constructor(
    @Inject(WORKER_ENV) private readonly env: TWorkerEnv,
    @Inject(WORKER_LOGGER) private readonly logger: Logger,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(S3_CLIENT) private readonly s3: S3Client,
  ) {}

  onApplicationBootstrap(): void {
    const keyring = this.env.secretsKeyring;
    if (!keyring) {
      this.logger.warn(
        'backup worker NOT started: set SECRETS_MASTER_KEY and SECRETS_MASTER_KEY_ID (svc-deployer key)',
      );
      return;
    }
    this.pool = createPool({
      connectionString: this.env.DATABASE_URL,
      applicationName: 'worker-backup',
      max: 3,
      statementTimeoutMs: 30_000,
      connectionTimeoutMs: 10_000,
    });
    const repository = new BackupRepository(this.pool);
    this.connection = new Redis(this.env.REDIS_URL, {
      maxRetriesPerRequest: null,
      connectionName: 'worker-backup-scheduler',
    });
    this.connection.on('error', (error) => this.logger.warn({ err: error }, 'backup scheduler redis error'));
    const scheduler = new BackupScheduler(this.connection, this.env.BULLMQ_PREFIX);
    this.scheduler = scheduler;
    let binDir: string | null = null;
    const processor = new BackupProcessor(
      repository,
      new DeployRepository(this.pool),
      this.s3,
      createRealtimePublisher(this.redis),
      keyring,
      this.logger,
      {
        bucket: this.env.S3_BUCKET,
        binDir: () => (binDir ??= detectPgBinDir(this.env.PG_BIN_DIR)),
      },
      (id) => scheduler.remove(id),
    );
    this.worker = new BackupWorker(
      processor,
      {
        redisUrl: this.env.REDIS_URL,
        prefix: this.env.BULLMQ_PREFIX,
        // One dump at a time per worker process: pg_dump and pg_restore are CPU and disk heavy.
        concurrency: 1,
        closeTimeoutMs: Math.max(500, this.env.SHUTDOWN_TIMEOUT_MS - this.env.SHUTDOWN_GRACE_MS - 4_000),
      },
      this.logger,
    );
    this.logger.info({ bucket: this.env.S3_BUCKET }, 'backup worker started');
    void this.reconcile(repository, scheduler);
  }

  /**
   * Deploys schedule backups as they finish; this catches up deployments made before, or whose
   * schedule could not be written then (Redis down at that moment).
   */
  private async reconcile(repository: BackupRepository, scheduler: BackupScheduler): Promise<void> {
    try {
      const deployments = await repository.scheduledCandidates();
      let scheduled = 0;
      for (const d of deployments) {
        const outcome = await scheduler.sync(d.tenantId, d.id, d.deployedDocument, d.componentId);
        if (outcome.scheduled) scheduled++;
      }
      if (deployments.length > 0)
        this.logger.info({ deployments: deployments.length, scheduled }, 'backup schedules synced');
    } catch (error) {
      this.logger.error({ err: error }, 'could not sync the backup schedules');
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
    await this.scheduler?.close().catch(() => undefined);
    this.connection?.disconnect();
    if (this.worker) this.logger.info('backup worker closed');
    await this.pool?.end();
  }
}

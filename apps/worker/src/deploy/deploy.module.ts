import { Inject, Module, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { createPool } from '@elasticdash/db/pool';
import { REDIS } from '@elasticdash/service-kit/redis';
import { createRealtimePublisher } from '@elasticdash/service-kit/realtime-publisher';
import { Redis } from 'ioredis';
import type pg from 'pg';
import type { Logger } from 'pino';
import { WORKER_ENV, WORKER_LOGGER, type TWorkerEnv } from '../env.js';
import { BackupScheduler } from '../backups/backup-scheduler.js';
import { MonitorProcessor } from '../monitor/monitor.processor.js';
import { AwsTarget, testHostAwsOptions } from './aws/aws-target.js';
import { DeployProcessor } from './deploy.processor.js';
import { DeployRepository } from './deploy.repository.js';
import { DeployWorkers } from './deploy.worker.js';
import { LocalTarget } from './local-target.js';
import { MonitorScheduler } from './monitor-scheduler.js';

export const DEPLOY_POOL = Symbol('DEPLOY_POOL');

/**
 * Owns the deployer consumers (plan.deploy / plan.destroy on the local target, and the monitors).
 * They need svc-deployer's secrets master key; without one (SECRETS_MASTER_KEY unset) they are not
 * started and the jobs wait for a worker that has it.
 */
@Module({
  providers: [
    {
      provide: DEPLOY_POOL,
      inject: [WORKER_ENV],
      useFactory: (env: TWorkerEnv): pg.Pool =>
        createPool({
          connectionString: env.DATABASE_URL,
          applicationName: 'worker-deploy',
          // Per operation: the advisory-lock session + a step transaction; the monitors share the rest.
          max: env.DEPLOY_CONCURRENCY * 2 + 3,
          statementTimeoutMs: 30_000,
          connectionTimeoutMs: 10_000,
        }),
    },
  ],
})
export class DeployModule implements OnApplicationBootstrap, OnModuleDestroy {
  private workers: DeployWorkers | null = null;
  private scheduler: MonitorScheduler | null = null;
  private backupScheduler: BackupScheduler | null = null;
  private schedulerConnection: Redis | null = null;

  constructor(
    @Inject(WORKER_ENV) private readonly env: TWorkerEnv,
    @Inject(WORKER_LOGGER) private readonly logger: Logger,
    @Inject(DEPLOY_POOL) private readonly pool: pg.Pool,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  onApplicationBootstrap(): void {
    const keyring = this.env.secretsKeyring;
    if (!keyring) {
      this.logger.warn(
        'plan.deploy / monitor workers NOT started: set SECRETS_MASTER_KEY (or SECRETS_MASTER_KEY_FILE) and SECRETS_MASTER_KEY_ID, the key of svc-deployer',
      );
      return;
    }
    const repository = new DeployRepository(this.pool);
    const local = new LocalTarget({
      root: this.env.DEPLOY_LOCAL_ROOT,
      portRange: this.env.DEPLOY_LOCAL_PORT_RANGE,
      listenAddresses: this.env.DEPLOY_LOCAL_LISTEN_ADDRESSES,
      binDir: this.env.PG_BIN_DIR,
    });
    let binDir = '(not found)';
    try {
      binDir = local.binDir;
    } catch (error) {
      this.logger.error({ err: error }, 'no PostgreSQL binaries for the local target; local deploys will fail');
    }
    const publisher = createRealtimePublisher(this.redis);
    this.schedulerConnection = new Redis(this.env.REDIS_URL, {
      maxRetriesPerRequest: null,
      connectionName: 'worker-deploy-scheduler',
    });
    this.schedulerConnection.on('error', (error) => this.logger.warn({ err: error }, 'scheduler redis error'));
    this.scheduler = new MonitorScheduler(
      this.schedulerConnection,
      this.env.BULLMQ_PREFIX,
      this.env.MONITOR_INTERVAL_MS,
    );
    this.backupScheduler = new BackupScheduler(this.schedulerConnection, this.env.BULLMQ_PREFIX);
    const emulatorUrl = this.env.DEPLOY_AWS_EMULATOR_URL;
    const aws = new AwsTarget(
      repository,
      keyring,
      emulatorUrl
        ? testHostAwsOptions({
            emulatorUrl,
            s3Endpoint: this.env.S3_ENDPOINT,
            s3Region: this.env.S3_REGION,
            s3Credentials:
              this.env.S3_ACCESS_KEY_ID && this.env.S3_SECRET_ACCESS_KEY
                ? { accessKeyId: this.env.S3_ACCESS_KEY_ID, secretAccessKey: this.env.S3_SECRET_ACCESS_KEY }
                : null,
          })
        : {},
    );
    if (emulatorUrl)
      this.logger.warn({ emulatorUrl }, 'aws target in test-host mode: EC2 calls go to the local emulator');
    const deploy = new DeployProcessor(
      repository,
      local,
      publisher,
      keyring,
      this.scheduler,
      this.logger,
      { backupRegion: this.env.S3_REGION },
      this.backupScheduler,
      aws,
    );
    const scheduler = this.scheduler;
    const monitor = new MonitorProcessor(
      repository,
      local,
      publisher,
      keyring,
      this.logger,
      (id) => scheduler.remove(id),
      aws,
    );
    const closeTimeoutMs = Math.max(500, this.env.SHUTDOWN_TIMEOUT_MS - this.env.SHUTDOWN_GRACE_MS - 4_000);
    this.workers = new DeployWorkers(
      deploy,
      monitor,
      {
        redisUrl: this.env.REDIS_URL,
        prefix: this.env.BULLMQ_PREFIX,
        concurrency: this.env.DEPLOY_CONCURRENCY,
        lockDurationMs: this.env.DEPLOY_LOCK_DURATION_MS,
        closeTimeoutMs,
      },
      this.logger,
    );
    this.logger.info(
      {
        concurrency: this.env.DEPLOY_CONCURRENCY,
        root: this.env.DEPLOY_LOCAL_ROOT,
        ports: this.env.DEPLOY_LOCAL_PORT_RANGE,
        binDir,
        monitorIntervalMs: this.env.MONITOR_INTERVAL_MS,
      },
      'plan.deploy and monitor workers started',
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.workers?.close();
    await this.scheduler?.close().catch(() => undefined);
    await this.backupScheduler?.close().catch(() => undefined);
    this.schedulerConnection?.disconnect();
    if (this.workers) this.logger.info('plan.deploy and monitor workers closed');
    await this.pool.end();
  }
}

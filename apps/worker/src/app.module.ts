import { Global, Module, type DynamicModule } from '@nestjs/common';
import { HealthModule } from '@elasticdash/service-kit/health';
import { PG_POOL, PostgresModule, postgresHealthCheck } from '@elasticdash/service-kit/postgres';
import { REDIS, RedisModule, redisHealthCheck } from '@elasticdash/service-kit/redis';
import { s3HealthCheck } from '@elasticdash/service-kit/s3';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { Logger } from 'pino';
import { BackupsModule } from './backups/backups.module.js';
import { DeployModule } from './deploy/deploy.module.js';
import { WORKER_ENV, WORKER_LOGGER, type TWorkerEnv } from './env.js';
import { IngestModule } from './ingest/ingest.module.js';
import { RecoveryModule } from './recovery/recovery.module.js';
import { S3_CLIENT, S3Module } from './s3.module.js';

@Global()
@Module({})
class WorkerConfigModule {
  static forRoot(env: TWorkerEnv, logger: Logger): DynamicModule {
    return {
      module: WorkerConfigModule,
      providers: [
        { provide: WORKER_ENV, useValue: env },
        { provide: WORKER_LOGGER, useValue: logger },
      ],
      exports: [WORKER_ENV, WORKER_LOGGER],
    };
  }
}

/**
 * Health endpoints only (:4080); the work is the BullMQ consumers (dataset.ingest; plan.deploy,
 * plan.destroy and the deployment monitors). Ready = Postgres + Redis + S3.
 */
@Module({})
export class AppModule {
  static forRoot(env: TWorkerEnv, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        WorkerConfigModule.forRoot(env, logger),
        PostgresModule.forRoot({ connectionString: env.DATABASE_URL, applicationName: 'worker', max: 4 }),
        RedisModule.forRoot({ url: env.REDIS_URL, connectionName: 'worker' }),
        S3Module,
        HealthModule.forRoot({
          service: 'worker',
          inject: [PG_POOL, REDIS, S3_CLIENT],
          useFactory: (pool: pg.Pool, redis: Redis, s3: S3Client) => [
            postgresHealthCheck(pool),
            redisHealthCheck(redis),
            s3HealthCheck(s3, env.S3_BUCKET),
          ],
        }),
        IngestModule,
        DeployModule,
        BackupsModule,
        RecoveryModule,
      ],
    };
  }
}

import { Module, type DynamicModule } from '@nestjs/common';
import { HealthModule } from '@elasticdash/service-kit/health';
import { InternalAccessModule } from '@elasticdash/service-kit/internal-access.module';
import { PG_POOL, PostgresModule, postgresHealthCheck } from '@elasticdash/service-kit/postgres';
import { REDIS, RedisModule, redisHealthCheck } from '@elasticdash/service-kit/redis';
import { s3HealthCheck } from '@elasticdash/service-kit/s3';
import type { S3Client } from '@aws-sdk/client-s3';
import type pg from 'pg';
import type { Redis } from 'ioredis';
import { DashboardsModule } from './dashboards/dashboards.module.js';
import { DataModule } from './data/data.module.js';
import { DatasetsModule } from './datasets/datasets.module.js';
import { DatabaseModule } from './db/database.js';
import { DATASETS_ENV, type TDatasetsEnv } from './env.js';
import { InfraModule } from './infra/infra.module.js';
import { S3_CLIENT } from './infra/object-storage.js';
import { IngestsModule } from './ingests/ingests.module.js';
import { UploadsModule } from './uploads/uploads.module.js';

@Module({})
class EnvModule {}

@Module({})
export class AppModule {
  static forRoot(env: TDatasetsEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        {
          module: EnvModule,
          global: true,
          providers: [{ provide: DATASETS_ENV, useValue: env }],
          exports: [DATASETS_ENV],
        },
        // Twelve panels of a dashboard query at once; keep headroom for rows and metadata.
        PostgresModule.forRoot({ connectionString: env.DATABASE_URL, applicationName: 'svc-datasets', max: 16 }),
        RedisModule.forRoot({ url: env.REDIS_URL, connectionName: 'svc-datasets' }),
        InternalAccessModule.forRoot({ audience: 'svc-datasets', publicKeys: env.INTERNAL_TOKEN_PUBLIC_KEYS }),
        InfraModule,
        HealthModule.forRoot({
          service: 'svc-datasets',
          inject: [PG_POOL, REDIS, S3_CLIENT],
          useFactory: (pool: pg.Pool, redis: Redis, s3: S3Client) => [
            postgresHealthCheck(pool),
            redisHealthCheck(redis),
            s3HealthCheck(s3, env.S3_BUCKET),
          ],
        }),
        DatabaseModule,
        DatasetsModule,
        UploadsModule,
        IngestsModule,
        DataModule,
        DashboardsModule,
      ],
    };
  }
}

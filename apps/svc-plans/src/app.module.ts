import { Module, type DynamicModule } from '@nestjs/common';
import { HealthModule } from '@elasticdash/service-kit/health';
import { InternalAccessModule } from '@elasticdash/service-kit/internal-access.module';
import { PG_POOL, PostgresModule, postgresHealthCheck } from '@elasticdash/service-kit/postgres';
import { REDIS, RedisModule, redisHealthCheck } from '@elasticdash/service-kit/redis';
import type pg from 'pg';
import type { Redis } from 'ioredis';
import { DatabaseModule } from './db/database.js';
import { PLANS_ENV, type TPlansEnv } from './env.js';
import { PlansModule } from './plans/plans.module.js';
import { RevisionsModule } from './revisions/revisions.module.js';

@Module({})
export class AppModule {
  static forRoot(env: TPlansEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PostgresModule.forRoot({ connectionString: env.DATABASE_URL, applicationName: 'svc-plans' }),
        RedisModule.forRoot({ url: env.REDIS_URL, connectionName: 'svc-plans' }),
        InternalAccessModule.forRoot({ audience: 'svc-plans', publicKeys: env.INTERNAL_TOKEN_PUBLIC_KEYS }),
        HealthModule.forRoot({
          service: 'svc-plans',
          inject: [PG_POOL, REDIS],
          useFactory: (pool: pg.Pool, redis: Redis) => [postgresHealthCheck(pool), redisHealthCheck(redis)],
        }),
        DatabaseModule,
        PlansModule,
        RevisionsModule,
      ],
      providers: [{ provide: PLANS_ENV, useValue: env }],
    };
  }
}

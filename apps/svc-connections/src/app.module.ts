import { Module, type DynamicModule } from '@nestjs/common';
import { HealthModule } from '@elasticdash/service-kit/health';
import { InternalAccessModule } from '@elasticdash/service-kit/internal-access.module';
import { PG_POOL, PostgresModule, postgresHealthCheck } from '@elasticdash/service-kit/postgres';
import { REDIS, RedisModule, redisHealthCheck } from '@elasticdash/service-kit/redis';
import type pg from 'pg';
import type { Redis } from 'ioredis';
import { CONNECTIONS_ENV, type TConnectionsEnv } from './env.js';

@Module({})
export class AppModule {
  static forRoot(env: TConnectionsEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PostgresModule.forRoot({ connectionString: env.DATABASE_URL, applicationName: 'svc-connections' }),
        RedisModule.forRoot({ url: env.REDIS_URL, connectionName: 'svc-connections' }),
        InternalAccessModule.forRoot({ audience: 'svc-connections', publicKeys: env.INTERNAL_TOKEN_PUBLIC_KEYS }),
        HealthModule.forRoot({
          service: 'svc-connections',
          inject: [PG_POOL, REDIS],
          useFactory: (pool: pg.Pool, redis: Redis) => [postgresHealthCheck(pool), redisHealthCheck(redis)],
        }),
        // Feature modules (connections, secrets, catalog, rules, audit, rows, export) land next.
      ],
      providers: [{ provide: CONNECTIONS_ENV, useValue: env }],
    };
  }
}

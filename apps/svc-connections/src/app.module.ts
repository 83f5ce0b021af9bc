import { Module, type DynamicModule } from '@nestjs/common';
import { HealthModule } from '@elasticdash/service-kit/health';
import { InternalAccessModule } from '@elasticdash/service-kit/internal-access.module';
import { PG_POOL, PostgresModule, postgresHealthCheck } from '@elasticdash/service-kit/postgres';
import { REDIS, RedisModule, redisHealthCheck } from '@elasticdash/service-kit/redis';
import type pg from 'pg';
import type { Redis } from 'ioredis';
import { AuditModule } from './audit/audit.module.js';
import { CatalogModule } from './catalog/catalog.module.js';
import { ConnectionsModule } from './connections/connections.module.js';
import { DatabaseModule } from './db/database.js';
import { ConnectionsEnvModule } from './env.module.js';
import { ExportModule } from './export/export.module.js';
import type { TConnectionsEnv } from './env.js';
import { RowsModule } from './rows/rows.module.js';
import { RulesModule } from './rules/rules.module.js';
import { SecretsModule } from './secrets/secrets.module.js';

@Module({})
export class AppModule {
  static forRoot(env: TConnectionsEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConnectionsEnvModule.forRoot(env),
        PostgresModule.forRoot({ connectionString: env.DATABASE_URL, applicationName: 'svc-connections' }),
        RedisModule.forRoot({ url: env.REDIS_URL, connectionName: 'svc-connections' }),
        InternalAccessModule.forRoot({ audience: 'svc-connections', publicKeys: env.INTERNAL_TOKEN_PUBLIC_KEYS }),
        HealthModule.forRoot({
          service: 'svc-connections',
          inject: [PG_POOL, REDIS],
          useFactory: (pool: pg.Pool, redis: Redis) => [postgresHealthCheck(pool), redisHealthCheck(redis)],
        }),
        DatabaseModule,
        // Global modules exporting what the rows engine uses:
        //   SecretsModule → SECRET_STORE; ConnectionsModule → CustomerPools;
        //   CatalogModule → CatalogService; AuditModule → AuditService.
        SecretsModule,
        ConnectionsModule,
        CatalogModule,
        RulesModule,
        AuditModule,
        // Rows engine (src/rows, src/export).
        RowsModule,
        ExportModule,
      ],
    };
  }
}

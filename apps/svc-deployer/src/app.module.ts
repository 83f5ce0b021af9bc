import { Module, type DynamicModule } from '@nestjs/common';
import { HealthModule } from '@elasticdash/service-kit/health';
import { InternalAccessModule } from '@elasticdash/service-kit/internal-access.module';
import { PG_POOL, PostgresModule, postgresHealthCheck } from '@elasticdash/service-kit/postgres';
import { REDIS, RedisModule, redisHealthCheck } from '@elasticdash/service-kit/redis';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { BackupsModule } from './backups/backups.module.js';
import { CredentialsModule } from './credentials/credentials.module.js';
import { DatabaseModule } from './db/database.js';
import { DeploymentsModule } from './deployments/deployments.module.js';
import { DEPLOYER_ENV, type TDeployerEnv } from './env.js';
import { InfraModule } from './infra/infra.module.js';
import { TargetsModule } from './targets/targets.module.js';

@Module({})
class EnvModule {}

@Module({})
export class AppModule {
  static forRoot(env: TDeployerEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        {
          module: EnvModule,
          global: true,
          providers: [{ provide: DEPLOYER_ENV, useValue: env }],
          exports: [DEPLOYER_ENV],
        },
        PostgresModule.forRoot({ connectionString: env.DATABASE_URL, applicationName: 'svc-deployer', max: 10 }),
        RedisModule.forRoot({ url: env.REDIS_URL, connectionName: 'svc-deployer' }),
        InternalAccessModule.forRoot({ audience: 'svc-deployer', publicKeys: env.INTERNAL_TOKEN_PUBLIC_KEYS }),
        HealthModule.forRoot({
          service: 'svc-deployer',
          inject: [PG_POOL, REDIS],
          useFactory: (pool: pg.Pool, redis: Redis) => [postgresHealthCheck(pool), redisHealthCheck(redis)],
        }),
        DatabaseModule,
        InfraModule,
        DeploymentsModule,
        CredentialsModule,
        BackupsModule,
        TargetsModule,
      ],
    };
  }
}

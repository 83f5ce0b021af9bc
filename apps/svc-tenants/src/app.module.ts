import { Module, type DynamicModule } from '@nestjs/common';
import { HealthModule } from '@elasticdash/service-kit/health';
import { InternalAccessModule } from '@elasticdash/service-kit/internal-access.module';
import { PG_POOL, PostgresModule, postgresHealthCheck } from '@elasticdash/service-kit/postgres';
import { REDIS, RedisModule, redisHealthCheck } from '@elasticdash/service-kit/redis';
import type pg from 'pg';
import type { Redis } from 'ioredis';
import { DatabaseModule } from './db/database.js';
import { TENANTS_ENV, type TTenantsEnv } from './env.js';
import { InvitationsModule } from './invitations/invitations.module.js';
import { MembersModule } from './members/members.module.js';
import { MembershipsModule } from './memberships/memberships.module.js';
import { TenantsModule } from './tenants/tenants.module.js';

@Module({})
export class AppModule {
  static forRoot(env: TTenantsEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PostgresModule.forRoot({ connectionString: env.DATABASE_URL, applicationName: 'svc-tenants' }),
        RedisModule.forRoot({ url: env.REDIS_URL, connectionName: 'svc-tenants' }),
        InternalAccessModule.forRoot({ audience: 'svc-tenants', publicKeys: env.INTERNAL_TOKEN_PUBLIC_KEYS }),
        HealthModule.forRoot({
          service: 'svc-tenants',
          inject: [PG_POOL, REDIS],
          useFactory: (pool: pg.Pool, redis: Redis) => [postgresHealthCheck(pool), redisHealthCheck(redis)],
        }),
        DatabaseModule,
        MembershipsModule,
        TenantsModule,
        MembersModule,
        InvitationsModule,
      ],
      providers: [{ provide: TENANTS_ENV, useValue: env }],
    };
  }
}

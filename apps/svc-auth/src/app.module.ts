import { Module, type DynamicModule } from '@nestjs/common';
import { HealthModule } from '@elasticdash/service-kit/health';
import { InternalAccessModule } from '@elasticdash/service-kit/internal-access.module';
import { PG_POOL, PostgresModule, postgresHealthCheck } from '@elasticdash/service-kit/postgres';
import { REDIS, RedisModule, redisHealthCheck } from '@elasticdash/service-kit/redis';
import type pg from 'pg';
import type { Redis } from 'ioredis';
import { DatabaseModule } from './db/database.js';
import { AUTH_ENV, type TAuthEnv } from './env.js';
import { HousekeepingModule } from './housekeeping/housekeeping.module.js';
import { LoginModule } from './login/login.module.js';
import { PasswordsModule } from './passwords/password-hasher.js';
import { PreferencesModule } from './preferences/preferences.module.js';
import { SessionsModule } from './sessions/sessions.module.js';
import { UsersModule } from './users/users.module.js';

@Module({})
export class AppModule {
  static forRoot(env: TAuthEnv): DynamicModule {
    return {
      module: AppModule,
      // Global so feature modules can inject AUTH_ENV (session TTL) without importing AppModule.
      global: true,
      imports: [
        PostgresModule.forRoot({ connectionString: env.DATABASE_URL, applicationName: 'svc-auth' }),
        RedisModule.forRoot({ url: env.REDIS_URL, connectionName: 'svc-auth' }),
        InternalAccessModule.forRoot({ audience: 'svc-auth', publicKeys: env.INTERNAL_TOKEN_PUBLIC_KEYS }),
        HealthModule.forRoot({
          service: 'svc-auth',
          inject: [PG_POOL, REDIS],
          useFactory: (pool: pg.Pool, redis: Redis) => [postgresHealthCheck(pool), redisHealthCheck(redis)],
        }),
        DatabaseModule,
        PasswordsModule,
        SessionsModule,
        UsersModule,
        LoginModule,
        PreferencesModule,
        HousekeepingModule,
      ],
      providers: [{ provide: AUTH_ENV, useValue: env }],
      exports: [AUTH_ENV],
    };
  }
}

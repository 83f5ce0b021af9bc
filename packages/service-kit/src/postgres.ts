import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { createPool, pingPool } from '@elasticdash/db/pool';
import type pg from 'pg';
import type { HealthCheck } from './health.js';

export const PG_POOL = Symbol('PG_POOL');

/** Provides one bounded pool per app, closed only after the HTTP server has drained. */
@Global()
@Module({})
export class PostgresModule implements OnApplicationShutdown {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  static forRoot(options: { connectionString: string; applicationName: string; max?: number }): DynamicModule {
    return {
      module: PostgresModule,
      providers: [{ provide: PG_POOL, useFactory: () => createPool(options) }],
      exports: [PG_POOL],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}

export function postgresHealthCheck(pool: pg.Pool): HealthCheck {
  return { name: 'postgres', check: () => pingPool(pool) };
}

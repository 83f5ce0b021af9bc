import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { HealthCheck } from './health.js';

export const REDIS = Symbol('REDIS');

/**
 * A Redis client that fails fast while Redis is down (no offline queue, one retry per
 * command) and reconnects by itself in the background.
 */
export function createRedis(url: string, connectionName: string): Redis {
  const redis = new Redis(url, {
    connectionName,
    lazyConnect: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  // Connection errors are reported through readiness; without a listener ioredis logs each retry.
  redis.on('error', () => undefined);
  return redis;
}

@Global()
@Module({})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  static forRoot(options: { url: string; connectionName: string }): DynamicModule {
    return {
      module: RedisModule,
      providers: [{ provide: REDIS, useFactory: () => createRedis(options.url, options.connectionName) }],
      exports: [REDIS],
    };
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}

export function redisHealthCheck(redis: Redis): HealthCheck {
  return {
    name: 'redis',
    check: async () => {
      const answer = await redis.ping();
      if (answer !== 'PONG') throw new Error(`unexpected PING answer ${answer}`);
    },
  };
}

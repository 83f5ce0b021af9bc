import { Module, type DynamicModule } from '@nestjs/common';
import { HealthModule } from '@elasticdash/service-kit/health';
import { REDIS, RedisModule, redisHealthCheck } from '@elasticdash/service-kit/redis';
import type { Redis } from 'ioredis';
import type { TGatewayEnv } from './env.js';

/**
 * Nest hosts the gateway's health and docs; the /api routes are plain fastify routes built
 * from the route table (see proxy/api-routes.ts) so the hot path stays thin.
 */
@Module({})
export class AppModule {
  static forRoot(env: TGatewayEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        RedisModule.forRoot({ url: env.REDIS_URL, connectionName: 'gateway' }),
        HealthModule.forRoot({
          service: 'gateway',
          inject: [REDIS],
          useFactory: (redis: Redis) => [redisHealthCheck(redis)],
        }),
      ],
    };
  }
}

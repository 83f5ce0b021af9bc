import { Module, type DynamicModule } from '@nestjs/common';
import { HealthModule } from '@elasticdash/service-kit/health';
import { InternalAccessModule } from '@elasticdash/service-kit/internal-access.module';
import { REDIS, RedisModule, redisHealthCheck } from '@elasticdash/service-kit/redis';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { TRealtimeEnv } from './env.js';
import { EventsModule } from './events/events.module.js';
import { RealtimeSubscriber } from './events/realtime-subscriber.js';

@Module({})
export class AppModule {
  static forRoot(env: TRealtimeEnv, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        RedisModule.forRoot({ url: env.REDIS_URL, connectionName: 'svc-realtime' }),
        InternalAccessModule.forRoot({ audience: 'svc-realtime', publicKeys: env.INTERNAL_TOKEN_PUBLIC_KEYS }),
        EventsModule.forRoot(env, logger),
        HealthModule.forRoot({
          service: 'svc-realtime',
          inject: [REDIS, RealtimeSubscriber],
          useFactory: (redis: Redis, subscriber: RealtimeSubscriber) => [
            redisHealthCheck(redis),
            subscriber.healthCheck(),
          ],
        }),
      ],
    };
  }
}

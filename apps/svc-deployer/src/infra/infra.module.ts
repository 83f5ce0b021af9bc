import { Global, Module } from '@nestjs/common';
import { REDIS } from '@elasticdash/service-kit/redis';
import { createRealtimePublisher } from '@elasticdash/service-kit/realtime-publisher';
import type { Redis } from 'ioredis';
import { AdminSecrets } from '../secrets/admin-secrets.js';
import { SecretsRepository } from '../secrets/secrets.repository.js';
import { ConnectionsClient } from './connections-client.js';
import { OperationsQueue } from './operations-queue.js';
import { PlansClient } from './plans-client.js';
import { REALTIME, StatusEvents } from './status-events.js';

/** The operations queue, the realtime publisher, svc-plans and the secret store, shared by every feature. */
@Global()
@Module({
  providers: [
    OperationsQueue,
    PlansClient,
    ConnectionsClient,
    { provide: REALTIME, inject: [REDIS], useFactory: (redis: Redis) => createRealtimePublisher(redis) },
    StatusEvents,
    SecretsRepository,
    AdminSecrets,
  ],
  exports: [OperationsQueue, PlansClient, ConnectionsClient, REALTIME, StatusEvents, AdminSecrets],
})
export class InfraModule {}

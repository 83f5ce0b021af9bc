import { Global, Module } from '@nestjs/common';
import { REDIS } from '@elasticdash/service-kit/redis';
import { createRealtimePublisher } from '@elasticdash/service-kit/realtime-publisher';
import { createS3Client } from '@elasticdash/service-kit/s3';
import type { Redis } from 'ioredis';
import { DATASETS_ENV, type TDatasetsEnv } from '../env.js';
import { IngestQueue } from './ingest-queue.js';
import { ObjectStorage, S3_CLIENT } from './object-storage.js';
import { REALTIME, StatusEvents } from './status-events.js';

/** S3, the ingest queue and the realtime publisher, shared by every feature. */
@Global()
@Module({
  providers: [
    { provide: S3_CLIENT, inject: [DATASETS_ENV], useFactory: (env: TDatasetsEnv) => createS3Client(env) },
    ObjectStorage,
    IngestQueue,
    { provide: REALTIME, inject: [REDIS], useFactory: (redis: Redis) => createRealtimePublisher(redis) },
    StatusEvents,
  ],
  exports: [S3_CLIENT, ObjectStorage, IngestQueue, REALTIME, StatusEvents],
})
export class InfraModule {}

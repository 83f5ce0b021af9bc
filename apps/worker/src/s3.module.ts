import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { createS3Client } from '@elasticdash/service-kit/s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { WORKER_ENV, type TWorkerEnv } from './env.js';

export const S3_CLIENT = Symbol('S3_CLIENT');

@Global()
@Module({
  providers: [{ provide: S3_CLIENT, inject: [WORKER_ENV], useFactory: (env: TWorkerEnv) => createS3Client(env) }],
  exports: [S3_CLIENT],
})
export class S3Module implements OnApplicationShutdown {
  constructor(@Inject(S3_CLIENT) private readonly s3: S3Client) {}

  onApplicationShutdown(): void {
    this.s3.destroy();
  }
}

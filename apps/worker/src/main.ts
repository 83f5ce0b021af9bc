import { bootstrapService } from '@elasticdash/service-kit/bootstrap';
import { loadEnv } from '@elasticdash/service-kit/env';
import { createLogger } from '@elasticdash/service-kit/logger';
import { AppModule } from './app.module.js';
import { ZWorkerEnv } from './env.js';

const env = loadEnv(ZWorkerEnv, process.env, 'worker');
const logger = createLogger('worker', env.LOG_LEVEL);
await bootstrapService({
  name: 'worker',
  module: AppModule.forRoot(env, logger),
  host: env.HOST,
  port: env.WORKER_PORT,
  logger,
  shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
  shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
});

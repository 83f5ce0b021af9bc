import { bootstrapService } from '@elasticdash/service-kit/bootstrap';
import { loadEnv } from '@elasticdash/service-kit/env';
import { createLogger } from '@elasticdash/service-kit/logger';
import { AppModule } from './app.module.js';
import { ZDatasetsEnv } from './env.js';

const env = loadEnv(ZDatasetsEnv, process.env, 'svc-datasets');
await bootstrapService({
  name: 'svc-datasets',
  module: AppModule.forRoot(env),
  host: env.HOST,
  port: env.SVC_DATASETS_PORT,
  logger: createLogger('svc-datasets', env.LOG_LEVEL),
  shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
  shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
});

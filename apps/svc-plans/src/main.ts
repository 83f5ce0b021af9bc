import { bootstrapService } from '@elasticdash/service-kit/bootstrap';
import { loadEnv } from '@elasticdash/service-kit/env';
import { createLogger } from '@elasticdash/service-kit/logger';
import { AppModule } from './app.module.js';
import { ZPlansEnv } from './env.js';

const env = loadEnv(ZPlansEnv, process.env, 'svc-plans');
await bootstrapService({
  name: 'svc-plans',
  module: AppModule.forRoot(env),
  host: env.HOST,
  port: env.SVC_PLANS_PORT,
  logger: createLogger('svc-plans', env.LOG_LEVEL),
  shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
  shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
});

import { bootstrapService } from '@elasticdash/service-kit/bootstrap';
import { loadEnv } from '@elasticdash/service-kit/env';
import { createLogger } from '@elasticdash/service-kit/logger';
import { AppModule } from './app.module.js';
import { ZAuthEnv } from './env.js';

const env = loadEnv(ZAuthEnv, process.env, 'svc-auth');
await bootstrapService({
  name: 'svc-auth',
  module: AppModule.forRoot(env),
  host: env.HOST,
  port: env.SVC_AUTH_PORT,
  logger: createLogger('svc-auth', env.LOG_LEVEL),
  shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
  shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
});

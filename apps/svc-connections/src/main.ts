import { bootstrapService } from '@elasticdash/service-kit/bootstrap';
import { loadEnv } from '@elasticdash/service-kit/env';
import { createLogger } from '@elasticdash/service-kit/logger';
import { AppModule } from './app.module.js';
import { ZConnectionsEnv } from './env.js';

const env = loadEnv(ZConnectionsEnv, process.env, 'svc-connections');
await bootstrapService({
  name: 'svc-connections',
  module: AppModule.forRoot(env),
  host: env.HOST,
  port: env.SVC_CONNECTIONS_PORT,
  logger: createLogger('svc-connections', env.LOG_LEVEL),
  shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
  shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
});

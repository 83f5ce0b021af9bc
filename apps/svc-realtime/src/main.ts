import { bootstrapService } from '@elasticdash/service-kit/bootstrap';
import { loadEnv } from '@elasticdash/service-kit/env';
import { createLogger } from '@elasticdash/service-kit/logger';
import { AppModule } from './app.module.js';
import { ZRealtimeEnv } from './env.js';

const env = loadEnv(ZRealtimeEnv, process.env, 'svc-realtime');
const logger = createLogger('svc-realtime', env.LOG_LEVEL);
await bootstrapService({
  name: 'svc-realtime',
  module: AppModule.forRoot(env, logger),
  host: env.HOST,
  port: env.SVC_REALTIME_PORT,
  logger,
  shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
  shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
});

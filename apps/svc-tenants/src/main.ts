import { bootstrapService } from '@elasticdash/service-kit/bootstrap';
import { loadEnv } from '@elasticdash/service-kit/env';
import { createLogger } from '@elasticdash/service-kit/logger';
import { AppModule } from './app.module.js';
import { ZTenantsEnv } from './env.js';

const env = loadEnv(ZTenantsEnv, process.env, 'svc-tenants');
await bootstrapService({
  name: 'svc-tenants',
  module: AppModule.forRoot(env),
  host: env.HOST,
  port: env.SVC_TENANTS_PORT,
  logger: createLogger('svc-tenants', env.LOG_LEVEL),
  shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
  shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
});

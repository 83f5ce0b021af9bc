import { bootstrapService } from '@elasticdash/service-kit/bootstrap';
import { loadEnv } from '@elasticdash/service-kit/env';
import { createLogger } from '@elasticdash/service-kit/logger';
import { AppModule } from './app.module.js';
import { ZDeployerEnv } from './env.js';

const env = loadEnv(ZDeployerEnv, process.env, 'svc-deployer');
await bootstrapService({
  name: 'svc-deployer',
  module: AppModule.forRoot(env),
  host: env.HOST,
  port: env.SVC_DEPLOYER_PORT,
  logger: createLogger('svc-deployer', env.LOG_LEVEL),
  shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
  shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
});

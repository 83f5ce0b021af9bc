import fastifyCookie from '@fastify/cookie';
import { bootstrapService } from '@elasticdash/service-kit/bootstrap';
import { loadEnv } from '@elasticdash/service-kit/env';
import { InternalTokenSigner } from '@elasticdash/service-kit/internal-token';
import { createLogger } from '@elasticdash/service-kit/logger';
import { REDIS } from '@elasticdash/service-kit/redis';
import { SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { Redis } from 'ioredis';
import { AppModule } from './app.module.js';
import { DownstreamClient } from './downstream/downstream.client.js';
import { downstreamServices } from './downstream/services.js';
import { ZGatewayEnv } from './env.js';
import { buildOpenApiDocument } from './openapi/openapi.js';
import { registerApiRoutes } from './proxy/api-routes.js';
import { BatchedRateLimiter } from './rate-limit/batched-rate-limiter.js';
import { RateLimiter } from './rate-limit/rate-limiter.js';
import { CacheInvalidationListener } from './security/cache-invalidation.js';
import { registerSecurityHeaders } from './security/security-headers.js';
import { SessionResolver } from './sessions/session-resolver.js';
import { MembershipChecker } from './tenancy/membership-cache.js';

const env = loadEnv(ZGatewayEnv, process.env, 'gateway');
const logger = createLogger('gateway', env.LOG_LEVEL);
const signer = await InternalTokenSigner.create(env.INTERNAL_TOKEN_PRIVATE_KEY);
const services = downstreamServices(env);
const client = new DownstreamClient(signer);
const sessions = new SessionResolver(client, services.auth, env.AUTH_CACHE_TTL_MS);
const memberships = new MembershipChecker(client, services.tenants, env.AUTH_CACHE_TTL_MS);
const invalidation = new CacheInvalidationListener(env.REDIS_URL, sessions, memberships, logger);

await bootstrapService({
  name: 'gateway',
  module: AppModule.forRoot(env),
  host: env.HOST,
  port: env.GATEWAY_PORT,
  logger,
  shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
  shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
  trustProxy: env.TRUST_PROXY_HOPS,
  // Every request-scoped log call in the gateway passes requestId explicitly (see api-routes.ts).
  asyncRequestContext: false,
  configure: async (app) => {
    const fastify = app.getHttpAdapter().getInstance();
    await fastify.register(fastifyCookie);
    registerSecurityHeaders(fastify, env.NODE_ENV);
    fastify.addHook('onClose', () => invalidation.close());
    const rateLimiter = new RateLimiter(app.get<Redis>(REDIS), logger);
    const userRateLimiter = new BatchedRateLimiter(app.get<Redis>(REDIS), logger);
    fastify.addHook('onClose', () => userRateLimiter.close());
    await registerApiRoutes(fastify, {
      env,
      logger,
      signer,
      services,
      sessions,
      memberships,
      rateLimiter,
      userRateLimiter,
    });
    SwaggerModule.setup('api/docs', app, buildOpenApiDocument() as unknown as OpenAPIObject, {
      jsonDocumentUrl: 'api/openapi.json',
      customSiteTitle: 'ElasticDash API',
    });
  },
});

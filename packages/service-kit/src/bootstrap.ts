import 'reflect-metadata';
import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { REQUEST_ID_HEADER } from '@elasticdash/contracts/platform/internal-context';
import type { Logger } from 'pino';
import { ErrorShapeFilter } from './exception-filter.js';
import { lifecycle } from './health.js';
import { PinoNestLogger } from './logger.js';
import { genRequestId } from './request-id.js';
import { requestStorage } from './request-context.js';

export interface BootstrapOptions {
  name: string;
  module: Type | DynamicModule;
  host: string;
  port: number;
  logger: Logger;
  shutdownTimeoutMs: number;
  bodyLimitBytes?: number;
  /** Hops of X-Forwarded-For to trust (only the gateway sits behind a proxy). */
  trustProxy?: number;
  /** Runs after the app is created and before it listens (extra fastify plugins/routes). */
  configure?: (app: NestFastifyApplication) => Promise<void> | void;
}

/**
 * Creates, starts and wires shutdown for one NestJS-on-Fastify app: request ids echoed and
 * kept in async context, one JSON log line per request, the shared error shape, and a
 * SIGTERM/SIGINT drain that finishes in-flight requests before closing pools.
 */
export async function bootstrapService(options: BootstrapOptions): Promise<NestFastifyApplication> {
  const { logger } = options;
  const adapter = new FastifyAdapter({
    genReqId: genRequestId,
    logger: false,
    bodyLimit: options.bodyLimitBytes ?? 1_048_576,
    // Keep serving requests that arrive on open keep-alive connections while draining.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    // fastify accepts a hop count at runtime; the adapter's option type omits it.
    trustProxy: (options.trustProxy ?? false) as boolean,
  });
  const app = await NestFactory.create<NestFastifyApplication>(options.module, adapter, {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
  });
  app.useGlobalFilters(new ErrorShapeFilter(logger));

  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    requestStorage.run({ requestId: String(request.id) }, done);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const quiet = request.url.startsWith('/health/');
    logger[quiet ? 'debug' : 'info'](
      {
        requestId: request.id,
        method: request.method,
        url: request.url.split('?')[0],
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request completed',
    );
    done();
  });

  await options.configure?.(app);
  await app.listen(options.port, options.host);
  logger.info({ port: options.port, host: options.host }, `${options.name} listening`);
  installShutdown(app, options);
  return app;
}

function installShutdown(app: NestFastifyApplication, options: BootstrapOptions): void {
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    lifecycle.draining = true;
    options.logger.info({ signal }, 'shutting down: draining in-flight requests');
    const deadline = setTimeout(() => {
      options.logger.error({ timeoutMs: options.shutdownTimeoutMs }, 'shutdown timed out; exiting');
      options.logger.flush();
      process.exit(1);
    }, options.shutdownTimeoutMs);
    deadline.unref();
    try {
      await app.close();
      options.logger.info('shutdown complete');
      options.logger.flush();
      process.exit(0);
    } catch (error) {
      options.logger.error({ err: error }, 'shutdown failed');
      options.logger.flush();
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

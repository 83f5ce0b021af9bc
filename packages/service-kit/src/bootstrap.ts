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
  /** How long to keep serving after SIGTERM (readiness already 503) before closing the server. */
  shutdownGraceMs?: number;
  bodyLimitBytes?: number;
  /** Hops of X-Forwarded-For to trust (only the gateway sits behind a proxy). */
  trustProxy?: number;
  /**
   * Keep the request id in async-local storage so every log line carries it (default). An app
   * whose request-scoped log calls all pass `requestId` themselves can turn it off: on Node 20
   * async-local storage installs promise hooks that cost every request (the gateway does).
   */
  asyncRequestContext?: boolean;
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
    // Idle keep-alive sockets are closed by our drain loop (see installShutdown), not by fastify.
    forceCloseConnections: false,
    // fastify accepts a hop count at runtime; the adapter's option type omits it.
    trustProxy: (options.trustProxy ?? false) as boolean,
  });
  const app = await NestFactory.create<NestFastifyApplication>(options.module, adapter, {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
  });
  app.useGlobalFilters(new ErrorShapeFilter(logger));

  const fastify = app.getHttpAdapter().getInstance();
  const asyncContext = options.asyncRequestContext ?? true;
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    if (asyncContext) requestStorage.run({ requestId: String(request.id) }, done);
    else done();
  });
  // While draining, every response closes its connection, so keep-alive clients reconnect
  // elsewhere instead of sending more requests to a closing process.
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (lifecycle.draining) void reply.header('connection', 'close');
    done(null, payload);
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
  installShutdown(app, options, trackRequestsPerSocket(app.getHttpServer() as import('node:http').Server));
  return app;
}

/**
 * Requests in flight per open socket. Node's `closeIdleConnections()` skips sockets that
 * connected but never sent a request (undici keeps one around after an aborted stream), and one
 * such socket holds `server.close()` until the shutdown timeout; the drain closes those too.
 */
function trackRequestsPerSocket(server: import('node:http').Server): Map<import('node:net').Socket, number> {
  const inFlight = new Map<import('node:net').Socket, number>();
  server.on('connection', (socket: import('node:net').Socket) => {
    inFlight.set(socket, 0);
    socket.once('close', () => inFlight.delete(socket));
  });
  server.on('request', (request: import('node:http').IncomingMessage, response: import('node:http').ServerResponse) => {
    const socket = request.socket;
    inFlight.set(socket, (inFlight.get(socket) ?? 0) + 1);
    response.once('close', () => {
      if (inFlight.has(socket)) inFlight.set(socket, (inFlight.get(socket) ?? 1) - 1);
    });
  });
  return inFlight;
}

function installShutdown(
  app: NestFastifyApplication,
  options: BootstrapOptions,
  inFlight: Map<import('node:net').Socket, number>,
): void {
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    lifecycle.draining = true;
    const graceMs = options.shutdownGraceMs ?? 1_000;
    options.logger.info({ signal, graceMs }, 'shutting down: not ready, draining in-flight requests');
    const deadline = setTimeout(() => {
      options.logger.error({ timeoutMs: options.shutdownTimeoutMs }, 'shutdown timed out; exiting');
      options.logger.flush();
      process.exit(1);
    }, options.shutdownTimeoutMs);
    deadline.unref();
    // Keep serving for the grace period: requests already sent (even if not yet read) are
    // answered, and load balancers see readiness 503 and move traffic away.
    await new Promise((resolve) => setTimeout(resolve, graceMs));
    // server.close() waits for every open socket; a keep-alive socket that finishes its last
    // response during the drain would otherwise hold the process until its timeout.
    const server = app.getHttpServer() as import('node:http').Server;
    const reaper = setInterval(() => {
      server.closeIdleConnections();
      for (const [socket, requests] of inFlight) if (requests <= 0) socket.destroy();
    }, 50);
    try {
      await app.close();
      clearInterval(reaper);
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

import replyFrom from '@fastify/reply-from';
import { ErrorCode } from '@elasticdash/contracts/platform/errors';
import {
  CSRF_HEADER,
  INTERNAL_CONTEXT_HEADER,
  REQUEST_ID_HEADER,
  TENANT_ID_HEADER,
  type TInternalContext,
} from '@elasticdash/contracts/platform/internal-context';
import { hasRole } from '@elasticdash/contracts/platform/roles';
import { ROUTES, type TRouteDef } from '@elasticdash/contracts/platform/routes';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DownstreamUnavailableError } from '../downstream/downstream.client.js';
import { csrfMatches } from '../security/csrf.js';
import { registerAuthRoutes } from '../auth/auth.routes.js';
import {
  type CallerState,
  contextFor,
  GatewayError,
  type GatewayDeps,
  sendError,
  unavailable,
} from './gateway-context.js';

export const API_PREFIX = '/api';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Browser headers that must never reach a service: credentials are replaced by the context token. */
const STRIPPED_REQUEST_HEADERS = [
  'cookie',
  'authorization',
  CSRF_HEADER,
  INTERNAL_CONTEXT_HEADER,
  'host',
  'connection',
];

/**
 * Authenticates, authorises and forwards one request for `route`:
 * session → rate limit → CSRF/origin → tenant membership and role → signed context → service.
 */
async function authorise(route: TRouteDef, request: FastifyRequest, deps: GatewayDeps): Promise<CallerState> {
  const caller: CallerState = { sessionToken: null, session: null, tenantId: null, role: null };
  const cookieToken = request.cookies[deps.env.SESSION_COOKIE_NAME];
  caller.sessionToken = cookieToken && cookieToken.length <= 200 ? cookieToken : null;

  if (route.auth === 'session') {
    if (!caller.sessionToken) throw new GatewayError(401, ErrorCode.unauthenticated, 'Sign in to continue');
    try {
      caller.session = await deps.sessions.resolve(caller.sessionToken, String(request.id));
    } catch (error) {
      if (error instanceof DownstreamUnavailableError) throw unavailable('Sign-in service');
      throw error;
    }
    if (!caller.session)
      throw new GatewayError(401, ErrorCode.unauthenticated, 'Your session has ended; sign in again');
  }

  const limited =
    route.rateLimit === 'auth'
      ? await deps.rateLimiter.hit(
          `ip:${request.ip}:${route.id}`,
          deps.env.RATE_LIMIT_AUTH_PER_MINUTE,
          String(request.id),
        )
      : deps.userRateLimiter.hit(`user:${caller.session?.user.id ?? request.ip}`, deps.env.RATE_LIMIT_USER_PER_MINUTE);
  if (!limited.allowed) {
    throw new GatewayError(
      429,
      ErrorCode.rateLimited,
      `Too many requests; try again in ${limited.retryAfterSeconds} s`,
      { 'retry-after': String(limited.retryAfterSeconds) },
      { retryAfterSeconds: limited.retryAfterSeconds },
    );
  }

  if (!SAFE_METHODS.has(request.method)) {
    const origin = request.headers.origin;
    if (origin !== undefined && !deps.env.WEB_ORIGINS.includes(origin)) {
      throw new GatewayError(403, ErrorCode.csrf, `Requests from origin ${origin} are not allowed`);
    }
    if (
      caller.sessionToken &&
      route.auth === 'session' &&
      !csrfMatches(caller.sessionToken, request.headers[CSRF_HEADER])
    ) {
      throw new GatewayError(403, ErrorCode.csrf, `Missing or invalid ${CSRF_HEADER} header`);
    }
  }

  if (route.minRole && caller.session) {
    const tenantId = request.headers[TENANT_ID_HEADER];
    if (typeof tenantId !== 'string' || tenantId.length === 0) {
      throw new GatewayError(
        400,
        ErrorCode.validation,
        `The ${TENANT_ID_HEADER} header is required for this route`,
        {},
        {
          issues: [{ path: `headers.${TENANT_ID_HEADER}`, message: 'Required' }],
        },
      );
    }
    if (!UUID.test(tenantId)) {
      throw new GatewayError(
        400,
        ErrorCode.validation,
        `The ${TENANT_ID_HEADER} header must be a workspace id (UUID)`,
        {},
        {
          issues: [{ path: `headers.${TENANT_ID_HEADER}`, message: 'Must be a UUID' }],
        },
      );
    }
    let role: TInternalContext['role'];
    try {
      role = await deps.memberships.roleOf(
        {
          userId: caller.session.user.id,
          email: caller.session.user.email,
          userName: caller.session.user.name,
          sessionId: caller.session.sessionId,
        },
        tenantId.toLowerCase(),
        String(request.id),
      );
    } catch (error) {
      if (error instanceof DownstreamUnavailableError) throw unavailable('Workspace service');
      throw error;
    }
    if (!role) throw new GatewayError(403, ErrorCode.forbidden, 'You are not a member of this workspace');
    if (!hasRole(role, route.minRole)) {
      throw new GatewayError(
        403,
        ErrorCode.forbidden,
        `This needs the ${route.minRole} role or above; you are ${role}`,
      );
    }
    caller.tenantId = tenantId.toLowerCase();
    caller.role = role;
  }
  return caller;
}

export async function registerApiRoutes(fastify: FastifyInstance, deps: GatewayDeps): Promise<void> {
  await fastify.register(replyFrom, {
    // Long-lived SSE streams (/api/events) each hold an upstream connection, so the pool must be
    // sized for them, not only for short requests.
    undici: { connections: 10_000, pipelining: 1, keepAliveTimeout: 30_000, headersTimeout: 30_000, bodyTimeout: 0 },
    disableRequestLogging: true,
  });

  const authHandlers = registerAuthRoutes(deps);

  for (const route of ROUTES) {
    fastify.route({
      method: route.method,
      url: API_PREFIX + route.path,
      handler: async (request, reply) => {
        let caller: CallerState;
        try {
          caller = await authorise(route, request, deps);
        } catch (error) {
          if (error instanceof GatewayError) return sendError(reply, error);
          throw error;
        }
        if (route.service === 'gateway') {
          const handler = authHandlers[route.id];
          if (!handler) throw new Error(`no gateway handler for ${route.id}`);
          return handler(request, reply, caller);
        }
        const service = deps.services[route.service];
        const audience = route.calls
          ? [service.audience, ...route.calls.map((name) => deps.services[name].audience)]
          : service.audience;
        const token = await deps.signer.sign(audience, contextFor(request, caller));
        const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
        const upstreamPath = request.url.slice(API_PREFIX.length).split('?')[0] ?? '/';
        return reply.from(service.baseUrl + upstreamPath + query, {
          rewriteRequestHeaders: (_, headers) => {
            const forwarded: Record<string, string | string[] | undefined> = { ...headers };
            for (const name of STRIPPED_REQUEST_HEADERS) delete forwarded[name];
            forwarded[INTERNAL_CONTEXT_HEADER] = token;
            forwarded[REQUEST_ID_HEADER] = String(request.id);
            return forwarded;
          },
          rewriteHeaders: (headers) => {
            // The gateway sets its own request id; the service echoes the same one.
            const { 'set-cookie': _setCookie, connection: _connection, ...rest } = headers;
            return rest;
          },
          onError: (errorReply, { error }) => {
            deps.logger.warn(
              { err: error, requestId: request.id, service: service.audience, route: route.id },
              'downstream request failed',
            );
            void sendError(errorReply as FastifyReply, unavailable(service.audience));
          },
        });
      },
    });
  }

  // Unknown /api paths: the gateway forwards only what the route table declares.
  fastify.all(`${API_PREFIX}/*`, async (request, reply) =>
    sendError(
      reply,
      new GatewayError(404, ErrorCode.notFound, `No route ${request.method} ${request.url.split('?')[0]}`),
    ),
  );
}

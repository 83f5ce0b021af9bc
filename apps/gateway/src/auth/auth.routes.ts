import {
  ZLoginRequest,
  ZSessionIssued,
  ZSignupRequest,
  type TAuthResponse,
  type TSessionIssued,
} from '@elasticdash/contracts/auth/user';
import { ErrorCode, toFieldIssues } from '@elasticdash/contracts/platform/errors';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { DownstreamClient, DownstreamError, DownstreamUnavailableError } from '../downstream/downstream.client.js';
import { contextFor, GatewayError, sendError, type CallerState, type GatewayDeps } from '../proxy/gateway-context.js';
import { csrfTokenFor } from '../security/csrf.js';

export const CSRF_COOKIE_NAME = 'ed_csrf';

/**
 * Cookie attributes (docs/security.md): the session is HttpOnly, both are SameSite=Lax on `/`,
 * Secure when NODE_ENV=production, and live as long as the session. The CSRF cookie is readable
 * by the page, which echoes it in x-csrf-token.
 */
export function sessionCookieOptions(nodeEnv: string, ttlDays: number) {
  const common = {
    sameSite: 'lax' as const,
    secure: nodeEnv === 'production',
    path: '/',
    maxAge: ttlDays * 24 * 60 * 60,
  };
  return { session: { ...common, httpOnly: true }, csrf: { ...common, httpOnly: false } };
}

type Handler = (request: FastifyRequest, reply: FastifyReply, caller: CallerState) => Promise<FastifyReply>;

/**
 * Signup, login and logout are answered by the gateway because it owns the session cookie:
 * svc-auth creates the session and returns its token, which only ever travels in an
 * httpOnly cookie, never in a response body.
 */
export function registerAuthRoutes(deps: GatewayDeps): Record<string, Handler> {
  const client = new DownstreamClient(deps.signer);
  const auth = deps.services.auth;
  const cookieOptions = sessionCookieOptions(deps.env.NODE_ENV, deps.env.SESSION_TTL_DAYS);

  const setSessionCookies = (reply: FastifyReply, token: string) => {
    void reply.setCookie(deps.env.SESSION_COOKIE_NAME, token, cookieOptions.session);
    void reply.setCookie(CSRF_COOKIE_NAME, csrfTokenFor(token), cookieOptions.csrf);
  };
  const clearSessionCookies = (reply: FastifyReply) => {
    void reply.clearCookie(deps.env.SESSION_COOKIE_NAME, { path: '/' });
    void reply.clearCookie(CSRF_COOKIE_NAME, { path: '/' });
  };

  const parseBody = <T extends z.ZodType>(schema: T, body: unknown): z.infer<T> => {
    const result = schema.safeParse(body ?? {});
    if (!result.success) {
      throw new GatewayError(
        400,
        ErrorCode.validation,
        'Request body is invalid',
        {},
        { issues: toFieldIssues(result.error.issues) },
      );
    }
    return result.data;
  };

  const startSession = async (
    request: FastifyRequest,
    reply: FastifyReply,
    path: '/internal/signup' | '/internal/login',
    body: unknown,
    status: number,
  ) => {
    let issued: TSessionIssued;
    try {
      issued = await client.call(
        auth,
        'POST',
        path,
        contextFor(request, { sessionToken: null, session: null, tenantId: null, role: null }),
        ZSessionIssued,
        {
          ...(body as object),
          client: { userAgent: request.headers['user-agent']?.slice(0, 512) ?? null, ip: request.ip.slice(0, 64) },
        },
      );
    } catch (error) {
      return relayFailure(reply, error);
    }
    // A fresh session on every login: a token planted before login is never reused.
    const previous = request.cookies[deps.env.SESSION_COOKIE_NAME];
    if (previous) deps.sessions.forget(previous);
    setSessionCookies(reply, issued.session.token);
    const response: TAuthResponse = { user: issued.user };
    return reply.status(status).send(response);
  };

  return {
    'auth.signup': async (request, reply) => {
      try {
        return await startSession(request, reply, '/internal/signup', parseBody(ZSignupRequest, request.body), 201);
      } catch (error) {
        if (error instanceof GatewayError) return sendError(reply, error);
        throw error;
      }
    },
    'auth.login': async (request, reply) => {
      try {
        return await startSession(request, reply, '/internal/login', parseBody(ZLoginRequest, request.body), 200);
      } catch (error) {
        if (error instanceof GatewayError) return sendError(reply, error);
        throw error;
      }
    },
    'auth.logout': async (request, reply, caller) => {
      try {
        await client.call(auth, 'POST', '/internal/logout', contextFor(request, caller), null);
      } catch (error) {
        return relayFailure(reply, error);
      }
      if (caller.sessionToken) deps.sessions.forget(caller.sessionToken);
      clearSessionCookies(reply);
      return reply.status(204).send();
    },
  };
}

/** Passes a service's own error answer through (same shape), or 503 when it is unreachable. */
function relayFailure(reply: FastifyReply, error: unknown): FastifyReply {
  if (error instanceof DownstreamError) {
    const retryAfter = error.headers.get('retry-after');
    if (retryAfter) void reply.header('retry-after', retryAfter);
    return reply.status(error.status).send(error.body);
  }
  if (error instanceof DownstreamUnavailableError) {
    return sendError(
      reply,
      new GatewayError(503, ErrorCode.unavailable, 'Sign-in service is unavailable, try again shortly', {
        'retry-after': '5',
      }),
    );
  }
  throw error;
}

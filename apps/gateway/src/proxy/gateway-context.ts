import { ErrorCode, type TErrorResponse } from '@elasticdash/contracts/platform/errors';
import type { TInternalContext } from '@elasticdash/contracts/platform/internal-context';
import type { TServiceName } from '@elasticdash/contracts/platform/routes';
import type { TResolveSessionResponse } from '@elasticdash/contracts/auth/session';
import type { InternalTokenSigner } from '@elasticdash/service-kit/internal-token';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { DownstreamService } from '../downstream/services.js';
import type { TGatewayEnv } from '../env.js';
import type { BatchedRateLimiter } from '../rate-limit/batched-rate-limiter.js';
import type { RateLimiter } from '../rate-limit/rate-limiter.js';
import type { SessionResolver } from '../sessions/session-resolver.js';
import type { MembershipChecker } from '../tenancy/membership-cache.js';

export interface GatewayDeps {
  env: TGatewayEnv;
  logger: Logger;
  signer: InternalTokenSigner;
  services: Record<TServiceName, DownstreamService>;
  sessions: SessionResolver;
  memberships: MembershipChecker;
  /** Exact, Redis per request: auth routes (brute force). */
  rateLimiter: RateLimiter;
  /** Batched: per-user limits elsewhere. */
  userRateLimiter: BatchedRateLimiter;
}

/** What the gateway learned about the caller before forwarding. */
export interface CallerState {
  sessionToken: string | null;
  session: TResolveSessionResponse | null;
  tenantId: string | null;
  role: TInternalContext['role'];
}

export class GatewayError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export function sendError(reply: FastifyReply, error: GatewayError): FastifyReply {
  const body: TErrorResponse = {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details === undefined ? {} : { details: error.details }),
      requestId: String(reply.request.id),
    },
  };
  return reply.status(error.status).headers(error.headers).send(body);
}

export function unavailable(service: string): GatewayError {
  return new GatewayError(503, ErrorCode.unavailable, `${service} is unavailable, try again shortly`, {
    'retry-after': '5',
  });
}

export function contextFor(request: FastifyRequest, caller: CallerState): TInternalContext {
  const session = caller.session;
  return {
    requestId: String(request.id),
    userId: session?.user.id ?? null,
    email: session?.user.email ?? null,
    userName: session?.user.name ?? null,
    sessionId: session?.sessionId ?? null,
    tenantId: caller.tenantId,
    role: caller.role,
  };
}

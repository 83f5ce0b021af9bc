import {
  type CanActivate,
  createParamDecorator,
  type ExecutionContext,
  Inject,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { INTERNAL_CONTEXT_HEADER, type TInternalContext } from '@elasticdash/contracts/platform/internal-context';
import { hasRole, type TRole } from '@elasticdash/contracts/platform/roles';
import type { FastifyRequest } from 'fastify';
import { forbidden, unauthenticated } from './errors.js';
import { InternalTokenVerifier } from './internal-token.js';
import { requestStorage } from './request-context.js';

/**
 * Who may call a route:
 * - `public`: anyone (health checks only);
 * - `service`: any valid internal token, even without a user (gateway-internal calls);
 * - `user`: a token carrying a user (the default);
 * - `{ minRole }`: a token carrying a user, a tenant and at least that role in it.
 */
export type TAccess = 'public' | 'service' | 'user' | { minRole: TRole };
const ACCESS_KEY = 'elasticdash:access';

export const Access = (access: TAccess) => SetMetadata(ACCESS_KEY, access);
export const Public = () => Access('public');
export const ServiceOnly = () => Access('service');
export const TenantRole = (minRole: TRole) => Access({ minRole });

export const INTERNAL_TOKEN_VERIFIER = Symbol('INTERNAL_TOKEN_VERIFIER');

type RequestWithContext = FastifyRequest & { internalContext?: TInternalContext };

/** A user-bearing context; `tenantId`/`role` are set on tenant routes. */
export type TUserContext = TInternalContext & { userId: string; email: string };
export type TTenantContext = TUserContext & { tenantId: string; role: TRole };

/** Global guard: every route needs a valid gateway-signed token unless marked @Public(). */
@Injectable()
export class InternalAccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(INTERNAL_TOKEN_VERIFIER) private readonly verifier: InternalTokenVerifier,
  ) {}

  async canActivate(execution: ExecutionContext): Promise<boolean> {
    const access =
      this.reflector.getAllAndOverride<TAccess | undefined>(ACCESS_KEY, [
        execution.getHandler(),
        execution.getClass(),
      ]) ?? 'user';
    if (access === 'public') return true;
    const request = execution.switchToHttp().getRequest<RequestWithContext>();
    const header = request.headers[INTERNAL_CONTEXT_HEADER];
    const context = await this.verifier.verify(typeof header === 'string' ? header : undefined);
    if (!context) throw unauthenticated('Missing or invalid internal context token');
    request.internalContext = context;
    const store = requestStorage.getStore();
    if (store) store.context = context;
    if (access === 'service') return true;
    if (!context.userId || !context.email) throw unauthenticated();
    if (access === 'user') return true;
    if (!context.tenantId || !context.role) throw forbidden('Choose a workspace first (x-tenant-id)');
    if (!hasRole(context.role, access.minRole)) {
      throw forbidden(`This needs the ${access.minRole} role or above; you are ${context.role}`);
    }
    return true;
  }
}

function contextOf(execution: ExecutionContext): TInternalContext {
  const context = execution.switchToHttp().getRequest<RequestWithContext>().internalContext;
  if (!context) throw unauthenticated();
  return context;
}

/** The verified internal context (any access level). */
export const Ctx = createParamDecorator((_: unknown, execution: ExecutionContext) => contextOf(execution));

/** The verified context of a signed-in user. */
export const UserCtx = createParamDecorator((_: unknown, execution: ExecutionContext): TUserContext => {
  const context = contextOf(execution);
  if (!context.userId || !context.email) throw unauthenticated();
  return context as TUserContext;
});

/** The verified context of a member acting inside a tenant. */
export const TenantCtx = createParamDecorator((_: unknown, execution: ExecutionContext): TTenantContext => {
  const context = contextOf(execution);
  if (!context.userId || !context.email) throw unauthenticated();
  if (!context.tenantId || !context.role) throw forbidden('Choose a workspace first (x-tenant-id)');
  return context as TTenantContext;
});

import type { z } from 'zod';
import { ZListSessionsResponse } from '../auth/session.js';
import { ZPreferences } from '../auth/preferences.js';
import {
  ZAuthResponse,
  ZChangePasswordRequest,
  ZLoginRequest,
  ZMeResponse,
  ZSignupRequest,
  ZUpdateProfileRequest,
} from '../auth/user.js';
import {
  ZAcceptInvitationRequest,
  ZCreateInvitationRequest,
  ZCreateInvitationResponse,
  ZInvitationPreviewResponse,
  ZListInvitationsResponse,
} from '../tenants/invitation.js';
import { ZChangeMemberRoleRequest, ZListMembersResponse, ZMemberResponse } from '../tenants/member.js';
import {
  ZCreateTenantRequest,
  ZListMyTenantsResponse,
  ZRenameTenantRequest,
  ZTenantResponse,
  ZTransferOwnershipRequest,
} from '../tenants/tenant.js';
import type { TRole } from './roles.js';

/** Downstream services the gateway forwards to, with their env var for the base URL. */
export const SERVICES = {
  auth: 'SVC_AUTH_URL',
  tenants: 'SVC_TENANTS_URL',
} as const;
export type TServiceName = keyof typeof SERVICES;

export type THttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface TRouteDef {
  /** Stable id, used in logs, OpenAPI operationId and tests. */
  id: string;
  method: THttpMethod;
  /** Path under the gateway's `/api` prefix; `:name` segments are parameters. */
  path: string;
  /** `gateway` routes are answered by the gateway itself (they set or clear the cookie). */
  service: TServiceName | 'gateway';
  /** `public` needs no session; `session` needs a logged-in user. */
  auth: 'public' | 'session';
  /** When set, the route needs `x-tenant-id` of a tenant the user belongs to with this role or above. */
  minRole?: TRole;
  /** `auth` routes are limited per client IP, the rest per user. */
  rateLimit: 'auth' | 'user';
  summary: string;
  successStatus: number;
  body?: z.ZodType;
  response?: z.ZodType;
}

/**
 * Every route the browser may call. The gateway proxies only these (anything else is 404),
 * decides tenant and role checks from them, and generates OpenAPI from them; the security
 * tests enumerate them. A new route is added here first.
 */
export const ROUTES: readonly TRouteDef[] = [
  // ── auth (answered by the gateway, which owns the cookie) ──────────────────────────
  {
    id: 'auth.signup',
    method: 'POST',
    path: '/auth/signup',
    service: 'gateway',
    auth: 'public',
    rateLimit: 'auth',
    summary: 'Create an account and start a session',
    successStatus: 201,
    body: ZSignupRequest,
    response: ZAuthResponse,
  },
  {
    id: 'auth.login',
    method: 'POST',
    path: '/auth/login',
    service: 'gateway',
    auth: 'public',
    rateLimit: 'auth',
    summary: 'Log in and start a session',
    successStatus: 200,
    body: ZLoginRequest,
    response: ZAuthResponse,
  },
  {
    id: 'auth.logout',
    method: 'POST',
    path: '/auth/logout',
    service: 'gateway',
    auth: 'session',
    rateLimit: 'user',
    summary: 'End the current session',
    successStatus: 204,
  },
  // ── me (svc-auth) ──────────────────────────────────────────────────────────────────
  {
    id: 'me.get',
    method: 'GET',
    path: '/me',
    service: 'auth',
    auth: 'session',
    rateLimit: 'user',
    summary: 'The signed-in user',
    successStatus: 200,
    response: ZMeResponse,
  },
  {
    id: 'me.update',
    method: 'PATCH',
    path: '/me',
    service: 'auth',
    auth: 'session',
    rateLimit: 'user',
    summary: 'Update my profile',
    successStatus: 200,
    body: ZUpdateProfileRequest,
    response: ZMeResponse,
  },
  {
    id: 'me.preferences.get',
    method: 'GET',
    path: '/me/preferences',
    service: 'auth',
    auth: 'session',
    rateLimit: 'user',
    summary: 'My theme and accent',
    successStatus: 200,
    response: ZPreferences,
  },
  {
    id: 'me.preferences.put',
    method: 'PUT',
    path: '/me/preferences',
    service: 'auth',
    auth: 'session',
    rateLimit: 'user',
    summary: 'Save my theme and accent',
    successStatus: 200,
    body: ZPreferences,
    response: ZPreferences,
  },
  {
    id: 'me.sessions.list',
    method: 'GET',
    path: '/me/sessions',
    service: 'auth',
    auth: 'session',
    rateLimit: 'user',
    summary: 'My active sessions',
    successStatus: 200,
    response: ZListSessionsResponse,
  },
  {
    id: 'me.sessions.revoke',
    method: 'DELETE',
    path: '/me/sessions/:sessionId',
    service: 'auth',
    auth: 'session',
    rateLimit: 'user',
    summary: 'Revoke one of my sessions',
    successStatus: 204,
  },
  {
    id: 'me.password.change',
    method: 'POST',
    path: '/me/password',
    service: 'auth',
    auth: 'session',
    rateLimit: 'auth',
    summary: 'Change my password (revokes my other sessions)',
    successStatus: 204,
    body: ZChangePasswordRequest,
  },
  // ── tenants without a tenant context (svc-tenants) ─────────────────────────────────
  {
    id: 'tenants.listMine',
    method: 'GET',
    path: '/tenants',
    service: 'tenants',
    auth: 'session',
    rateLimit: 'user',
    summary: 'Workspaces I belong to',
    successStatus: 200,
    response: ZListMyTenantsResponse,
  },
  {
    id: 'tenants.create',
    method: 'POST',
    path: '/tenants',
    service: 'tenants',
    auth: 'session',
    rateLimit: 'user',
    summary: 'Create a workspace (I become its owner)',
    successStatus: 201,
    body: ZCreateTenantRequest,
    response: ZTenantResponse,
  },
  {
    id: 'invitations.preview',
    method: 'GET',
    path: '/invitations/by-token/:token',
    service: 'tenants',
    auth: 'session',
    rateLimit: 'auth',
    summary: 'What an invitation offers',
    successStatus: 200,
    response: ZInvitationPreviewResponse,
  },
  {
    id: 'invitations.accept',
    method: 'POST',
    path: '/invitations/accept',
    service: 'tenants',
    auth: 'session',
    rateLimit: 'auth',
    summary: 'Accept an invitation sent to my email',
    successStatus: 200,
    body: ZAcceptInvitationRequest,
    response: ZTenantResponse,
  },
  // ── tenant-scoped (x-tenant-id) ────────────────────────────────────────────────────
  {
    id: 'tenant.get',
    method: 'GET',
    path: '/tenant',
    service: 'tenants',
    auth: 'session',
    minRole: 'viewer',
    rateLimit: 'user',
    summary: 'The current workspace',
    successStatus: 200,
    response: ZTenantResponse,
  },
  {
    id: 'tenant.rename',
    method: 'PATCH',
    path: '/tenant',
    service: 'tenants',
    auth: 'session',
    minRole: 'admin',
    rateLimit: 'user',
    summary: 'Rename the current workspace',
    successStatus: 200,
    body: ZRenameTenantRequest,
    response: ZTenantResponse,
  },
  {
    id: 'tenant.delete',
    method: 'DELETE',
    path: '/tenant',
    service: 'tenants',
    auth: 'session',
    minRole: 'owner',
    rateLimit: 'user',
    summary: 'Delete the current workspace',
    successStatus: 204,
  },
  {
    id: 'tenant.transferOwnership',
    method: 'POST',
    path: '/tenant/transfer-ownership',
    service: 'tenants',
    auth: 'session',
    minRole: 'owner',
    rateLimit: 'user',
    summary: 'Make another member the owner',
    successStatus: 200,
    body: ZTransferOwnershipRequest,
    response: ZTenantResponse,
  },
  {
    id: 'tenant.leave',
    method: 'POST',
    path: '/tenant/leave',
    service: 'tenants',
    auth: 'session',
    minRole: 'viewer',
    rateLimit: 'user',
    summary: 'Leave the current workspace',
    successStatus: 204,
  },
  {
    id: 'members.list',
    method: 'GET',
    path: '/members',
    service: 'tenants',
    auth: 'session',
    minRole: 'viewer',
    rateLimit: 'user',
    summary: 'Members and their roles',
    successStatus: 200,
    response: ZListMembersResponse,
  },
  {
    id: 'members.changeRole',
    method: 'PATCH',
    path: '/members/:userId',
    service: 'tenants',
    auth: 'session',
    minRole: 'admin',
    rateLimit: 'user',
    summary: "Change a member's role",
    successStatus: 200,
    body: ZChangeMemberRoleRequest,
    response: ZMemberResponse,
  },
  {
    id: 'members.remove',
    method: 'DELETE',
    path: '/members/:userId',
    service: 'tenants',
    auth: 'session',
    minRole: 'admin',
    rateLimit: 'user',
    summary: 'Remove a member',
    successStatus: 204,
  },
  {
    id: 'invitations.list',
    method: 'GET',
    path: '/invitations',
    service: 'tenants',
    auth: 'session',
    minRole: 'admin',
    rateLimit: 'user',
    summary: 'Pending invitations',
    successStatus: 200,
    response: ZListInvitationsResponse,
  },
  {
    id: 'invitations.create',
    method: 'POST',
    path: '/invitations',
    service: 'tenants',
    auth: 'session',
    minRole: 'admin',
    rateLimit: 'user',
    summary: 'Invite someone by email',
    successStatus: 201,
    body: ZCreateInvitationRequest,
    response: ZCreateInvitationResponse,
  },
  {
    id: 'invitations.revoke',
    method: 'DELETE',
    path: '/invitations/:invitationId',
    service: 'tenants',
    auth: 'session',
    minRole: 'admin',
    rateLimit: 'user',
    summary: 'Revoke a pending invitation',
    successStatus: 204,
  },
];

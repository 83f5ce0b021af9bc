'use client';

import { useQuery } from '@tanstack/react-query';
import { ZPreferences } from '@elasticdash/contracts/auth/preferences';
import { ZListSessionsResponse } from '@elasticdash/contracts/auth/session';
import { ZMeResponse, type TMeResponse } from '@elasticdash/contracts/auth/user';
import { ZListInvitationsResponse } from '@elasticdash/contracts/tenants/invitation';
import { ZListMembersResponse } from '@elasticdash/contracts/tenants/member';
import { ZListMyTenantsResponse, ZTenantResponse, type TTenantResponse } from '@elasticdash/contracts/tenants/tenant';
import { api } from './api';

/**
 * Query keys. Everything scoped to a workspace starts with ['tenant', tenantId] so a tab's
 * cache for one workspace never answers for another, and one invalidation drops it all.
 */
export const queryKeys = {
  me: ['me'] as const,
  preferences: ['me', 'preferences'] as const,
  sessions: ['me', 'sessions'] as const,
  tenants: ['tenants'] as const,
  tenant: (tenantId: string) => ['tenant', tenantId] as const,
  members: (tenantId: string) => ['tenant', tenantId, 'members'] as const,
  invitations: (tenantId: string) => ['tenant', tenantId, 'invitations'] as const,
};

export function useMe(options: { redirectOn401?: boolean; initialData?: TMeResponse } = {}) {
  return useQuery({
    queryKey: queryKeys.me,
    queryFn: ({ signal }) => api('/me', { schema: ZMeResponse, signal, redirectOn401: options.redirectOn401 }),
    select: (data) => data.user,
    initialData: options.initialData,
  });
}

export function usePreferencesQuery(enabled = true) {
  return useQuery({
    queryKey: queryKeys.preferences,
    queryFn: ({ signal }) => api('/me/preferences', { schema: ZPreferences, signal }),
    enabled,
    staleTime: 5 * 60_000,
  });
}

export function useSessions() {
  return useQuery({
    queryKey: queryKeys.sessions,
    queryFn: ({ signal }) => api('/me/sessions', { schema: ZListSessionsResponse, signal }),
    select: (data) => data.sessions,
  });
}

export function useTenants(enabled = true) {
  return useQuery({
    queryKey: queryKeys.tenants,
    queryFn: ({ signal }) => api('/tenants', { schema: ZListMyTenantsResponse, signal }),
    select: (data) => data.tenants,
    enabled,
  });
}

/** The workspace of this page, with my role in it (403 when I am not a member). */
export function useTenant(tenantId: string, initialData?: TTenantResponse) {
  return useQuery({
    queryKey: queryKeys.tenant(tenantId),
    queryFn: ({ signal }) => api('/tenant', { schema: ZTenantResponse, tenantId, signal }),
    select: (data) => data.tenant,
    initialData,
  });
}

export function useMembers(tenantId: string) {
  return useQuery({
    queryKey: queryKeys.members(tenantId),
    queryFn: ({ signal }) => api('/members', { schema: ZListMembersResponse, tenantId, signal }),
    select: (data) => data.members,
  });
}

export function useInvitations(tenantId: string, enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.invitations(tenantId),
    queryFn: ({ signal }) => api('/invitations', { schema: ZListInvitationsResponse, tenantId, signal }),
    select: (data) => data.invitations,
    enabled,
  });
}

'use client';

import type { QueryClient } from '@tanstack/react-query';
import { ZPreferences } from '@elasticdash/contracts/auth/preferences';
import type { TUser } from '@elasticdash/contracts/auth/user';
import { api, safeNextPath } from '@/lib/api';
import { setStoredPreferences } from '@/lib/preferences-store';
import { queryKeys } from '@/lib/queries';

/**
 * After login or signup: drop everything cached for the previous visitor, adopt the account's
 * theme (the server wins over this browser), and return where to go next.
 */
export async function afterSignIn(queryClient: QueryClient, user: TUser): Promise<string> {
  queryClient.clear();
  queryClient.setQueryData(queryKeys.me, { user });
  try {
    const preferences = await api('/me/preferences', { schema: ZPreferences, redirectOn401: false });
    setStoredPreferences(preferences);
    queryClient.setQueryData(queryKeys.preferences, preferences);
  } catch {
    // keep this browser's theme; the app shell retries the fetch
  }
  return safeNextPath(new URLSearchParams(window.location.search).get('next'));
}

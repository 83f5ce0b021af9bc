'use client';

import { useQuery } from '@tanstack/react-query';
import {
  ZBackupResponse,
  ZListBackupsResponse,
  type TBackup,
  type TListBackupsResponse,
} from '@elasticdash/contracts/deployer/backups';
import { api, isApiError } from '@/lib/api';
import { backupKeys } from './backups-cache';

// Backups of a plan's deployment: the list and the two admin actions (cache rules: backups-cache.ts).

/** The list; null when the plan was never deployed (404). */
export function useBackups(tenantId: string, planId: string, enabled: boolean) {
  return useQuery({
    queryKey: backupKeys.list(tenantId, planId),
    queryFn: async ({ signal }): Promise<TListBackupsResponse | null> => {
      try {
        return await api(`/v1/plans/${planId}/deployment/backups`, { schema: ZListBackupsResponse, tenantId, signal });
      } catch (error) {
        if (isApiError(error, 404)) return null;
        throw error;
      }
    },
    enabled,
    staleTime: 5_000,
  });
}

/** "Back up now" (admin). 409 while one runs: the message names it. */
export async function backUpNow(tenantId: string, planId: string): Promise<TBackup> {
  const { backup } = await api(`/v1/plans/${planId}/deployment/backups`, {
    method: 'POST',
    tenantId,
    schema: ZBackupResponse,
  });
  return backup;
}

export async function validateBackup(tenantId: string, planId: string, backupId: string): Promise<TBackup> {
  const { backup } = await api(`/v1/plans/${planId}/deployment/backups/${backupId}/validate`, {
    method: 'POST',
    tenantId,
    schema: ZBackupResponse,
  });
  return backup;
}

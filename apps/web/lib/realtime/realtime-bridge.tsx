'use client';

import { useEffect } from 'react';
import { usePathname } from 'next/navigation';
import { useQueryClient } from '@tanstack/react-query';
import { applyDatasetEvent, resetDatasetCaches } from '@/lib/datasets/cache';
import { applyBackupEvent } from '@/lib/deployments/backups-cache';
import { applyDeploymentEvent, resetDeploymentCaches } from '@/lib/deployments/cache';
import { subscribeToEvents } from './sse';

const WORKSPACE_PATH = /^\/app\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:\/|$)/i;

/** The workspace of a /app/<tenantId>/… path (null elsewhere). */
export function tenantOfPath(pathname: string | null): string | null {
  return WORKSPACE_PATH.exec(pathname ?? '')?.[1] ?? null;
}

/**
 * Mounted once (in the providers): while a workspace page is open, one live connection to
 * `/api/events` for that workspace feeds the query cache. Switching workspace closes the old
 * connection and opens the new one; leaving /app closes it.
 */
export function RealtimeBridge() {
  const tenantId = tenantOfPath(usePathname());
  const queryClient = useQueryClient();

  useEffect(() => {
    if (!tenantId) return;
    const controller = new AbortController();
    void subscribeToEvents({
      tenantId,
      signal: controller.signal,
      onEvent: (envelope) => {
        applyDatasetEvent(queryClient, tenantId, envelope.event);
        applyDeploymentEvent(queryClient, tenantId, envelope);
        applyBackupEvent(queryClient, tenantId, envelope);
      },
      onReset: () => {
        resetDatasetCaches(queryClient, tenantId);
        resetDeploymentCaches(queryClient, tenantId);
      },
    });
    return () => controller.abort();
  }, [queryClient, tenantId]);

  return null;
}

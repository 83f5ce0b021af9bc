import type { ReactNode } from 'react';
import { notFound } from 'next/navigation';
import { z } from 'zod';
import { ZMeResponse } from '@elasticdash/contracts/auth/user';
import { ZTenantResponse } from '@elasticdash/contracts/tenants/tenant';
import { AppShell } from '@/components/app/app-shell';
import { serverGet } from '@/lib/server-api';

const ZTenantId = z.uuid();

export default async function WorkspaceLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ tenantId: string }>;
}) {
  const { tenantId } = await params;
  if (!ZTenantId.safeParse(tenantId).success) notFound();
  // Rendered with data when the gateway answers (first paint shows the real page); otherwise
  // the shell fetches in the browser and handles 401/403 there.
  const [me, tenant] = await Promise.all([
    serverGet('/me', ZMeResponse),
    serverGet('/tenant', ZTenantResponse, tenantId),
  ]);
  return (
    <AppShell tenantId={tenantId} initialMe={me ?? undefined} initialTenant={tenant ?? undefined}>
      {children}
    </AppShell>
  );
}

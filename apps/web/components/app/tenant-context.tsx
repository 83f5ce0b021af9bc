'use client';

import { createContext, useContext, type ReactNode } from 'react';
import type { TMyTenant } from '@elasticdash/contracts/tenants/tenant';

interface TenantContextValue {
  /** The workspace of this tab, from the URL: every tenant-scoped call sends it as x-tenant-id. */
  tenantId: string;
  tenant: TMyTenant;
}

const TenantContext = createContext<TenantContextValue | null>(null);

export function TenantProvider({ value, children }: { value: TenantContextValue; children: ReactNode }) {
  return <TenantContext.Provider value={value}>{children}</TenantContext.Provider>;
}

export function useCurrentTenant(): TenantContextValue {
  const context = useContext(TenantContext);
  if (!context) throw new Error('useCurrentTenant must be used inside a workspace page');
  return context;
}

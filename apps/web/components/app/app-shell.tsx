'use client';

import Link from 'next/link';
import { useEffect, type ReactNode } from 'react';
import { Lock } from 'lucide-react';
import type { TMeResponse } from '@elasticdash/contracts/auth/user';
import type { TTenantResponse } from '@elasticdash/contracts/tenants/tenant';
import { PreferencesSync } from '@/components/theme/preferences-sync';
import { ThemeMenu } from '@/components/theme/theme-menu';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorState } from '@/components/ui/error-state';
import { Loading } from '@/components/ui/skeleton';
import { Logo } from '@/components/logo';
import { isApiError } from '@/lib/api';
import { useMe, useTenant } from '@/lib/queries';
import { rememberWorkspace } from './last-workspace';
import { MobileNav } from './mobile-nav';
import { SidebarContent } from './sidebar';
import { TenantProvider } from './tenant-context';
import { UserMenu } from './user-menu';

function CenteredFrame({ children }: { children: ReactNode }) {
  return (
    <div className="flex min-h-dvh flex-col">
      <header className="flex h-14 items-center border-b border-border bg-surface px-4">
        <Link href="/app" className="rounded-md" aria-label="ElasticDash">
          <Logo />
        </Link>
      </header>
      <main id="main" className="flex flex-1 items-center justify-center p-6">
        {children}
      </main>
    </div>
  );
}

/**
 * Everything under /app/[tenantId]: the signed-in user, this tab's workspace (from the URL),
 * sidebar, header. Children render only once both are known, so pages can rely on them.
 */
export function AppShell({
  tenantId,
  initialMe,
  initialTenant,
  children,
}: {
  tenantId: string;
  /** Fetched by the server layout when it could: the first HTML then shows the real page. */
  initialMe?: TMeResponse | undefined;
  initialTenant?: TTenantResponse | undefined;
  children: ReactNode;
}) {
  const me = useMe({ initialData: initialMe });
  const tenant = useTenant(tenantId, initialTenant);

  useEffect(() => {
    if (tenant.data) rememberWorkspace(tenantId);
  }, [tenant.data, tenantId]);

  if (me.isPending || (tenant.isPending && !tenant.isError)) {
    return (
      <CenteredFrame>
        <Loading label="Loading your workspace…" />
      </CenteredFrame>
    );
  }
  if (me.isError) {
    return (
      <CenteredFrame>
        {isApiError(me.error, 401) ? (
          <Loading label="Redirecting to log in…" />
        ) : (
          <ErrorState error={me.error} title="Could not load your account" onRetry={() => void me.refetch()} />
        )}
      </CenteredFrame>
    );
  }
  if (tenant.isError) {
    const denied = isApiError(tenant.error, 403) || isApiError(tenant.error, 404);
    return (
      <CenteredFrame>
        {denied ? (
          <EmptyState
            as="h2"
            icon={Lock}
            title="You do not have access to this workspace"
            description="It may have been deleted, or you are no longer a member. Ask an admin for an invitation."
            action={
              <Button asChild>
                <Link href="/app">Go to my workspaces</Link>
              </Button>
            }
          />
        ) : (
          <ErrorState
            error={tenant.error}
            title="Could not load this workspace"
            onRetry={() => void tenant.refetch()}
          />
        )}
      </CenteredFrame>
    );
  }

  return (
    <TenantProvider value={{ tenantId, tenant: tenant.data }}>
      <PreferencesSync />
      <div className="min-h-dvh md:grid md:grid-cols-[16rem_minmax(0,1fr)]">
        <aside className="hidden border-r border-border bg-surface md:block">
          <div className="sticky top-0 h-dvh">
            <SidebarContent />
          </div>
        </aside>
        <div className="flex min-w-0 flex-col">
          <header className="sticky top-0 z-30 flex h-14 items-center gap-2 border-b border-border bg-surface/95 px-3 backdrop-blur sm:px-4">
            <MobileNav />
            <p className="min-w-0 flex-1 truncate text-sm font-medium text-fg md:hidden">{tenant.data.name}</p>
            <div className="ml-auto flex items-center gap-1">
              <ThemeMenu persistToServer />
              <UserMenu user={me.data} tenantId={tenantId} />
            </div>
          </header>
          <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4 py-6 sm:px-6 lg:px-8 lg:py-8">
            {children}
          </main>
        </div>
      </div>
    </TenantProvider>
  );
}

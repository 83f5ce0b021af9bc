'use client';

import Link from 'next/link';
import { useEffect } from 'react';
import { useRouter } from 'next/navigation';
import { LogOut } from 'lucide-react';
import { Logo } from '@/components/logo';
import { PreferencesSync } from '@/components/theme/preferences-sync';
import { ThemeMenu } from '@/components/theme/theme-menu';
import { Button } from '@/components/ui/button';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { ErrorState } from '@/components/ui/error-state';
import { Loading } from '@/components/ui/skeleton';
import { isApiError } from '@/lib/api';
import { useMe, useTenants } from '@/lib/queries';
import { CreateWorkspaceForm } from './create-workspace';
import { lastWorkspace } from './last-workspace';
import { workspacePath } from './nav-items';
import { useLogout } from './use-logout';

/** /app: open the workspace used last (or the first one), or create the first workspace. */
export function WorkspacePicker() {
  const router = useRouter();
  const me = useMe();
  const tenants = useTenants();
  const logout = useLogout();

  const target = (() => {
    if (!tenants.data || tenants.data.length === 0) return null;
    const last = lastWorkspace();
    return tenants.data.find((tenant) => tenant.id === last) ?? tenants.data[0] ?? null;
  })();

  useEffect(() => {
    if (target) router.replace(workspacePath(target.id));
  }, [target, router]);

  let content;
  if (me.isPending || tenants.isPending || target) {
    content = <Loading label="Opening your workspace…" />;
  } else if (me.isError || tenants.isError) {
    const error = me.error ?? tenants.error;
    content = isApiError(error, 401) ? (
      <Loading label="Redirecting to log in…" />
    ) : (
      <ErrorState
        error={error}
        title="Could not load your workspaces"
        onRetry={() => {
          void me.refetch();
          void tenants.refetch();
        }}
      />
    );
  } else {
    content = (
      <div className="w-full max-w-lg">
        <h1 className="text-2xl font-semibold tracking-tight text-fg">Welcome, {me.data.name}</h1>
        <p className="mt-2 text-sm text-fg-muted">
          You are not in any workspace yet. Create one for your team, or open the invitation link a teammate sent you.
        </p>
        <Card className="mt-6">
          <CardHeader title="Create your first workspace" />
          <CardBody>
            <CreateWorkspaceForm footer="inline" />
          </CardBody>
        </Card>
      </div>
    );
  }

  return (
    <div className="flex min-h-dvh flex-col">
      <PreferencesSync />
      <header className="flex h-14 items-center gap-2 border-b border-border bg-surface px-4">
        <Link href="/" className="rounded-md" aria-label="ElasticDash home">
          <Logo />
        </Link>
        <div className="ml-auto flex items-center gap-1">
          <ThemeMenu persistToServer />
          {me.data ? (
            <Button variant="ghost" size="sm" onClick={() => logout.mutate()} loading={logout.isPending}>
              <LogOut aria-hidden /> Log out
            </Button>
          ) : null}
        </div>
      </header>
      <main id="main" className="flex flex-1 items-start justify-center px-4 py-12 sm:py-20">
        {content}
      </main>
    </div>
  );
}

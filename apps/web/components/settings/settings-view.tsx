'use client';

import { PageHeader } from '@/components/app/page-header';
import { ErrorState } from '@/components/ui/error-state';
import { Loading } from '@/components/ui/skeleton';
import { useMe } from '@/lib/queries';
import { hasRole } from '@elasticdash/contracts/platform/roles';
import { useCurrentTenant } from '@/components/app/tenant-context';
import { AppearanceCard } from './appearance-card';
import { DeployTargetsCard } from './deploy-targets-card';
import { PasswordCard } from './password-card';
import { ProfileCard } from './profile-card';
import { SessionsCard } from './sessions-card';
import { WorkspaceCard } from './workspace-card';

export function SettingsView() {
  const me = useMe();
  const { tenant } = useCurrentTenant();
  return (
    <>
      <PageHeader title="Settings" description="Your account, your appearance, and this workspace." />
      {me.isPending ? (
        <Loading />
      ) : me.isError ? (
        <ErrorState error={me.error} onRetry={() => void me.refetch()} />
      ) : (
        <div className="flex flex-col gap-6">
          <ProfileCard user={me.data} />
          <AppearanceCard />
          <PasswordCard />
          <SessionsCard />
          <WorkspaceCard />
          {hasRole(tenant.role, 'admin') ? <DeployTargetsCard /> : null}
        </div>
      )}
    </>
  );
}

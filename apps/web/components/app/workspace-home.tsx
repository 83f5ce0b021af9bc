'use client';

import { IntentLink } from './intent-link';
import { ArrowRight, UserPlus } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { useMe } from '@/lib/queries';
import { canManageMembers, ROLE_LABELS } from '@/lib/roles';
import { PRODUCT_NAV, workspacePath } from './nav-items';
import { PageHeader } from './page-header';
import { useCurrentTenant } from './tenant-context';

const BLURBS: Record<string, string> = {
  data: 'Browse and edit your PostgreSQL tables without SQL.',
  datasets: 'Upload CSV files of any size and explore them.',
  dashboards: 'Chart your datasets and share the result.',
  plans: 'Design and deploy a tuned PostgreSQL in one click.',
};

export function WorkspaceHome() {
  const { tenant, tenantId } = useCurrentTenant();
  const me = useMe();
  const firstName = me.data?.name.split(/\s+/)[0];
  return (
    <>
      <PageHeader
        title={firstName ? `Welcome, ${firstName}` : 'Welcome'}
        description={
          <>
            You are in <strong className="font-medium text-fg">{tenant.name}</strong> as{' '}
            {ROLE_LABELS[tenant.role].toLowerCase()}.
          </>
        }
        actions={
          canManageMembers(tenant.role) ? (
            <Button asChild variant="outline">
              <IntentLink href={workspacePath(tenantId, 'members')}>
                <UserPlus aria-hidden /> Invite teammates
              </IntentLink>
            </Button>
          ) : undefined
        }
      />
      <h2 className="sr-only">Products</h2>
      <ul className="grid gap-4 sm:grid-cols-2">
        {PRODUCT_NAV.map(({ segment, label, icon: Icon }) => (
          <li key={segment}>
            <Card className="group relative h-full p-5 transition-colors hover:border-accent/50">
              <div className="flex size-10 items-center justify-center rounded-md bg-accent-soft text-accent-text">
                <Icon className="size-5" aria-hidden />
              </div>
              <h3 className="mt-4 font-semibold text-fg">
                <IntentLink
                  href={workspacePath(tenantId, segment)}
                  className="after:absolute after:inset-0 after:rounded-lg"
                >
                  {label}
                </IntentLink>
              </h3>
              <p className="mt-1 text-sm text-fg-muted">{BLURBS[segment]}</p>
              <ArrowRight
                className="absolute right-5 bottom-5 size-4 text-fg-muted transition-transform group-hover:translate-x-0.5"
                aria-hidden
              />
            </Card>
          </li>
        ))}
      </ul>
    </>
  );
}

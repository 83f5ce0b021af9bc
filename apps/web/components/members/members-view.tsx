'use client';

import { PageHeader } from '@/components/app/page-header';
import { useCurrentTenant } from '@/components/app/tenant-context';
import { canManageMembers } from '@/lib/roles';
import { InvitationsTable } from './invitations-table';
import { InviteDialog } from './invite-dialog';
import { MembersTable } from './members-table';

export function MembersView() {
  const { tenant } = useCurrentTenant();
  const manage = canManageMembers(tenant.role);
  return (
    <>
      <PageHeader
        title="Members"
        description={
          manage
            ? `Who is in ${tenant.name}, and what they can do.`
            : `Who is in ${tenant.name}. Only admins and owners can invite or change roles.`
        }
        actions={manage ? <InviteDialog /> : undefined}
      />
      <div className="flex flex-col gap-6">
        <MembersTable />
        {manage ? <InvitationsTable /> : null}
      </div>
    </>
  );
}

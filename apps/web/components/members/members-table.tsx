'use client';

import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Crown, MoreHorizontal, UserMinus, Users } from 'lucide-react';
import { ZMemberResponse, type TMember } from '@elasticdash/contracts/tenants/member';
import type { TRole } from '@elasticdash/contracts/platform/roles';
import { ZTenantResponse } from '@elasticdash/contracts/tenants/tenant';
import { useCurrentTenant } from '@/components/app/tenant-context';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardHeader } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorState } from '@/components/ui/error-state';
import { Select } from '@/components/ui/select';
import { Skeleton } from '@/components/ui/skeleton';
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { useToast } from '@/components/ui/toast';
import { api, errorMessage } from '@/lib/api';
import { queryKeys, useMe, useMembers } from '@/lib/queries';
import { assignableRoles, canActOnMember, canManageMembers, ROLE_BADGE, ROLE_LABELS } from '@/lib/roles';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

function RoleSelect({ member }: { member: TMember }) {
  const { tenantId, tenant } = useCurrentTenant();
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const change = useMutation({
    mutationFn: (role: TRole) =>
      api(`/members/${member.userId}`, { method: 'PATCH', body: { role }, tenantId, schema: ZMemberResponse }),
    onSuccess: ({ member: updated }) => {
      toast({ variant: 'success', title: `${updated.name} is now ${ROLE_LABELS[updated.role].toLowerCase()}` });
    },
    onError: (error) =>
      toast({ variant: 'danger', title: 'Could not change the role', description: errorMessage(error) }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.members(tenantId) }),
  });
  const value = change.isPending && change.variables ? change.variables : member.role;
  return (
    <Select
      size="sm"
      className="w-32"
      aria-label={`Role of ${member.name}`}
      value={value}
      disabled={change.isPending}
      onValueChange={(next) => {
        const role = assignableRoles(tenant.role).find((candidate) => candidate === next);
        if (role && role !== member.role) change.mutate(role);
      }}
      options={assignableRoles(tenant.role).map((role) => ({ value: role, label: ROLE_LABELS[role] }))}
    />
  );
}

function MemberActions({ member }: { member: TMember }) {
  const { tenantId, tenant } = useCurrentTenant();
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const [dialog, setDialog] = useState<'remove' | 'transfer' | null>(null);

  const remove = useMutation({
    mutationFn: () => api(`/members/${member.userId}`, { method: 'DELETE', tenantId }),
    onSuccess: async () => {
      setDialog(null);
      toast({ variant: 'success', title: `${member.name} was removed` });
      await queryClient.invalidateQueries({ queryKey: queryKeys.members(tenantId) });
    },
  });
  const transfer = useMutation({
    mutationFn: () =>
      api('/tenant/transfer-ownership', {
        method: 'POST',
        body: { userId: member.userId, previousOwnerRole: 'admin' },
        tenantId,
        schema: ZTenantResponse,
      }),
    onSuccess: async () => {
      setDialog(null);
      toast({ variant: 'success', title: `${member.name} is now the owner` });
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.tenant(tenantId) }),
        queryClient.invalidateQueries({ queryKey: queryKeys.tenants }),
      ]);
    },
  });

  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="ghost" size="icon-sm" aria-label={`Actions for ${member.name}`}>
            <MoreHorizontal aria-hidden />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end">
          {tenant.role === 'owner' && member.role !== 'owner' ? (
            <DropdownMenuItem onSelect={() => setDialog('transfer')}>
              <Crown aria-hidden /> Transfer ownership
            </DropdownMenuItem>
          ) : null}
          <DropdownMenuItem variant="danger" onSelect={() => setDialog('remove')}>
            <UserMinus aria-hidden /> Remove from workspace
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
      <ConfirmDialog
        open={dialog === 'remove'}
        onOpenChange={(open) => {
          if (!open) {
            setDialog(null);
            remove.reset();
          }
        }}
        title={`Remove ${member.name}?`}
        description={`${member.email} loses access to ${tenant.name} at once. You can invite them again later.`}
        confirmLabel="Remove"
        onConfirm={() => remove.mutate()}
        pending={remove.isPending}
        error={remove.error ? errorMessage(remove.error) : null}
      />
      <ConfirmDialog
        open={dialog === 'transfer'}
        onOpenChange={(open) => {
          if (!open) {
            setDialog(null);
            transfer.reset();
          }
        }}
        title={`Make ${member.name} the owner?`}
        description={`${member.name} becomes the owner of ${tenant.name}. You stay in the workspace as an admin.`}
        confirmLabel="Transfer ownership"
        variant="primary"
        onConfirm={() => transfer.mutate()}
        pending={transfer.isPending}
        error={transfer.error ? errorMessage(transfer.error) : null}
      />
    </>
  );
}

export function MembersTable() {
  const { tenantId, tenant } = useCurrentTenant();
  const me = useMe();
  const members = useMembers(tenantId);
  const manage = canManageMembers(tenant.role);
  const myId = me.data?.id ?? '';

  return (
    <Card>
      <CardHeader
        title="Members"
        id="members-title"
        description={
          members.data ? `${members.data.length} ${members.data.length === 1 ? 'person' : 'people'}` : undefined
        }
      />
      {members.isPending ? (
        <div className="flex flex-col gap-3 p-4 sm:p-6" role="status" aria-label="Loading members">
          {[0, 1, 2].map((row) => (
            <Skeleton key={row} className="h-10 w-full" />
          ))}
        </div>
      ) : members.isError ? (
        <ErrorState error={members.error} title="Could not load members" onRetry={() => void members.refetch()} />
      ) : members.data.length === 0 ? (
        <EmptyState icon={Users} title="No members" description="Invite someone to get started." />
      ) : (
        <Table aria-labelledby="members-title" data-testid="members-table">
          <TableCaption>Members of {tenant.name}</TableCaption>
          <TableHeader>
            <TableRow>
              <TableHead>Member</TableHead>
              <TableHead>Role</TableHead>
              <TableHead className="hidden md:table-cell">Joined</TableHead>
              {manage ? (
                <TableHead className="w-12">
                  <span className="sr-only">Actions</span>
                </TableHead>
              ) : null}
            </TableRow>
          </TableHeader>
          <TableBody>
            {members.data.map((member) => {
              const actionable = manage && canActOnMember(tenant.role, member, myId);
              return (
                <TableRow key={member.userId} data-testid="member-row" data-email={member.email}>
                  <TableCell>
                    <div className="flex min-w-0 flex-col">
                      <span className="font-medium">
                        {member.name}
                        {member.userId === myId ? <span className="ml-2 text-xs text-fg-muted">(you)</span> : null}
                      </span>
                      <span className="truncate text-xs text-fg-muted">{member.email}</span>
                    </div>
                  </TableCell>
                  <TableCell>
                    {actionable ? (
                      <RoleSelect member={member} />
                    ) : (
                      <Badge variant={ROLE_BADGE[member.role]}>{ROLE_LABELS[member.role]}</Badge>
                    )}
                  </TableCell>
                  <TableCell className="hidden text-fg-muted md:table-cell">
                    {dateFormat.format(new Date(member.joinedAt))}
                  </TableCell>
                  {manage ? <TableCell>{actionable ? <MemberActions member={member} /> : null}</TableCell> : null}
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
    </Card>
  );
}

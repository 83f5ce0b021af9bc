'use client';

import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link2, MailX, Send } from 'lucide-react';
import type { TCreateInvitationResponse, TInvitation } from '@elasticdash/contracts/tenants/invitation';
import { useCurrentTenant } from '@/components/app/tenant-context';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardHeader } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Dialog, DialogClose, DialogContent, DialogFooter } from '@/components/ui/dialog';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorState } from '@/components/ui/error-state';
import { Skeleton } from '@/components/ui/skeleton';
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { useToast } from '@/components/ui/toast';
import { api, errorMessage } from '@/lib/api';
import { queryKeys, useInvitations } from '@/lib/queries';
import { ROLE_BADGE, ROLE_LABELS } from '@/lib/roles';
import { InvitationCreated, useCreateInvitation } from './invite-dialog';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

function InvitationActions({
  invitation,
  onRenewed,
}: {
  invitation: TInvitation;
  /** The new link; shown by the table, since this row disappears (its invitation is replaced). */
  onRenewed: (created: TCreateInvitationResponse) => void;
}) {
  const { tenantId } = useCurrentTenant();
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const [confirming, setConfirming] = useState(false);
  const renew = useCreateInvitation();
  const revoke = useMutation({
    mutationFn: () => api(`/invitations/${invitation.id}`, { method: 'DELETE', tenantId }),
    onSuccess: async () => {
      setConfirming(false);
      toast({ variant: 'success', title: `Invitation for ${invitation.email} revoked` });
      await queryClient.invalidateQueries({ queryKey: queryKeys.invitations(tenantId) });
    },
  });

  return (
    <div className="flex justify-end gap-1">
      <Button
        variant="ghost"
        size="sm"
        loading={renew.isPending}
        onClick={() =>
          renew.mutate(
            { email: invitation.email, role: invitation.role === 'owner' ? 'admin' : invitation.role },
            {
              onSuccess: onRenewed,
              onError: (error) =>
                toast({ variant: 'danger', title: 'Could not create a new link', description: errorMessage(error) }),
            },
          )
        }
        aria-label={`New invite link for ${invitation.email}`}
      >
        <Link2 aria-hidden />
        <span className="hidden lg:inline">New link</span>
      </Button>
      <Button
        variant="danger-ghost"
        size="sm"
        onClick={() => setConfirming(true)}
        aria-label={`Revoke invitation for ${invitation.email}`}
      >
        <MailX aria-hidden />
        <span className="hidden lg:inline">Revoke</span>
      </Button>
      <ConfirmDialog
        open={confirming}
        onOpenChange={(open) => {
          setConfirming(open);
          if (!open) revoke.reset();
        }}
        title={`Revoke the invitation for ${invitation.email}?`}
        description="The link stops working at once. You can invite them again later."
        confirmLabel="Revoke invitation"
        onConfirm={() => revoke.mutate()}
        pending={revoke.isPending}
        error={revoke.error ? errorMessage(revoke.error) : null}
      />
    </div>
  );
}

/** Pending invitations (admins and owners only: the route needs admin). */
export function InvitationsTable() {
  const { tenantId } = useCurrentTenant();
  const invitations = useInvitations(tenantId, true);
  const [renewed, setRenewed] = useState<TCreateInvitationResponse | null>(null);

  return (
    <Card>
      <Dialog open={renewed !== null} onOpenChange={(open) => !open && setRenewed(null)}>
        <DialogContent title="New invite link" description="The previous link for this address no longer works.">
          {renewed ? <InvitationCreated created={renewed} /> : null}
          <DialogFooter>
            <DialogClose asChild>
              <Button>Done</Button>
            </DialogClose>
          </DialogFooter>
        </DialogContent>
      </Dialog>
      <CardHeader
        title="Pending invitations"
        id="invitations-title"
        description="Links are shown once, when created. Make a new link if one was lost."
      />
      {invitations.isPending ? (
        <div className="flex flex-col gap-3 p-4 sm:p-6" role="status" aria-label="Loading invitations">
          <Skeleton className="h-10 w-full" />
          <Skeleton className="h-10 w-full" />
        </div>
      ) : invitations.isError ? (
        <ErrorState
          error={invitations.error}
          title="Could not load invitations"
          onRetry={() => void invitations.refetch()}
        />
      ) : invitations.data.length === 0 ? (
        <EmptyState
          icon={Send}
          title="No pending invitations"
          description="Invitations you send appear here until accepted."
        />
      ) : (
        <Table aria-labelledby="invitations-title" data-testid="invitations-table">
          <TableCaption>Pending invitations</TableCaption>
          <TableHeader>
            <TableRow>
              <TableHead>Email</TableHead>
              <TableHead>Role</TableHead>
              <TableHead className="hidden md:table-cell">Expires</TableHead>
              <TableHead className="text-right">
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {invitations.data.map((invitation) => (
              <TableRow key={invitation.id} data-testid="invitation-row" data-email={invitation.email}>
                <TableCell className="max-w-48 truncate font-medium sm:max-w-none">{invitation.email}</TableCell>
                <TableCell>
                  <Badge variant={ROLE_BADGE[invitation.role]}>{ROLE_LABELS[invitation.role]}</Badge>
                </TableCell>
                <TableCell className="hidden text-fg-muted md:table-cell">
                  {dateFormat.format(new Date(invitation.expiresAt))}
                </TableCell>
                <TableCell>
                  <InvitationActions invitation={invitation} onRenewed={setRenewed} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Card>
  );
}

'use client';

import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { MailPlus } from 'lucide-react';
import {
  INVITATION_TTL_DAYS,
  ZCreateInvitationRequest,
  ZCreateInvitationResponse,
  type TCreateInvitationRequest,
  type TCreateInvitationResponse,
} from '@elasticdash/contracts/tenants/invitation';
import { useCurrentTenant } from '@/components/app/tenant-context';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { CopyField } from '@/components/ui/copy-field';
import { Dialog, DialogClose, DialogContent, DialogFooter, DialogTrigger } from '@/components/ui/dialog';
import { Field, FormError, TextField } from '@/components/ui/field';
import { Select } from '@/components/ui/select';
import { api } from '@/lib/api';
import { useZodForm } from '@/lib/forms';
import { queryKeys } from '@/lib/queries';
import { invitableRoles, ROLE_DESCRIPTIONS, ROLE_LABELS } from '@/lib/roles';
import { inviteLink } from './invite-link';

const FIELDS = ['email', 'role'] as const;

export function useCreateInvitation() {
  const { tenantId } = useCurrentTenant();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: TCreateInvitationRequest) =>
      api('/invitations', { method: 'POST', body, tenantId, schema: ZCreateInvitationResponse }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.invitations(tenantId) }),
  });
}

/** Shows the one-time invite link after an invitation is created. */
export function InvitationCreated({ created }: { created: TCreateInvitationResponse }) {
  return (
    <div className="flex flex-col gap-4">
      <Alert variant="success" title={`Invitation for ${created.invitation.email} created`}>
        Send them this link. It works once, only for that email address, for {INVITATION_TTL_DAYS} days. It is shown
        only now.
      </Alert>
      <CopyField label="Invite link" value={inviteLink(created.token)} testId="invite-link" />
    </div>
  );
}

export function InviteDialog() {
  const [open, setOpen] = useState(false);
  const [created, setCreated] = useState<TCreateInvitationResponse | null>(null);
  const [role, setRole] = useState<string>('viewer');
  const form = useZodForm(ZCreateInvitationRequest, FIELDS);
  const invite = useCreateInvitation();

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (!next) {
      setCreated(null);
      setRole('viewer');
      form.reset();
      invite.reset();
    }
  }

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button>
          <MailPlus aria-hidden /> Invite member
        </Button>
      </DialogTrigger>
      <DialogContent
        title="Invite a member"
        description={created ? undefined : 'They join with the role you choose once they accept.'}
      >
        {created ? (
          <>
            <InvitationCreated created={created} />
            <DialogFooter>
              <Button variant="outline" onClick={() => setCreated(null)}>
                Invite someone else
              </Button>
              <DialogClose asChild>
                <Button>Done</Button>
              </DialogClose>
            </DialogFooter>
          </>
        ) : (
          <form
            noValidate
            className="flex flex-col gap-4"
            onSubmit={form.handleSubmit((data) =>
              invite.mutate(data, { onSuccess: setCreated, onError: form.applyServerError }),
            )}
          >
            <FormError message={form.formError} />
            <TextField
              label="Email"
              name="email"
              type="email"
              autoComplete="off"
              inputMode="email"
              required
              error={form.errors.email}
              onChange={() => form.clearFieldError('email')}
            />
            <Field label="Role" name="role" error={form.errors.role}>
              {({ id, name, ...aria }) => (
                <Select
                  id={id}
                  name={name}
                  data-field={name}
                  value={role}
                  onValueChange={setRole}
                  options={invitableRoles().map((value) => ({
                    value,
                    label: ROLE_LABELS[value],
                    description: ROLE_DESCRIPTIONS[value],
                  }))}
                  {...aria}
                />
              )}
            </Field>
            <DialogFooter>
              <DialogClose asChild>
                <Button variant="outline">Cancel</Button>
              </DialogClose>
              <Button type="submit" loading={invite.isPending}>
                Create invitation
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}

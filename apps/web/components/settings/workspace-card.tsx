'use client';

import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { LogOut, Trash2 } from 'lucide-react';
import {
  ZRenameTenantRequest,
  ZTenantResponse,
  type TRenameTenantRequest,
} from '@elasticdash/contracts/tenants/tenant';
import { hasRole } from '@elasticdash/contracts/platform/roles';
import { useCurrentTenant } from '@/components/app/tenant-context';
import { Button } from '@/components/ui/button';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { FormError, TextField } from '@/components/ui/field';
import { useToast } from '@/components/ui/toast';
import { api, errorMessage } from '@/lib/api';
import { useZodForm } from '@/lib/forms';
import { queryKeys } from '@/lib/queries';
import { ROLE_LABELS } from '@/lib/roles';

const FIELDS = ['name'] as const;

function RenameForm() {
  const { tenantId, tenant } = useCurrentTenant();
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const form = useZodForm(ZRenameTenantRequest, FIELDS);
  const rename = useMutation({
    mutationFn: (body: TRenameTenantRequest) =>
      api('/tenant', { method: 'PATCH', body, tenantId, schema: ZTenantResponse }),
    onSuccess: async (data) => {
      queryClient.setQueryData(queryKeys.tenant(tenantId), data);
      toast({ variant: 'success', title: 'Workspace renamed' });
      await queryClient.invalidateQueries({ queryKey: queryKeys.tenants });
    },
    onError: form.applyServerError,
  });
  return (
    <form
      noValidate
      onSubmit={form.handleSubmit((data) => rename.mutate(data))}
      className="flex max-w-md flex-col gap-4"
    >
      <FormError message={form.formError} />
      <TextField
        key={tenant.name}
        label="Workspace name"
        name="name"
        defaultValue={tenant.name}
        autoComplete="off"
        required
        error={form.errors.name}
        onChange={() => form.clearFieldError('name')}
      />
      <Button type="submit" loading={rename.isPending} className="self-start">
        Rename workspace
      </Button>
    </form>
  );
}

export function WorkspaceCard() {
  const { tenantId, tenant } = useCurrentTenant();
  const router = useRouter();
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const [dialog, setDialog] = useState<'leave' | 'delete' | null>(null);

  const leaveOrDelete = useMutation({
    mutationFn: (action: 'leave' | 'delete') =>
      action === 'leave'
        ? api('/tenant/leave', { method: 'POST', tenantId })
        : api('/tenant', { method: 'DELETE', tenantId }),
    onSuccess: async (_data, action) => {
      setDialog(null);
      toast({
        variant: 'success',
        title: action === 'leave' ? `You left ${tenant.name}` : `${tenant.name} was deleted`,
      });
      queryClient.removeQueries({ queryKey: queryKeys.tenant(tenantId) });
      await queryClient.invalidateQueries({ queryKey: queryKeys.tenants });
      router.replace('/app');
    },
  });

  return (
    <Card>
      <CardHeader
        title="Workspace"
        description={`${tenant.name} · you are ${ROLE_LABELS[tenant.role].toLowerCase()}`}
      />
      <CardBody className="flex flex-col gap-6">
        {hasRole(tenant.role, 'admin') ? <RenameForm /> : null}
        <div className="flex flex-wrap gap-2">
          <Button variant="outline" onClick={() => setDialog('leave')}>
            <LogOut aria-hidden /> Leave workspace
          </Button>
          {tenant.role === 'owner' ? (
            <Button variant="danger" onClick={() => setDialog('delete')}>
              <Trash2 aria-hidden /> Delete workspace
            </Button>
          ) : null}
        </div>
      </CardBody>
      <ConfirmDialog
        open={dialog !== null}
        onOpenChange={(open) => {
          if (!open) {
            setDialog(null);
            leaveOrDelete.reset();
          }
        }}
        title={dialog === 'delete' ? `Delete ${tenant.name}?` : `Leave ${tenant.name}?`}
        description={
          dialog === 'delete'
            ? 'Everyone loses access and its contents are deleted. This cannot be undone.'
            : 'You lose access until someone invites you again.'
        }
        confirmLabel={dialog === 'delete' ? 'Delete workspace' : 'Leave workspace'}
        onConfirm={() => dialog && leaveOrDelete.mutate(dialog)}
        pending={leaveOrDelete.isPending}
        error={leaveOrDelete.error ? errorMessage(leaveOrDelete.error) : null}
      />
    </Card>
  );
}

'use client';

import { useRouter } from 'next/navigation';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  ZCreateTenantRequest,
  ZTenantResponse,
  type TCreateTenantRequest,
  type TMyTenant,
} from '@elasticdash/contracts/tenants/tenant';
import { Button } from '@/components/ui/button';
import { Dialog, DialogClose, DialogContent, DialogFooter } from '@/components/ui/dialog';
import { FormError, TextField } from '@/components/ui/field';
import { useToast } from '@/components/ui/toast';
import { api } from '@/lib/api';
import { useZodForm } from '@/lib/forms';
import { queryKeys } from '@/lib/queries';
import { workspacePath } from './nav-items';

const FIELDS = ['name'] as const;

function useCreateWorkspace(onCreated: (tenant: TMyTenant) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: TCreateTenantRequest) =>
      api('/tenants', { method: 'POST', body, schema: ZTenantResponse }).then((data) => data.tenant),
    onSuccess: async (tenant) => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.tenants });
      onCreated(tenant);
    },
  });
}

/** The create-workspace form; after creating, this tab moves into the new workspace. */
export function CreateWorkspaceForm({ onDone, footer }: { onDone?: () => void; footer?: 'dialog' | 'inline' }) {
  const router = useRouter();
  const { toast } = useToast();
  const form = useZodForm(ZCreateTenantRequest, FIELDS);
  const create = useCreateWorkspace((tenant) => {
    toast({ variant: 'success', title: `Workspace “${tenant.name}” created` });
    onDone?.();
    router.push(workspacePath(tenant.id));
  });

  return (
    <form
      noValidate
      onSubmit={form.handleSubmit((data) => create.mutate(data, { onError: form.applyServerError }))}
      className="flex flex-col gap-4"
    >
      <FormError message={form.formError} />
      <TextField
        label="Workspace name"
        name="name"
        placeholder="e.g. Acme analytics"
        autoComplete="off"
        required
        error={form.errors.name}
        hint="You will be its owner. You can rename it later."
        onChange={() => form.clearFieldError('name')}
      />
      {footer === 'dialog' ? (
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="outline">Cancel</Button>
          </DialogClose>
          <Button type="submit" loading={create.isPending}>
            Create workspace
          </Button>
        </DialogFooter>
      ) : (
        <Button type="submit" loading={create.isPending} className="self-start">
          Create workspace
        </Button>
      )}
    </form>
  );
}

export function CreateWorkspaceDialog({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent
        title="Create a workspace"
        description="A workspace holds its own data connections, datasets, dashboards, plans and members."
      >
        <CreateWorkspaceForm footer="dialog" onDone={() => onOpenChange(false)} />
      </DialogContent>
    </Dialog>
  );
}

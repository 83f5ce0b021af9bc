'use client';

import { useId, useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Trash2 } from 'lucide-react';
import type { TDeployment } from '@elasticdash/contracts/deployer/deployment';
import { Button } from '@/components/ui/button';
import { Dialog, DialogClose, DialogContent, DialogFooter } from '@/components/ui/dialog';
import { FormError } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { errorMessage } from '@/lib/api';
import { destroyDeployment } from '@/lib/deployments/queries';

/**
 * Destroying removes the server and its data: the user types the plan's name (as deployed) to
 * enable the button, like the deployer requires (`confirmPlanName`).
 */
export function DestroyDialog({
  open,
  onOpenChange,
  tenantId,
  planId,
  planName,
  onDestroying,
  onCloseAutoFocus,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  tenantId: string;
  planId: string;
  /** The name the deployment knows the plan by (what the server checks). */
  planName: string;
  onDestroying: (deployment: TDeployment) => void;
  /** Where focus goes on close (the Destroy button may be gone once the destroy started). */
  onCloseAutoFocus?: (event: Event) => void;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      {open ? (
        <DestroyDialogBody
          tenantId={tenantId}
          planId={planId}
          planName={planName}
          onDestroying={onDestroying}
          onCloseAutoFocus={onCloseAutoFocus}
        />
      ) : null}
    </Dialog>
  );
}

function DestroyDialogBody({
  tenantId,
  planId,
  planName,
  onDestroying,
  onCloseAutoFocus,
}: {
  tenantId: string;
  planId: string;
  planName: string;
  onDestroying: (deployment: TDeployment) => void;
  onCloseAutoFocus?: (event: Event) => void;
}) {
  const id = useId();
  const [typed, setTyped] = useState('');
  const matches = typed === planName;
  const destroy = useMutation({
    mutationFn: () => destroyDeployment(tenantId, planId, typed),
    onSuccess: (deployment) => onDestroying(deployment),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    if (matches && !destroy.isPending) destroy.mutate();
  }

  return (
    <DialogContent
      role="alertdialog"
      title={`Destroy the deployment of “${planName}”?`}
      description="The PostgreSQL server is stopped and removed with all its data and its admin password. The plan itself stays."
      data-testid="destroy-dialog"
      onCloseAutoFocus={onCloseAutoFocus}
    >
      <form className="flex flex-col gap-4" onSubmit={submit}>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor={`${id}-name`}>
            Type <span className="font-mono font-semibold">{planName}</span> to confirm
          </Label>
          <Input
            id={`${id}-name`}
            value={typed}
            autoComplete="off"
            spellCheck={false}
            autoFocus
            onChange={(event) => setTyped(event.currentTarget.value)}
            aria-describedby={`${id}-hint`}
            data-testid="destroy-confirm-name"
          />
          <p id={`${id}-hint`} className="text-xs text-fg-muted">
            {matches ? 'The name matches.' : 'The Destroy button is enabled when the name matches exactly.'}
          </p>
        </div>
        <FormError message={destroy.error ? errorMessage(destroy.error) : null} />
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="outline">Cancel</Button>
          </DialogClose>
          <Button
            type="submit"
            variant="danger"
            disabled={!matches}
            loading={destroy.isPending}
            data-testid="destroy-confirm"
          >
            <Trash2 aria-hidden /> Destroy
          </Button>
        </DialogFooter>
      </form>
    </DialogContent>
  );
}

'use client';

import { useId, useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Rocket, TriangleAlert } from 'lucide-react';
import type { TDeployment, TDeployTargetKind } from '@elasticdash/contracts/deployer/deployment';
import { Button } from '@/components/ui/button';
import { Dialog, DialogClose, DialogContent, DialogFooter } from '@/components/ui/dialog';
import { FormError } from '@/components/ui/field';
import { Loading } from '@/components/ui/skeleton';
import { errorMessage } from '@/lib/api';
import { cn } from '@/lib/cn';
import { DeployerError, deployPlan, type TDestructiveChange } from '@/lib/deployments/queries';
import { isLive } from '@/lib/deployments/status';
import { useDeployTargets } from '@/lib/deployments/targets';
import { formatDiffValue } from '@/lib/plans/json-diff';
import { usePlanDiff } from '@/lib/plans/queries';
import { ChangeList } from './change-list';

export const TARGET_LABELS: Record<TDeployTargetKind, string> = {
  local: 'Local — this machine',
  aws: 'AWS',
};

/** What a re-deploy changes: the plan diff from the deployed revision to this one. */
function RedeployChanges({
  tenantId,
  planId,
  deployedRevision,
  revision,
  destructive,
}: {
  tenantId: string;
  planId: string;
  deployedRevision: number | null;
  revision: number;
  /** The deployer said the change replaces the server: the "data is kept" note would be wrong. */
  destructive: boolean;
}) {
  const range =
    deployedRevision !== null && deployedRevision < revision ? { from: deployedRevision, to: revision } : null;
  const diff = usePlanDiff(tenantId, planId, range);
  if (deployedRevision === null) return null;
  if (!range) {
    return (
      <p className="text-sm text-fg-muted" data-testid="redeploy-changes" data-count="0">
        No changes since revision {deployedRevision} was deployed; its configuration is applied again (this also repairs
        drift).
      </p>
    );
  }
  return (
    <section aria-labelledby="redeploy-changes-title" className="flex flex-col gap-2">
      <h3 id="redeploy-changes-title" className="text-sm font-semibold text-fg">
        Changes from revision {range.from} (deployed) to {range.to}
      </h3>
      {diff.isPending ? (
        <Loading label="Comparing…" />
      ) : diff.isError ? (
        <p className="text-sm text-fg-muted">Could not compare the revisions: {errorMessage(diff.error)}</p>
      ) : (
        <div className="max-h-56 overflow-y-auto" data-testid="redeploy-changes" data-count={diff.data.changes.length}>
          <ChangeList changes={diff.data.changes} emptyText="No changes to the document." />
        </div>
      )}
      {destructive ? null : (
        <p className="text-xs text-fg-muted">
          Settings change in place and the data is kept; settings PostgreSQL reads only at start-up restart it briefly.
        </p>
      )}
    </section>
  );
}

function DestructiveChanges({ changes }: { changes: readonly TDestructiveChange[] }) {
  return (
    <ul className="flex flex-col gap-1" data-testid="destructive-changes">
      {changes.map((change) => (
        <li key={change.path} className="text-sm" data-path={change.path}>
          <code className="font-mono text-xs break-all text-fg">{change.path}</code>{' '}
          <span className="font-mono text-xs text-fg-muted">
            {formatDiffValue(change.from)} → {formatDiffValue(change.to)}
          </span>
          <span className="block text-xs text-fg-muted">{change.reason}</span>
        </li>
      ))}
    </ul>
  );
}

/**
 * Confirms a deploy. A first deploy picks the target (Local, or AWS once configured); a
 * re-deploy shows what changes since the deployed revision. A change that would replace the
 * server (409 `destructive_change`) lists the fields and needs an explicit "I understand" before
 * "Deploy anyway".
 */
export function DeployDialog({
  open,
  onOpenChange,
  tenantId,
  planId,
  planName,
  revision,
  deployment,
  onDeployed,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  tenantId: string;
  planId: string;
  planName: string;
  revision: number;
  deployment: TDeployment | null;
  onDeployed: (deployment: TDeployment) => void;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      {open ? (
        <DeployDialogBody
          tenantId={tenantId}
          planId={planId}
          planName={planName}
          revision={revision}
          deployment={deployment}
          onDeployed={onDeployed}
        />
      ) : null}
    </Dialog>
  );
}

function DeployDialogBody({
  tenantId,
  planId,
  planName,
  revision,
  deployment,
  onDeployed,
}: {
  tenantId: string;
  planId: string;
  planName: string;
  revision: number;
  deployment: TDeployment | null;
  onDeployed: (deployment: TDeployment) => void;
}) {
  const id = useId();
  const redeploy = isLive(deployment) && deployment?.deployedRevision != null;
  const fixedTarget = isLive(deployment) ? deployment?.target : undefined;
  const [target, setTarget] = useState<TDeployTargetKind>(fixedTarget ?? 'local');
  // AWS is offered once the workspace has a target and the installation enables it (Settings → Deploy targets).
  const targets = useDeployTargets(tenantId, !fixedTarget);
  const aws = targets.data?.aws ?? null;
  const awsReady = Boolean(aws?.enabled);
  const [destructive, setDestructive] = useState<TDestructiveChange[] | null>(null);
  const [understood, setUnderstood] = useState(false);

  const deploy = useMutation({
    mutationFn: (confirmDestructive: boolean) => deployPlan(tenantId, planId, { target, revision, confirmDestructive }),
    onSuccess: (result) => onDeployed(result),
    onError: (error) => {
      if (error instanceof DeployerError && error.destructiveChanges) setDestructive(error.destructiveChanges);
    },
  });
  const error = deploy.error;
  const showError = error && !(error instanceof DeployerError && error.destructiveChanges);
  const verb = redeploy ? 'Re-deploy' : 'Deploy';

  return (
    <DialogContent
      title={`${verb} “${planName}”?`}
      description={
        redeploy
          ? `Revision ${revision} is applied to the running server in place; its data is kept.`
          : `Revision ${revision} becomes a running PostgreSQL server.`
      }
      data-testid="deploy-dialog"
    >
      {fixedTarget ? (
        <p className="text-sm text-fg">
          <span className="font-medium">Target:</span> {TARGET_LABELS[fixedTarget]}
        </p>
      ) : (
        <fieldset className="flex flex-col gap-2">
          <legend className="mb-2 text-sm font-medium text-fg">Target</legend>
          <label
            htmlFor={`${id}-local`}
            className={cn(
              'flex cursor-pointer items-start gap-3 rounded-md border px-3 py-2',
              target === 'local' ? 'border-accent bg-accent-soft/50' : 'border-border',
            )}
          >
            <input
              type="radio"
              id={`${id}-local`}
              name={`${id}-target`}
              value="local"
              checked={target === 'local'}
              onChange={() => setTarget('local')}
              className="mt-0.5 size-4 accent-[var(--accent)]"
              data-testid="deploy-target-local"
            />
            <span className="flex flex-col">
              <span className="text-sm font-medium text-fg">{TARGET_LABELS.local}</span>
              <span className="text-xs text-fg-muted">A real PostgreSQL on this machine, on a free port.</span>
            </span>
          </label>
          <label
            htmlFor={`${id}-aws`}
            className={cn(
              'flex items-start gap-3 rounded-md border px-3 py-2',
              !awsReady && 'cursor-not-allowed border-border opacity-60',
              awsReady &&
                (target === 'aws' ? 'cursor-pointer border-accent bg-accent-soft/50' : 'cursor-pointer border-border'),
            )}
          >
            <input
              type="radio"
              id={`${id}-aws`}
              name={`${id}-target`}
              value="aws"
              disabled={!awsReady}
              checked={target === 'aws'}
              onChange={() => setTarget('aws')}
              aria-describedby={`${id}-aws-hint`}
              className="mt-0.5 size-4 accent-[var(--accent)]"
              data-testid="deploy-target-aws"
            />
            <span className="flex flex-col">
              <span className="text-sm font-medium text-fg">{TARGET_LABELS.aws}</span>
              <span id={`${id}-aws-hint`} className="text-xs text-fg-muted">
                {awsReady && aws
                  ? `EC2 in ${aws.region} (${aws.credentialKind === 'role' ? 'assumed role' : `key ${aws.accessKeyIdMasked ?? ''}`}).`
                  : aws
                    ? 'Disabled on this installation (DEPLOY_TARGETS).'
                    : 'Not configured for this workspace: add it under Settings → Deploy targets.'}
              </span>
            </span>
          </label>
        </fieldset>
      )}

      {redeploy && deployment ? (
        <RedeployChanges
          tenantId={tenantId}
          planId={planId}
          deployedRevision={deployment.deployedRevision}
          revision={revision}
          destructive={destructive !== null}
        />
      ) : null}

      {destructive ? (
        <div
          role="alert"
          className="flex flex-col gap-3 rounded-md border border-danger/40 bg-danger-soft px-4 py-3"
          data-testid="destructive-warning"
        >
          <p className="flex items-center gap-2 text-sm font-medium text-fg">
            <TriangleAlert className="size-4 text-danger-text" aria-hidden /> This change replaces the server and loses
            its data
          </p>
          {destructive.length > 0 ? (
            <DestructiveChanges changes={destructive} />
          ) : (
            <p className="text-sm text-fg-muted">{errorMessage(error)}</p>
          )}
          <label className="flex items-start gap-2 text-sm text-fg">
            <input
              type="checkbox"
              checked={understood}
              onChange={(event) => setUnderstood(event.currentTarget.checked)}
              className="mt-0.5 size-4 accent-[var(--danger)]"
              data-testid="destructive-understood"
            />
            I understand: the data on the current server is lost.
          </label>
        </div>
      ) : null}

      {showError ? (
        <div className="flex flex-col gap-2" data-testid="deploy-error">
          <FormError message={errorMessage(error)} />
          {error instanceof DeployerError && error.issues.length > 0 ? (
            <ul className="flex flex-col gap-1 text-xs text-danger-text">
              {error.issues.map((issue) => (
                <li key={`${issue.path}:${issue.message}`}>
                  <code className="font-mono">{issue.path}</code>: {issue.message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}

      <DialogFooter>
        <DialogClose asChild>
          <Button variant="outline">Cancel</Button>
        </DialogClose>
        {destructive ? (
          <Button
            variant="danger"
            disabled={!understood}
            loading={deploy.isPending}
            onClick={() => deploy.mutate(true)}
            data-testid="deploy-anyway"
          >
            Deploy anyway
          </Button>
        ) : (
          <Button
            autoFocus
            loading={deploy.isPending}
            onClick={() => deploy.mutate(false)}
            data-testid="deploy-confirm"
          >
            <Rocket aria-hidden /> {verb}
          </Button>
        )}
      </DialogFooter>
    </DialogContent>
  );
}

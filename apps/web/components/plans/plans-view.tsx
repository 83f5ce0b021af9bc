'use client';

import Link from 'next/link';
import { useEffect, useRef, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { CheckCircle2, MoreHorizontal, Plus, Trash2, TriangleAlert, Workflow } from 'lucide-react';
import type { TDeployment } from '@elasticdash/contracts/deployer/deployment';
import type { TPlanSummary } from '@elasticdash/contracts/plans/plan';
import { hasRole } from '@elasticdash/contracts/platform/roles';
import { PageHeader } from '@/components/app/page-header';
import { useCurrentTenant } from '@/components/app/tenant-context';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorState } from '@/components/ui/error-state';
import { Skeleton } from '@/components/ui/skeleton';
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { useToast } from '@/components/ui/toast';
import { errorMessage } from '@/lib/api';
import { useDeployments } from '@/lib/deployments/queries';
import { deploymentStatus } from '@/lib/deployments/status';
import { deletePlan, planKeys, usePlans } from '@/lib/plans/queries';
import { ImportPlanDialog } from './import-plan-dialog';
import { StatusDot } from './status-dot';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function ValidityBadge({ valid }: { valid: boolean }) {
  return valid ? (
    <Badge variant="success">
      <CheckCircle2 className="size-3" aria-hidden /> Valid
    </Badge>
  ) : (
    <Badge variant="danger">
      <TriangleAlert className="size-3" aria-hidden /> Has errors
    </Badge>
  );
}

function PlanActions({ plan }: { plan: TPlanSummary }) {
  const { tenantId } = useCurrentTenant();
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation({
    mutationFn: () => deletePlan(tenantId, plan.id),
    onSuccess: async () => {
      setConfirming(false);
      toast({ variant: 'success', title: `“${plan.name}” was deleted` });
      queryClient.removeQueries({ queryKey: planKeys.plan(tenantId, plan.id) });
      await queryClient.invalidateQueries({ queryKey: planKeys.all(tenantId), exact: true });
    },
  });
  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="ghost" size="icon-sm" aria-label={`Actions for ${plan.name}`}>
            <MoreHorizontal aria-hidden />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end">
          <DropdownMenuItem variant="danger" onSelect={() => setConfirming(true)}>
            <Trash2 aria-hidden /> Delete plan
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
      <ConfirmDialog
        open={confirming}
        onOpenChange={(open) => {
          setConfirming(open);
          if (!open) remove.reset();
        }}
        title={`Delete “${plan.name}”?`}
        description="The plan and all its revisions are deleted. Export it first if you may want it back."
        confirmLabel="Delete plan"
        onConfirm={() => remove.mutate()}
        pending={remove.isPending}
        error={remove.error ? errorMessage(remove.error) : null}
      />
    </>
  );
}

/** The deployment column: the live state (SSE keeps the cached list current), or why it is unknown. */
function PlanDeploymentStatus({
  deployment,
  loading,
  error,
}: {
  deployment: TDeployment | undefined;
  loading: boolean;
  error: unknown;
}) {
  if (loading) return <Skeleton className="h-4 w-24" />;
  if (error) {
    return (
      <span
        className="text-sm text-fg-muted"
        data-testid="plan-status"
        data-status="unknown"
        title={errorMessage(error)}
      >
        Status unavailable
      </span>
    );
  }
  return <StatusDot status={deploymentStatus(deployment)} />;
}

/**
 * One polite announcement when a plan's deployment changes colour while the list is open
 * ("orders is now Running"), so screen reader users hear what sighted users see.
 */
function useStatusAnnouncement(
  plans: readonly TPlanSummary[] | undefined,
  deployments: ReadonlyMap<string, TDeployment> | undefined,
): string {
  const previous = useRef<Map<string, string> | null>(null);
  const [message, setMessage] = useState('');
  useEffect(() => {
    if (!plans || !deployments) return;
    const next = new Map(plans.map((plan) => [plan.id, deploymentStatus(deployments.get(plan.id)).label]));
    const before = previous.current;
    previous.current = next;
    if (!before) return;
    const changed = plans.filter((plan) => before.has(plan.id) && before.get(plan.id) !== next.get(plan.id));
    if (changed.length === 0) return;
    setMessage(
      changed
        .map((plan) => {
          const status = deploymentStatus(deployments.get(plan.id));
          return `${plan.name} is now ${status.label}${status.reason ? `: ${status.reason}` : ''}.`;
        })
        .join(' '),
    );
  }, [plans, deployments]);
  return message;
}

export function PlansView() {
  const { tenantId, tenant } = useCurrentTenant();
  const plans = usePlans(tenantId);
  const deployments = useDeployments(tenantId);
  const announcement = useStatusAnnouncement(plans.data, deployments.data);
  const canWrite = hasRole(tenant.role, 'editor');
  const newPlan = (
    <Button asChild>
      <Link href={`/app/${tenantId}/plans/new`}>
        <Plus aria-hidden /> New plan
      </Link>
    </Button>
  );

  return (
    <>
      <PageHeader
        title="Plans"
        description={
          canWrite
            ? 'Design PostgreSQL deployments on a canvas. Every save is a revision you can compare and restore.'
            : 'PostgreSQL deployment plans of this workspace. Only editors and above can change them.'
        }
        actions={
          canWrite ? (
            <>
              <ImportPlanDialog />
              {newPlan}
            </>
          ) : undefined
        }
      />
      <p className="sr-only" aria-live="polite" data-testid="plans-status-announcement">
        {announcement}
      </p>
      <Card>
        {plans.isPending ? (
          <div className="flex flex-col gap-3 p-4 sm:p-6" role="status" aria-label="Loading plans">
            {[0, 1, 2].map((row) => (
              <Skeleton key={row} className="h-10 w-full" />
            ))}
          </div>
        ) : plans.isError ? (
          <ErrorState error={plans.error} title="Could not load plans" onRetry={() => void plans.refetch()} />
        ) : plans.data.length === 0 ? (
          <EmptyState
            as="h2"
            icon={Workflow}
            title="No plans yet"
            description={
              canWrite
                ? 'Drag a PostgreSQL node onto a canvas, size it, and save. Or import a .cs.json file.'
                : 'Nobody has made a plan in this workspace yet.'
            }
            action={canWrite ? newPlan : undefined}
          />
        ) : (
          <Table data-testid="plans-table">
            <TableCaption>Plans of {tenant.name}</TableCaption>
            <TableHeader>
              <TableRow>
                <TableHead>Plan</TableHead>
                <TableHead>Status</TableHead>
                <TableHead className="hidden sm:table-cell">Validity</TableHead>
                <TableHead className="hidden md:table-cell">Revision</TableHead>
                <TableHead className="hidden md:table-cell">Updated</TableHead>
                {canWrite ? (
                  <TableHead className="w-12">
                    <span className="sr-only">Actions</span>
                  </TableHead>
                ) : null}
              </TableRow>
            </TableHeader>
            <TableBody>
              {plans.data.map((plan) => (
                <TableRow key={plan.id} data-testid="plan-row" data-plan-id={plan.id}>
                  <TableCell>
                    <Link
                      href={`/app/${tenantId}/plans/${plan.id}`}
                      className="font-medium text-fg underline-offset-4 hover:underline"
                    >
                      {plan.name}
                    </Link>
                    <span className="block text-xs text-fg-muted md:hidden">
                      Revision {plan.revision} · {dateFormat.format(new Date(plan.updatedAt))}
                    </span>
                  </TableCell>
                  <TableCell>
                    <PlanDeploymentStatus
                      deployment={deployments.data?.get(plan.id)}
                      loading={deployments.isPending}
                      error={deployments.isError ? deployments.error : null}
                    />
                  </TableCell>
                  <TableCell className="hidden sm:table-cell">
                    <ValidityBadge valid={plan.valid} />
                  </TableCell>
                  <TableCell className="hidden text-fg-muted tabular-nums md:table-cell">{plan.revision}</TableCell>
                  <TableCell className="hidden text-fg-muted md:table-cell">
                    <time dateTime={plan.updatedAt}>{dateFormat.format(new Date(plan.updatedAt))}</time>
                    <span className="block text-xs">by {plan.updatedBy}</span>
                  </TableCell>
                  {canWrite ? (
                    <TableCell>
                      <PlanActions plan={plan} />
                    </TableCell>
                  ) : null}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Card>
    </>
  );
}

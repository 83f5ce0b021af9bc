'use client';

import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { LayoutDashboard } from 'lucide-react';
import { ZCreateDashboardRequest } from '@elasticdash/contracts/datasets/dashboard';
import { useCurrentTenant } from '@/components/app/tenant-context';
import { NativeSelect } from '@/components/data/native-select';
import { Button } from '@/components/ui/button';
import { Dialog, DialogClose, DialogContent, DialogFooter } from '@/components/ui/dialog';
import { Field, FormError, TextField } from '@/components/ui/field';
import { useToast } from '@/components/ui/toast';
import { ApiError, errorMessage } from '@/lib/api';
import { createDashboard, useDatasets } from '@/lib/datasets/api';
import { dashboardKeys } from '@/lib/datasets/cache';

export function dashboardHref(tenantId: string, dashboardId?: string): string {
  return dashboardId ? `/app/${tenantId}/dashboards/${dashboardId}` : `/app/${tenantId}/dashboards`;
}

/** Name + dataset → an empty dashboard, then straight into it to add panels. */
export function CreateDashboardDialog({
  open,
  onOpenChange,
  datasetId,
  defaultName,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** Fixed dataset (from a dataset page); otherwise the user picks one. */
  datasetId?: string;
  defaultName?: string;
}) {
  const { tenantId } = useCurrentTenant();
  const router = useRouter();
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const datasets = useDatasets(tenantId);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const create = useMutation({
    mutationFn: (body: { name: string; datasetId: string }) => createDashboard(tenantId, body),
    onSuccess: (dashboard) => {
      queryClient.setQueryData(dashboardKeys.detail(tenantId, dashboard.id), { dashboard });
      void queryClient.invalidateQueries({ queryKey: dashboardKeys.list(tenantId) });
      toast({
        variant: 'success',
        title: `Created “${dashboard.name}”`,
        description: 'Add panels to chart your data.',
      });
      onOpenChange(false);
      router.push(dashboardHref(tenantId, dashboard.id));
    },
    onError: (error) => {
      if (error instanceof ApiError && error.issues.length > 0) {
        const next: Record<string, string> = {};
        for (const issue of error.issues) next[issue.path.split('.').pop() ?? 'form'] ??= issue.message;
        setErrors(next);
      }
    },
  });
  const options = (datasets.data ?? []).map((dataset) => ({ value: dataset.id, label: dataset.name }));

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        onOpenChange(next);
        if (!next) {
          setErrors({});
          create.reset();
        }
      }}
    >
      <DialogContent title="New dashboard" description="A dashboard charts one dataset. You add panels next.">
        <form
          noValidate
          className="flex flex-col gap-4"
          onSubmit={(event) => {
            event.preventDefault();
            const values = new FormData(event.currentTarget);
            const parsed = ZCreateDashboardRequest.safeParse({
              name: String(values.get('name') ?? ''),
              datasetId: datasetId ?? String(values.get('datasetId') ?? ''),
            });
            if (!parsed.success) {
              const next: Record<string, string> = {};
              for (const issue of parsed.error.issues) {
                next[String(issue.path[0])] ??= issue.path[0] === 'datasetId' ? 'Choose a dataset' : issue.message;
              }
              setErrors(next);
              return;
            }
            setErrors({});
            create.mutate(parsed.data);
          }}
        >
          <TextField
            label="Name"
            name="name"
            required
            maxLength={120}
            autoComplete="off"
            defaultValue={defaultName}
            error={errors.name}
            data-testid="dashboard-name-input"
          />
          {datasetId ? null : (
            <Field label="Dataset" name="datasetId" error={errors.datasetId}>
              {(control) => (
                <NativeSelect
                  {...control}
                  compact={false}
                  defaultValue=""
                  data-testid="dashboard-dataset-select"
                  options={[
                    { value: '', label: datasets.isPending ? 'Loading datasets…' : 'Choose a dataset' },
                    ...options,
                  ]}
                />
              )}
            </Field>
          )}
          <FormError
            message={
              create.error && !(create.error instanceof ApiError && create.error.issues.length > 0)
                ? errorMessage(create.error)
                : (errors.form ?? null)
            }
          />
          <DialogFooter>
            <DialogClose asChild>
              <Button variant="outline">Cancel</Button>
            </DialogClose>
            <Button type="submit" loading={create.isPending} data-testid="create-dashboard-submit">
              <LayoutDashboard aria-hidden /> Create dashboard
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

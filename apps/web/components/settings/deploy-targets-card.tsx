'use client';

import { useState } from 'react';
import { ShieldCheck, Trash2 } from 'lucide-react';
import { AWS_REGIONS, type TAwsTarget } from '@elasticdash/contracts/deployer/targets';
import { useCurrentTenant } from '@/components/app/tenant-context';
import { NativeSelect } from '@/components/data/native-select';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { ErrorState } from '@/components/ui/error-state';
import { Field, FormError, TextField } from '@/components/ui/field';
import { PasswordInput } from '@/components/ui/password-input';
import { Loading } from '@/components/ui/skeleton';
import { useToast } from '@/components/ui/toast';
import { errorMessage } from '@/lib/api';
import {
  useCheckAwsTarget,
  useDeleteAwsTarget,
  useDeployTargets,
  usePutAwsTarget,
  ZAwsTargetForm,
} from '@/lib/deployments/targets';
import { useZodForm } from '@/lib/forms';

const FIELDS = [
  'region',
  'credentials.roleArn',
  'credentials.externalId',
  'credentials.accessKeyId',
  'credentials.secretAccessKey',
] as const;
const REGION_OPTIONS = AWS_REGIONS.map((region) => ({ value: region, label: region }));

function AwsForm({
  tenantId,
  current,
  onSaved,
}: {
  tenantId: string;
  current: TAwsTarget | null;
  onSaved: () => void;
}) {
  const [kind, setKind] = useState<'role' | 'access-key'>(current?.credentialKind ?? 'role');
  const form = useZodForm(ZAwsTargetForm, FIELDS);
  const put = usePutAwsTarget(tenantId);
  const { toast } = useToast();
  const clear = (name: string) => () => form.clearFieldError(name);

  return (
    <form
      noValidate
      className="flex max-w-xl flex-col gap-4"
      data-testid="aws-target-form"
      onSubmit={form.handleSubmit((data, element) =>
        put.mutate(data, {
          onSuccess: () => {
            // The secret fields are write-only: nothing of them stays in the page.
            element.reset();
            toast({
              variant: 'success',
              title: 'AWS target saved',
              description: 'Press “Check credentials” to try it.',
            });
            onSaved();
          },
          onError: form.applyServerError,
        }),
      )}
    >
      <FormError message={form.formError} />
      <Field label="Region" name="region" error={form.errors.region}>
        {(control) => (
          <NativeSelect
            {...control}
            compact={false}
            options={REGION_OPTIONS}
            defaultValue={current?.region ?? 'eu-west-1'}
            onChange={clear('region')}
            data-testid="aws-region"
          />
        )}
      </Field>
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-sm font-medium text-fg">Credentials</legend>
        <div className="flex flex-wrap gap-4 text-sm">
          {(['role', 'access-key'] as const).map((value) => (
            <label key={value} className="flex items-center gap-2">
              <input
                type="radio"
                name="kind"
                value={value}
                checked={kind === value}
                onChange={() => setKind(value)}
                className="size-4 accent-[var(--accent)]"
                data-testid={`aws-kind-${value}`}
              />
              {value === 'role' ? 'IAM role (recommended)' : 'Access key'}
            </label>
          ))}
        </div>
      </fieldset>
      {kind === 'role' ? (
        <>
          <TextField
            label="Role ARN"
            name="credentials.roleArn"
            placeholder="arn:aws:iam::123456789012:role/ElasticDashDeployer"
            autoComplete="off"
            defaultValue={current?.roleArn ?? ''}
            error={form.errors['credentials.roleArn']}
            onChange={clear('credentials.roleArn')}
            hint="The role ElasticDash assumes; its trust policy must require the external id."
          />
          <Field
            label="External id"
            name="credentials.externalId"
            error={form.errors['credentials.externalId']}
            hint="Stored encrypted and never shown again."
          >
            {(control) => <PasswordInput {...control} autoComplete="off" onChange={clear('credentials.externalId')} />}
          </Field>
        </>
      ) : (
        <>
          <TextField
            label="Access key id"
            name="credentials.accessKeyId"
            placeholder="AKIA…"
            autoComplete="off"
            error={form.errors['credentials.accessKeyId']}
            onChange={clear('credentials.accessKeyId')}
          />
          <Field
            label="Secret access key"
            name="credentials.secretAccessKey"
            error={form.errors['credentials.secretAccessKey']}
            hint="Stored encrypted and never shown again."
          >
            {(control) => (
              <PasswordInput {...control} autoComplete="off" onChange={clear('credentials.secretAccessKey')} />
            )}
          </Field>
        </>
      )}
      <Button type="submit" loading={put.isPending} className="self-start" data-testid="aws-save">
        {current ? 'Replace AWS credentials' : 'Save AWS target'}
      </Button>
    </form>
  );
}

function AwsSummary({ tenantId, aws }: { tenantId: string; aws: TAwsTarget }) {
  const check = useCheckAwsTarget(tenantId);
  const remove = useDeleteAwsTarget(tenantId);
  const [confirm, setConfirm] = useState(false);
  const last = check.data?.check ?? aws.lastCheck;
  return (
    <div className="flex flex-col gap-3" data-testid="aws-target-summary">
      <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-fg-muted">Region</dt>
        <dd className="text-fg">{aws.region}</dd>
        <dt className="text-fg-muted">Credentials</dt>
        <dd className="font-mono text-xs break-all text-fg" data-testid="aws-credentials">
          {aws.credentialKind === 'role' ? `role ${aws.roleArn ?? ''}` : `access key ${aws.accessKeyIdMasked ?? ''}`}
        </dd>
        <dt className="text-fg-muted">Last check</dt>
        <dd data-testid="aws-last-check">
          {last ? (
            <span className="flex flex-col gap-1">
              <span className="flex items-center gap-2">
                <Badge variant={last.ok ? 'success' : 'danger'}>{last.ok ? 'OK' : 'Failed'}</Badge>
                <span className="text-xs text-fg-muted">
                  {new Date(last.checkedAt).toLocaleString()}
                  {last.accountId ? ` · account ${last.accountId}` : ''}
                </span>
              </span>
              <span className="text-sm text-fg">{last.message}</span>
            </span>
          ) : (
            <span className="text-sm text-fg-muted">Not checked yet</span>
          )}
        </dd>
      </dl>
      {aws.enabled ? null : (
        <p className="text-sm text-warning-text">
          Deploys to AWS are disabled on this installation (DEPLOY_TARGETS); the credentials are kept.
        </p>
      )}
      <FormError message={check.error ? errorMessage(check.error) : null} />
      <div className="flex flex-wrap gap-2">
        <Button variant="outline" onClick={() => check.mutate()} loading={check.isPending} data-testid="aws-check">
          <ShieldCheck aria-hidden /> Check credentials
        </Button>
        <Button variant="danger-ghost" onClick={() => setConfirm(true)} data-testid="aws-remove">
          <Trash2 aria-hidden /> Remove AWS target
        </Button>
      </div>
      <ConfirmDialog
        open={confirm}
        onOpenChange={(open) => {
          setConfirm(open);
          if (!open) remove.reset();
        }}
        title="Remove the AWS target?"
        description="Its credentials are deleted. This is refused while a deployment on AWS is not destroyed."
        confirmLabel="Remove"
        pending={remove.isPending}
        error={remove.error ? errorMessage(remove.error) : null}
        onConfirm={() => remove.mutate(undefined, { onSuccess: () => setConfirm(false) })}
      />
    </div>
  );
}

/** Settings → Deploy targets (admins): the workspace's AWS region and credentials, and their check. */
export function DeployTargetsCard() {
  const { tenantId } = useCurrentTenant();
  const targets = useDeployTargets(tenantId);
  const [editing, setEditing] = useState(false);
  return (
    <Card data-testid="deploy-targets">
      <CardHeader
        title="Deploy targets"
        description="Where plans are deployed: this machine, or EC2 in your AWS account."
      />
      <CardBody className="flex flex-col gap-6">
        {targets.isPending ? (
          <Loading />
        ) : targets.isError ? (
          <ErrorState error={targets.error} onRetry={() => void targets.refetch()} />
        ) : targets.data ? (
          <>
            <p className="text-sm text-fg">
              <span className="font-medium">Local</span> —{' '}
              {targets.data.local.enabled ? 'available on this installation' : 'disabled on this installation'}
            </p>
            <section className="flex flex-col gap-4" aria-labelledby="aws-target-title">
              <h3 id="aws-target-title" className="text-sm font-semibold text-fg">
                AWS
              </h3>
              {targets.data.aws ? <AwsSummary tenantId={tenantId} aws={targets.data.aws} /> : null}
              {targets.data.aws && !editing ? (
                <Button variant="link" className="self-start" onClick={() => setEditing(true)}>
                  Change region or credentials
                </Button>
              ) : (
                <AwsForm tenantId={tenantId} current={targets.data.aws} onSaved={() => setEditing(false)} />
              )}
            </section>
          </>
        ) : null}
      </CardBody>
    </Card>
  );
}

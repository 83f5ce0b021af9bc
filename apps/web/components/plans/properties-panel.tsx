'use client';

import { useState } from 'react';
import { Database, Plus, Trash2, X } from 'lucide-react';
import {
  ARCHITECTURES,
  maxConnectionsLimit,
  OS_FAMILIES,
  PG_MAJOR_VERSIONS,
  STORAGE_TYPES,
  SUPPORTED_OS_VERSIONS,
  WORKLOADS,
  type TOsFamily,
  type TPostgresComponent,
} from '@elasticdash/contracts/plans/cs-json';
import { describeInstanceType, INSTANCE_TYPES, instanceTypeFor } from '@elasticdash/pg-knowledge/instances';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { cn } from '@/lib/cn';
import { canonicalJson } from '@/lib/plans/dirty';
import {
  addCidr,
  allowsAnyAddress,
  clearInstanceType,
  instanceTypeOf,
  parameterRowProblems,
  parametersToRows,
  removeCidr,
  rowsToParameters,
  setBackupTarget,
  setInstanceType,
  setParameters,
  type TParameterRow,
} from '@/lib/plans/document';
import { fieldMessages, itemMessages, type TComponentIssues, type TComponentField } from '@/lib/plans/issues';
import { FieldMessages, NumberInput, PlanField, Section } from './plan-fields';
import { Switch } from './switch';
import { TunedSettings } from './tuned-settings';

type TUpdate = (update: (component: TPostgresComponent) => TPostgresComponent) => void;

const OS_LABELS: Record<TOsFamily, string> = { 'amazon-linux': 'Amazon Linux', ubuntu: 'Ubuntu', debian: 'Debian' };
const STORAGE_LABELS = { ssd: 'SSD', hdd: 'HDD', nvme: 'NVMe' } as const;
const WORKLOAD_LABELS = {
  web: { label: 'Web', description: 'Many short queries' },
  oltp: { label: 'OLTP', description: 'Transactions, heavy writes' },
  dw: { label: 'Data warehouse', description: 'Few large analytical queries' },
  mixed: { label: 'Mixed', description: 'Some of everything' },
} as const;

function instanceOptions(current: string | null) {
  const options = INSTANCE_TYPES.map((type) => ({
    value: type.name,
    label: `${type.name} · ${type.vcpu} vCPU · ${type.memoryGiB} GiB`,
    description: `${type.architecture}, ${type.purpose}`,
  }));
  if (current && !options.some((option) => option.value === current)) {
    options.unshift({ value: current, label: current, description: 'not in the catalog' });
  }
  return options;
}

function CidrList({
  component,
  issues,
  readOnly,
  update,
}: {
  component: TPostgresComponent;
  issues: TComponentIssues | undefined;
  readOnly: boolean;
  update: TUpdate;
}) {
  const [draft, setDraft] = useState('');
  const own = fieldMessages(issues, 'network.allowedCidrs');
  function add() {
    if (!draft.trim()) return;
    update((current) => addCidr(current, draft));
    setDraft('');
  }
  return (
    <div className="flex flex-col gap-1.5" data-field="network.allowedCidrs">
      <p className="text-sm font-medium text-fg" id="cidrs-label">
        Allowed CIDRs
      </p>
      <FieldMessages id="cidrs-messages" messages={own} />
      {component.network.allowedCidrs.length === 0 ? (
        <p className="text-xs text-fg-muted">No client may connect until you add a network.</p>
      ) : (
        <ul aria-labelledby="cidrs-label" className="flex flex-col gap-1.5">
          {component.network.allowedCidrs.map((cidr, index) => {
            const messages = itemMessages(issues, 'network.allowedCidrs', String(index));
            return (
              <li
                key={`${cidr}-${index}`}
                className="flex flex-col gap-1"
                data-cidr={cidr}
                data-invalid={messages.errors.length > 0 || undefined}
              >
                <div
                  className={cn(
                    'flex items-center justify-between gap-2 rounded-md border px-2 py-1',
                    messages.errors.length > 0 ? 'border-danger' : 'border-border',
                  )}
                >
                  <code className="font-mono text-xs break-all text-fg">{cidr}</code>
                  {readOnly ? null : (
                    <Button
                      variant="ghost"
                      size="icon-sm"
                      className="size-6"
                      aria-label={`Remove ${cidr}`}
                      onClick={() => update((current) => removeCidr(current, index))}
                    >
                      <X aria-hidden />
                    </Button>
                  )}
                </div>
                <FieldMessages id={`cidr-${index}-messages`} messages={messages} />
              </li>
            );
          })}
        </ul>
      )}
      {readOnly ? null : (
        <div className="flex gap-2">
          <Input
            aria-label="CIDR to allow"
            placeholder="10.0.0.0/16"
            value={draft}
            className="h-8 font-mono text-xs"
            onChange={(event) => setDraft(event.currentTarget.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter') {
                event.preventDefault();
                add();
              }
            }}
          />
          <Button variant="outline" size="sm" onClick={add} disabled={!draft.trim()}>
            Add
          </Button>
        </div>
      )}
    </div>
  );
}

function ParameterOverrides({
  component,
  issues,
  readOnly,
  update,
}: {
  component: TPostgresComponent;
  issues: TComponentIssues | undefined;
  readOnly: boolean;
  update: TUpdate;
}) {
  const parameters = component.database.parameters;
  const [rows, setRows] = useState<TParameterRow[]>(() => parametersToRows(parameters));
  // The document changed from elsewhere (load theirs, restore): show its overrides. Half-typed
  // rows (blank names, repeated names) map to the same record, so they survive.
  if (canonicalJson(rowsToParameters(rows) ?? {}) !== canonicalJson(parameters ?? {})) {
    setRows(parametersToRows(parameters));
  }
  const problems = parameterRowProblems(rows);
  function commit(next: TParameterRow[]) {
    setRows(next);
    update((current) => setParameters(current, next));
  }
  return (
    <div className="flex flex-col gap-1.5" data-field="database.parameters">
      <p className="text-sm font-medium text-fg" id="parameters-label">
        Parameter overrides
      </p>
      <FieldMessages id="parameters-messages" messages={fieldMessages(issues, 'database.parameters')} />
      {rows.length === 0 ? (
        <p className="text-xs text-fg-muted">None: the tuned settings below are used as they are.</p>
      ) : (
        <ul aria-labelledby="parameters-label" className="flex flex-col gap-2">
          {rows.map((row, index) => {
            const fromValidator = itemMessages(issues, 'database.parameters', row.key.trim());
            const rowProblem = problems[index];
            const messages = {
              errors: [...(rowProblem ? [rowProblem] : []), ...fromValidator.errors],
              warnings: fromValidator.warnings,
            };
            return (
              <li key={index} className="flex flex-col gap-1" data-parameter={row.key}>
                <div className="grid grid-cols-[minmax(0,1fr)_minmax(0,1fr)_auto] gap-1.5">
                  <Input
                    aria-label={`Setting name ${index + 1}`}
                    placeholder="work_mem"
                    className="h-8 font-mono text-xs"
                    value={row.key}
                    disabled={readOnly}
                    aria-invalid={messages.errors.length > 0 || undefined}
                    onChange={(event) =>
                      commit(rows.map((r, i) => (i === index ? { ...r, key: event.currentTarget.value } : r)))
                    }
                  />
                  <Input
                    aria-label={`Value of ${row.key || `setting ${index + 1}`}`}
                    placeholder="64MB"
                    className="h-8 font-mono text-xs"
                    value={row.value}
                    disabled={readOnly}
                    onChange={(event) =>
                      commit(rows.map((r, i) => (i === index ? { ...r, value: event.currentTarget.value } : r)))
                    }
                  />
                  {readOnly ? (
                    <span />
                  ) : (
                    <Button
                      variant="ghost"
                      size="icon-sm"
                      aria-label={`Remove ${row.key || `setting ${index + 1}`}`}
                      onClick={() => commit(rows.filter((_r, i) => i !== index))}
                    >
                      <Trash2 aria-hidden />
                    </Button>
                  )}
                </div>
                <FieldMessages id={`parameter-${index}-messages`} messages={messages} />
              </li>
            );
          })}
        </ul>
      )}
      {readOnly ? null : (
        <Button
          variant="outline"
          size="sm"
          className="self-start"
          onClick={() => setRows([...rows, { key: '', value: '' }])}
        >
          <Plus aria-hidden /> Add override
        </Button>
      )}
    </div>
  );
}

export function PropertiesPanel({
  component,
  parsedComponent,
  issues,
  readOnly,
  onChange,
  onRemove,
  onClose,
}: {
  component: TPostgresComponent;
  /** The same component when the document parses (numbers are numbers): for the tuning preview. */
  parsedComponent: TPostgresComponent | null;
  issues: TComponentIssues | undefined;
  readOnly: boolean;
  onChange: TUpdate;
  onRemove: () => void;
  onClose: () => void;
}) {
  const update: TUpdate = (fn) => {
    if (!readOnly) onChange(fn);
  };
  const m = (field: TComponentField) => fieldMessages(issues, field);
  const instanceType = instanceTypeOf(component);
  const catalogEntry = instanceType ? describeInstanceType(instanceType) : null;
  const sizing = instanceType === null ? 'custom' : 'instance';
  const { vcpu, memoryGiB, architecture } = component.compute;
  const closest =
    sizing === 'custom' && Number.isFinite(vcpu) && Number.isFinite(memoryGiB)
      ? instanceTypeFor({ vcpu, memoryGiB, architecture }).instanceType
      : null;
  const connectionLimit = Number.isFinite(memoryGiB) ? maxConnectionsLimit(memoryGiB) : null;
  const osVersions = SUPPORTED_OS_VERSIONS[component.os.family] ?? [];
  const osVersionOptions = (
    osVersions.includes(component.os.version) ? osVersions : [component.os.version, ...osVersions]
  ).map((version) => ({ value: version, label: version }));
  const target = component.backups.target;

  return (
    // relative: screen-reader-only parts (captions, legends) stay inside the scrolling panel.
    <div className="relative flex flex-col gap-4 p-4" data-testid="properties-panel" data-component-id={component.id}>
      <div className="flex items-start gap-2">
        <span className="mt-0.5 flex size-8 shrink-0 items-center justify-center rounded-md bg-accent-soft text-accent-text">
          <Database className="size-4" aria-hidden />
        </span>
        <div className="min-w-0 flex-1">
          <h2 className="truncate text-base font-semibold text-fg">{component.name || 'Unnamed'}</h2>
          <p className="text-xs text-fg-muted">
            PostgreSQL on its own host · id <code className="font-mono">{component.id}</code>
          </p>
        </div>
        <Button variant="ghost" size="icon-sm" className="lg:hidden" aria-label="Close properties" onClick={onClose}>
          <X aria-hidden />
        </Button>
      </div>

      {issues && issues.general.length > 0 ? (
        <Alert variant={issues.general.some((issue) => issue.severity === 'error') ? 'danger' : 'info'}>
          <ul className="flex flex-col gap-1">
            {issues.general.map((issue) => (
              <li key={`${issue.path}:${issue.message}`}>
                <code className="font-mono text-xs">{issue.path}</code> {issue.message}
              </li>
            ))}
          </ul>
        </Alert>
      ) : null}

      {readOnly ? (
        <p className="rounded-md bg-muted px-3 py-2 text-xs text-fg-muted">
          Read only: viewers can look at plans; editors and above can change them.
        </p>
      ) : null}

      <fieldset disabled={readOnly} className="flex min-w-0 flex-col gap-4">
        <legend className="sr-only">Properties of {component.name}</legend>
        <PlanField label="Name" name="name" messages={m('name')}>
          {(control) => (
            <Input
              {...control}
              value={component.name}
              maxLength={80}
              onChange={(event) => {
                const name = event.currentTarget.value;
                update((current) => ({ ...current, name }));
              }}
            />
          )}
        </PlanField>

        <Section title="Host" messages={m('compute')}>
          <div className="grid grid-cols-2 gap-3">
            <PlanField label="OS" name="os.family" messages={m('os.family')}>
              {(control) => (
                <Select
                  {...control}
                  value={component.os.family}
                  disabled={readOnly}
                  onValueChange={(value) => {
                    const family = OS_FAMILIES.find((candidate) => candidate === value);
                    if (!family) return;
                    update((current) => ({
                      ...current,
                      os: {
                        family,
                        version: SUPPORTED_OS_VERSIONS[family].includes(current.os.version)
                          ? current.os.version
                          : (SUPPORTED_OS_VERSIONS[family].at(-1) ?? current.os.version),
                      },
                    }));
                  }}
                  options={OS_FAMILIES.map((family) => ({ value: family, label: OS_LABELS[family] }))}
                />
              )}
            </PlanField>
            <PlanField label="OS version" name="os.version" messages={m('os.version')}>
              {(control) => (
                <Select
                  {...control}
                  value={component.os.version}
                  disabled={readOnly}
                  onValueChange={(version) => update((current) => ({ ...current, os: { ...current.os, version } }))}
                  options={osVersionOptions}
                />
              )}
            </PlanField>
          </div>

          <div
            role="radiogroup"
            aria-label="Size the host by"
            className="grid grid-cols-2 gap-1 rounded-md bg-muted p-1"
          >
            {(
              [
                ['custom', 'vCPU and memory'],
                ['instance', 'Instance type'],
              ] as const
            ).map(([mode, label]) => (
              <label
                key={mode}
                className={cn(
                  'relative flex cursor-pointer items-center justify-center rounded px-2 py-1.5 text-xs font-medium has-[:disabled]:cursor-not-allowed has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-accent',
                  sizing === mode ? 'bg-surface text-fg shadow-sm' : 'text-fg-muted hover:text-fg',
                )}
              >
                <input
                  type="radio"
                  name={`sizing-${component.id}`}
                  value={mode}
                  checked={sizing === mode}
                  className="sr-only"
                  onChange={() =>
                    update((current) => {
                      if (mode === 'custom') return clearInstanceType(current);
                      const match = instanceTypeFor({
                        vcpu: Number.isFinite(current.compute.vcpu) ? current.compute.vcpu : 2,
                        memoryGiB: Number.isFinite(current.compute.memoryGiB) ? current.compute.memoryGiB : 8,
                        architecture: current.compute.architecture,
                      }).instanceType;
                      const type = match ?? INSTANCE_TYPES.find((t) => t.architecture === current.compute.architecture);
                      return type ? setInstanceType(current, type.name, type) : current;
                    })
                  }
                />
                {label}
              </label>
            ))}
          </div>

          {sizing === 'instance' ? (
            <PlanField
              label="Instance type (AWS)"
              name="compute.providerHint.aws.instanceType"
              messages={m('compute.providerHint.aws.instanceType')}
              hint={
                catalogEntry
                  ? `${catalogEntry.vcpu} vCPU, ${catalogEntry.memoryGiB} GiB, ${catalogEntry.architecture}. The plan stays cloud-agnostic: vCPU and memory are filled from it.`
                  : undefined
              }
            >
              {(control) => (
                <Select
                  {...control}
                  value={instanceType ?? ''}
                  disabled={readOnly}
                  onValueChange={(name) =>
                    update((current) => setInstanceType(current, name, describeInstanceType(name)))
                  }
                  options={instanceOptions(instanceType)}
                />
              )}
            </PlanField>
          ) : null}

          <div className="grid grid-cols-2 gap-3">
            <PlanField label="vCPU" name="compute.vcpu" messages={m('compute.vcpu')}>
              {(control) => (
                <NumberInput
                  {...control}
                  value={vcpu}
                  readOnly={sizing === 'instance'}
                  onValueChange={(value) =>
                    update((current) => ({ ...current, compute: { ...current.compute, vcpu: value ?? Number.NaN } }))
                  }
                />
              )}
            </PlanField>
            <PlanField label="Memory (GiB)" name="compute.memoryGiB" messages={m('compute.memoryGiB')}>
              {(control) => (
                <NumberInput
                  {...control}
                  value={memoryGiB}
                  readOnly={sizing === 'instance'}
                  onValueChange={(value) =>
                    update((current) => ({
                      ...current,
                      compute: { ...current.compute, memoryGiB: value ?? Number.NaN },
                    }))
                  }
                />
              )}
            </PlanField>
          </div>
          <PlanField
            label="Architecture"
            name="compute.architecture"
            messages={m('compute.architecture')}
            hint={
              closest
                ? `Smallest matching AWS type: ${closest.name} (${closest.vcpu} vCPU, ${closest.memoryGiB} GiB).`
                : undefined
            }
          >
            {(control) => (
              <Select
                {...control}
                value={architecture}
                disabled={readOnly || sizing === 'instance'}
                onValueChange={(value) => {
                  const next = ARCHITECTURES.find((candidate) => candidate === value);
                  if (next) update((current) => ({ ...current, compute: { ...current.compute, architecture: next } }));
                }}
                options={ARCHITECTURES.map((value) => ({ value, label: value }))}
              />
            )}
          </PlanField>
        </Section>

        <Section title="Disk" messages={m('storage')}>
          <div className="grid grid-cols-2 gap-3">
            <PlanField label="Type" name="storage.type" messages={m('storage.type')}>
              {(control) => (
                <Select
                  {...control}
                  value={component.storage.type}
                  disabled={readOnly}
                  onValueChange={(value) => {
                    const type = STORAGE_TYPES.find((candidate) => candidate === value);
                    if (type) update((current) => ({ ...current, storage: { ...current.storage, type } }));
                  }}
                  options={STORAGE_TYPES.map((value) => ({ value, label: STORAGE_LABELS[value] }))}
                />
              )}
            </PlanField>
            <PlanField label="Size (GiB)" name="storage.sizeGiB" messages={m('storage.sizeGiB')}>
              {(control) => (
                <NumberInput
                  {...control}
                  value={component.storage.sizeGiB}
                  onValueChange={(value) =>
                    update((current) => ({
                      ...current,
                      storage: { ...current.storage, sizeGiB: value ?? Number.NaN },
                    }))
                  }
                />
              )}
            </PlanField>
            <PlanField label="IOPS" name="storage.iops" messages={m('storage.iops')}>
              {(control) => (
                <NumberInput
                  {...control}
                  optional
                  placeholder="default"
                  value={component.storage.iops}
                  onValueChange={(value) =>
                    update((current) => {
                      const { iops: _old, ...storage } = current.storage;
                      return { ...current, storage: value === undefined ? storage : { ...storage, iops: value } };
                    })
                  }
                />
              )}
            </PlanField>
          </div>
        </Section>

        <Section title="PostgreSQL" messages={m('database')}>
          <div className="grid grid-cols-2 gap-3">
            <PlanField label="Version" name="database.majorVersion" messages={m('database.majorVersion')}>
              {(control) => (
                <Select
                  {...control}
                  value={String(component.database.majorVersion)}
                  disabled={readOnly}
                  onValueChange={(value) => {
                    const majorVersion = PG_MAJOR_VERSIONS.find((candidate) => String(candidate) === value);
                    if (majorVersion) {
                      update((current) => ({ ...current, database: { ...current.database, majorVersion } }));
                    }
                  }}
                  options={PG_MAJOR_VERSIONS.map((version) => ({
                    value: String(version),
                    label: `PostgreSQL ${version}`,
                  }))}
                />
              )}
            </PlanField>
            <PlanField label="Workload" name="database.workload" messages={m('database.workload')}>
              {(control) => (
                <Select
                  {...control}
                  value={component.database.workload}
                  disabled={readOnly}
                  onValueChange={(value) => {
                    const workload = WORKLOADS.find((candidate) => candidate === value);
                    if (workload) update((current) => ({ ...current, database: { ...current.database, workload } }));
                  }}
                  options={WORKLOADS.map((value) => ({ value, ...WORKLOAD_LABELS[value] }))}
                />
              )}
            </PlanField>
          </div>
          <PlanField
            label="Max connections"
            name="database.maxConnections"
            messages={m('database.maxConnections')}
            hint={connectionLimit !== null ? `At most ${connectionLimit} with ${memoryGiB} GiB of memory.` : undefined}
          >
            {(control) => (
              <NumberInput
                {...control}
                value={component.database.maxConnections}
                onValueChange={(value) =>
                  update((current) => ({
                    ...current,
                    database: { ...current.database, maxConnections: value ?? Number.NaN },
                  }))
                }
              />
            )}
          </PlanField>
          <div className="grid grid-cols-2 gap-3">
            <PlanField
              label="Initial database"
              name="database.initialDatabase"
              messages={m('database.initialDatabase')}
            >
              {(control) => (
                <Input
                  {...control}
                  className="font-mono"
                  value={component.database.initialDatabase}
                  onChange={(event) => {
                    const initialDatabase = event.currentTarget.value;
                    update((current) => ({ ...current, database: { ...current.database, initialDatabase } }));
                  }}
                />
              )}
            </PlanField>
            <PlanField label="Admin user" name="database.adminUser" messages={m('database.adminUser')}>
              {(control) => (
                <Input
                  {...control}
                  className="font-mono"
                  value={component.database.adminUser}
                  onChange={(event) => {
                    const adminUser = event.currentTarget.value;
                    update((current) => ({ ...current, database: { ...current.database, adminUser } }));
                  }}
                />
              )}
            </PlanField>
          </div>
          <ParameterOverrides component={component} issues={issues} readOnly={readOnly} update={update} />
        </Section>

        <Section title="Tuned settings">
          <p className="-mt-1 text-xs text-fg-muted">
            What the deployer writes to postgresql.conf: pgtune for this size, workload and disk, then your overrides.
          </p>
          <TunedSettings component={parsedComponent} />
        </Section>

        <Section title="Backups" messages={m('backups')}>
          <div className="flex items-center justify-between gap-3" data-field="backups.enabled">
            <label htmlFor={`backups-${component.id}`} className="text-sm font-medium text-fg">
              Back up to S3
            </label>
            <Switch
              id={`backups-${component.id}`}
              checked={component.backups.enabled}
              disabled={readOnly}
              onCheckedChange={(enabled) =>
                update((current) => ({ ...current, backups: { ...current.backups, enabled } }))
              }
            />
          </div>
          <FieldMessages id="backups-enabled-messages" messages={m('backups.enabled')} />
          <div className="grid grid-cols-2 gap-3">
            <PlanField
              label="Schedule (cron, UTC)"
              name="backups.schedule"
              messages={m('backups.schedule')}
              hint="0 3 * * * = every day at 03:00"
            >
              {(control) => (
                <Input
                  {...control}
                  className="font-mono"
                  value={component.backups.schedule}
                  onChange={(event) => {
                    const schedule = event.currentTarget.value;
                    update((current) => ({ ...current, backups: { ...current.backups, schedule } }));
                  }}
                />
              )}
            </PlanField>
            <PlanField
              label="Retention (days)"
              name="backups.retentionDays"
              messages={m('backups.retentionDays')}
              hint="1 to 35"
            >
              {(control) => (
                <NumberInput
                  {...control}
                  value={component.backups.retentionDays}
                  onValueChange={(value) =>
                    update((current) => ({
                      ...current,
                      backups: { ...current.backups, retentionDays: value ?? Number.NaN },
                    }))
                  }
                />
              )}
            </PlanField>
          </div>
          <FieldMessages id="backups-target-messages" messages={m('backups.target')} />
          <div className="grid grid-cols-2 gap-3">
            <PlanField label="S3 bucket" name="backups.target.bucket" messages={m('backups.target.bucket')}>
              {(control) => (
                <Input
                  {...control}
                  className="font-mono"
                  placeholder="my-db-backups"
                  value={target?.bucket ?? ''}
                  onChange={(event) => {
                    const bucket = event.currentTarget.value;
                    update((current) =>
                      setBackupTarget(current, bucket, current.backups.target?.prefix ?? `${current.id}/`),
                    );
                  }}
                />
              )}
            </PlanField>
            <PlanField
              label="Prefix"
              name="backups.target.prefix"
              messages={m('backups.target.prefix')}
              hint={target ? undefined : 'Set a bucket first.'}
            >
              {(control) => (
                <Input
                  {...control}
                  className="font-mono"
                  disabled={readOnly || !target}
                  value={target?.prefix ?? ''}
                  onChange={(event) => {
                    const prefix = event.currentTarget.value;
                    update((current) =>
                      current.backups.target
                        ? setBackupTarget(current, current.backups.target.bucket, prefix)
                        : current,
                    );
                  }}
                />
              )}
            </PlanField>
          </div>
          <div className="flex items-center justify-between gap-3" data-field="backups.validateByRestore">
            <label htmlFor={`restore-${component.id}`} className="text-sm text-fg">
              Validate each backup by restoring it
            </label>
            <Switch
              id={`restore-${component.id}`}
              checked={component.backups.validateByRestore}
              disabled={readOnly}
              onCheckedChange={(validateByRestore) =>
                update((current) => ({ ...current, backups: { ...current.backups, validateByRestore } }))
              }
            />
          </div>
          <FieldMessages id="backups-restore-messages" messages={m('backups.validateByRestore')} />
        </Section>

        <Section title="Network" messages={m('network')}>
          <PlanField label="Port" name="network.port" messages={m('network.port')}>
            {(control) => (
              <NumberInput
                {...control}
                className="max-w-32"
                value={component.network.port}
                onValueChange={(value) =>
                  update((current) => ({ ...current, network: { ...current.network, port: value ?? Number.NaN } }))
                }
              />
            )}
          </PlanField>
          <CidrList component={component} issues={issues} readOnly={readOnly} update={update} />
          <div className="flex items-center justify-between gap-3" data-field="network.public">
            <label htmlFor={`public-${component.id}`} className="text-sm font-medium text-fg">
              Public IP (reachable from the internet)
            </label>
            <Switch
              id={`public-${component.id}`}
              checked={component.network.public}
              disabled={readOnly}
              onCheckedChange={(isPublic) =>
                update((current) => ({ ...current, network: { ...current.network, public: isPublic } }))
              }
            />
          </div>
          <FieldMessages id="network-public-messages" messages={m('network.public')} />
          {component.network.public ? (
            <Alert variant="danger" title="This server will have a public IP">
              Anyone on the internet can reach the port; only the allowed CIDRs are let in.
              {allowsAnyAddress(component) ? ' With 0.0.0.0/0 that is everyone: prefer your clients’ networks.' : ''}
            </Alert>
          ) : null}
        </Section>
      </fieldset>

      {readOnly ? null : (
        <div className="border-t border-border pt-4">
          <Button variant="danger-ghost" onClick={onRemove}>
            <Trash2 aria-hidden /> Remove from plan
          </Button>
        </div>
      )}
    </div>
  );
}

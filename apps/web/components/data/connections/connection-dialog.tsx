'use client';

import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { useRouter } from 'next/navigation';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { PlugZap } from 'lucide-react';
import {
  SSL_MODES,
  ZConnectionResponse,
  ZCreateConnectionRequest,
  ZTestConnectionResponse,
  ZUpdateConnectionRequest,
  type TConnection,
  type TSslMode,
  type TTestConnectionResponse,
} from '@elasticdash/contracts/data/connection';
import { useCurrentTenant } from '@/components/app/tenant-context';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog, DialogClose, DialogContent, DialogFooter } from '@/components/ui/dialog';
import { Field, FormError, TextField } from '@/components/ui/field';
import { inputClasses } from '@/components/ui/input';
import { PasswordInput } from '@/components/ui/password-input';
import { Select } from '@/components/ui/select';
import { useToast } from '@/components/ui/toast';
import { api, ApiError, errorMessage } from '@/lib/api';
import { cn } from '@/lib/cn';
import { connectionPath, dataKeys } from '@/lib/data/api';
import { dataHref } from '../data-breadcrumbs';

interface FormValues {
  name: string;
  host: string;
  port: string;
  database: string;
  user: string;
  password: string;
  sslMode: TSslMode;
  caCert: string;
  readOnly: boolean;
}

type TErrors = Partial<Record<keyof FormValues | 'form', string>>;

const SSL_OPTIONS: { value: TSslMode; label: string; description: string }[] = [
  { value: 'disable', label: 'Disable', description: 'No TLS (local networks only)' },
  { value: 'require', label: 'Require', description: 'TLS, without checking the certificate' },
  { value: 'verify-full', label: 'Verify full', description: 'TLS, certificate and host name checked against a CA' },
];

function initialValues(connection?: TConnection): FormValues {
  return {
    name: connection?.name ?? '',
    host: connection?.host ?? '',
    port: String(connection?.port ?? 5432),
    database: connection?.database ?? '',
    user: connection?.user ?? '',
    password: '',
    sslMode: connection?.sslMode ?? 'disable',
    caCert: '',
    readOnly: connection?.readOnly ?? false,
  };
}

function settingsOf(values: FormValues) {
  return {
    host: values.host,
    port: values.port,
    database: values.database,
    user: values.user,
    sslMode: values.sslMode,
    caCert: values.sslMode === 'disable' || values.caCert.trim() === '' ? null : values.caCert,
  };
}

function settingsChanged(values: FormValues, connection: TConnection): boolean {
  return (
    values.host.trim() !== connection.host ||
    Number(values.port) !== connection.port ||
    values.database.trim() !== connection.database ||
    values.user.trim() !== connection.user ||
    values.sslMode !== connection.sslMode ||
    values.caCert.trim() !== ''
  );
}

/** zod / server issue paths (`settings.host`, `password`) → our field names. */
function errorsFromIssues(issues: readonly { path: string; message: string }[]): TErrors {
  const errors: TErrors = {};
  for (const issue of issues) {
    const last = issue.path.split('.').pop() ?? '';
    const key = (
      ['name', 'host', 'port', 'database', 'user', 'password', 'sslMode', 'caCert', 'readOnly'].includes(last)
        ? last
        : 'form'
    ) as keyof TErrors;
    errors[key] ??= issue.message;
  }
  return errors;
}

function zodIssues(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }) {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

function Switch({
  id,
  checked,
  onChange,
  label,
  description,
}: {
  id: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  label: ReactNode;
  description: ReactNode;
}) {
  return (
    <div className="flex items-start justify-between gap-4 rounded-md border border-border p-3">
      <div>
        <label htmlFor={id} className="text-sm font-medium text-fg">
          {label}
        </label>
        <p className="text-xs text-fg-muted">{description}</p>
      </div>
      <button
        id={id}
        type="button"
        role="switch"
        aria-checked={checked}
        onClick={() => onChange(!checked)}
        className={cn(
          'relative inline-flex h-6 w-11 shrink-0 items-center rounded-full transition-colors',
          checked ? 'bg-accent' : 'bg-border-strong/60',
        )}
      >
        <span
          className={cn(
            'inline-block size-5 rounded-full bg-white shadow transition-transform',
            checked ? 'translate-x-5' : 'translate-x-0.5',
          )}
        />
      </button>
    </div>
  );
}

function TestResult({ result }: { result: TTestConnectionResponse }) {
  if (result.ok) {
    return (
      <Alert variant="success" title="Connection works">
        <span data-testid="connection-test-result">
          {/^postgres/i.test(result.serverVersion) ? '' : 'PostgreSQL '}
          {result.serverVersion} answered in {Math.round(result.latencyMs)} ms.
        </span>
      </Alert>
    );
  }
  return (
    <Alert variant="danger" title="Could not connect">
      <span data-testid="connection-test-result">{result.message}</span>
    </Alert>
  );
}

/**
 * New or edit connection: the settings are tested on demand ("Test connection") and again by
 * the server on save. The password is sent only on test/save, never shown back.
 */
export function ConnectionDialog({
  open,
  onOpenChange,
  connection,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** Edit this connection; create a new one when absent. */
  connection?: TConnection;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent
        title={connection ? `Edit ${connection.name}` : 'New connection'}
        description={
          connection
            ? 'Leave the password blank to keep the saved one.'
            : 'Connect a PostgreSQL database. We store the settings; the password goes to the secret store.'
        }
        className="max-w-xl"
      >
        {open ? <ConnectionForm connection={connection} onDone={() => onOpenChange(false)} /> : null}
      </DialogContent>
    </Dialog>
  );
}

function ConnectionForm({ connection, onDone }: { connection?: TConnection | undefined; onDone: () => void }) {
  const { tenantId } = useCurrentTenant();
  const queryClient = useQueryClient();
  const router = useRouter();
  const { toast } = useToast();
  const ids = useId();
  const [values, setValues] = useState<FormValues>(() => initialValues(connection));
  const [errors, setErrors] = useState<TErrors>({});
  const [testResult, setTestResult] = useState<TTestConnectionResponse | null>(null);

  const set = <K extends keyof FormValues>(key: K, value: FormValues[K]) => {
    setValues((current) => ({ ...current, [key]: value }));
    setErrors((current) => ({ ...current, [key]: undefined, form: undefined }));
    if (key !== 'name' && key !== 'readOnly') setTestResult(null);
  };

  const editing = connection !== undefined;
  const changedSettings = connection ? settingsChanged(values, connection) : true;

  const test = useMutation({
    mutationFn: async (): Promise<TTestConnectionResponse> => {
      if (connection && values.password === '' && !changedSettings) {
        return api(connectionPath(connection.id, '/test'), {
          method: 'POST',
          tenantId,
          schema: ZTestConnectionResponse,
        });
      }
      return api('/connections/test', {
        method: 'POST',
        tenantId,
        body: { settings: settingsOf(values), password: values.password },
        schema: ZTestConnectionResponse,
      });
    },
    onSuccess: setTestResult,
    onError: (error) => {
      if (error instanceof ApiError && error.issues.length > 0) setErrors(errorsFromIssues(error.issues));
      else setErrors({ form: errorMessage(error) });
    },
  });

  const save = useMutation({
    mutationFn: (body: unknown) =>
      connection
        ? api(connectionPath(connection.id), { method: 'PATCH', tenantId, body, schema: ZConnectionResponse })
        : api('/connections', { method: 'POST', tenantId, body, schema: ZConnectionResponse }),
    onSuccess: async ({ connection: saved }) => {
      toast({ variant: 'success', title: editing ? `${saved.name} saved` : `${saved.name} connected` });
      queryClient.setQueryData(dataKeys.connection(tenantId, saved.id), { connection: saved });
      await queryClient.invalidateQueries({ queryKey: dataKeys.connections(tenantId), exact: true });
      if (editing) await queryClient.invalidateQueries({ queryKey: dataKeys.catalog(tenantId, saved.id) });
      onDone();
      if (!editing) router.push(dataHref(tenantId, saved.id));
    },
    onError: (error) => {
      if (error instanceof ApiError && error.issues.length > 0) setErrors(errorsFromIssues(error.issues));
      else setErrors({ form: errorMessage(error) });
    },
  });

  function onTest() {
    if (!(connection && values.password === '' && !changedSettings)) {
      const parsed = ZCreateConnectionRequest.pick({ settings: true, password: true }).safeParse({
        settings: settingsOf(values),
        password: values.password,
      });
      if (!parsed.success) {
        setErrors(errorsFromIssues(zodIssues(parsed.error)));
        return;
      }
    }
    setTestResult(null);
    test.mutate();
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!connection) {
      const body = {
        name: values.name,
        settings: settingsOf(values),
        password: values.password,
        readOnly: values.readOnly,
      };
      const parsed = ZCreateConnectionRequest.safeParse(body);
      if (!parsed.success) {
        setErrors(errorsFromIssues(zodIssues(parsed.error)));
        return;
      }
      save.mutate(parsed.data);
      return;
    }
    const body: Record<string, unknown> = { name: values.name, readOnly: values.readOnly };
    if (changedSettings) body.settings = settingsOf(values);
    if (values.password !== '') body.password = values.password;
    const parsed = ZUpdateConnectionRequest.safeParse(body);
    if (!parsed.success) {
      setErrors(errorsFromIssues(zodIssues(parsed.error)));
      return;
    }
    save.mutate(parsed.data);
  }

  const needsPasswordToTest = editing && changedSettings && values.password === '';

  return (
    <form noValidate onSubmit={onSubmit} className="flex flex-col gap-4" data-testid="connection-form">
      <FormError message={errors.form} />
      <TextField
        label="Name"
        name="name"
        autoComplete="off"
        placeholder="Production shop"
        value={values.name}
        onChange={(event) => set('name', event.target.value)}
        error={errors.name}
        required
      />
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-[1fr_7rem]">
        <TextField
          label="Host"
          name="host"
          autoComplete="off"
          spellCheck={false}
          placeholder="db.example.com"
          value={values.host}
          onChange={(event) => set('host', event.target.value)}
          error={errors.host}
          required
        />
        <TextField
          label="Port"
          name="port"
          inputMode="numeric"
          autoComplete="off"
          value={values.port}
          onChange={(event) => set('port', event.target.value)}
          error={errors.port}
          required
        />
      </div>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <TextField
          label="Database"
          name="database"
          autoComplete="off"
          spellCheck={false}
          value={values.database}
          onChange={(event) => set('database', event.target.value)}
          error={errors.database}
          required
        />
        <TextField
          label="User"
          name="user"
          autoComplete="off"
          spellCheck={false}
          value={values.user}
          onChange={(event) => set('user', event.target.value)}
          error={errors.user}
          required
        />
      </div>
      <Field
        label="Password"
        name="password"
        error={errors.password}
        hint={editing ? 'Blank keeps the saved password.' : undefined}
      >
        {(control) => (
          <PasswordInput
            {...control}
            autoComplete="new-password"
            value={values.password}
            onChange={(event) => set('password', event.target.value)}
          />
        )}
      </Field>
      <Field label="SSL mode" name="sslMode" error={errors.sslMode}>
        {({ id, name, ...aria }) => (
          <Select
            id={id}
            name={name}
            data-field={name}
            value={values.sslMode}
            onValueChange={(next) => {
              const mode = SSL_MODES.find((candidate) => candidate === next);
              if (mode) set('sslMode', mode);
            }}
            options={SSL_OPTIONS}
            {...aria}
          />
        )}
      </Field>
      {values.sslMode !== 'disable' ? (
        <Field
          label={values.sslMode === 'verify-full' ? 'CA certificate (PEM)' : 'CA certificate (PEM, optional)'}
          name="caCert"
          error={errors.caCert}
          hint={
            editing && connection?.hasCaCert
              ? 'A certificate is saved. Paste it again only when changing the settings.'
              : 'The certificate of the authority that signed the server’s certificate.'
          }
        >
          {(control) => (
            <textarea
              {...control}
              rows={4}
              spellCheck={false}
              placeholder="-----BEGIN CERTIFICATE-----"
              className={cn(inputClasses, 'h-auto py-2 font-mono text-xs')}
              value={values.caCert}
              onChange={(event) => set('caCert', event.target.value)}
            />
          )}
        </Field>
      ) : null}
      <Switch
        id={`${ids}-readonly`}
        checked={values.readOnly}
        onChange={(checked) => set('readOnly', checked)}
        label="Read-only"
        description="Nobody can insert, edit or delete rows through ElasticDash."
      />
      {testResult ? <TestResult result={testResult} /> : null}
      {needsPasswordToTest ? (
        <p className="text-xs text-fg-muted">Enter the password to test the changed settings.</p>
      ) : null}
      <DialogFooter className="sm:justify-between">
        <Button variant="outline" onClick={onTest} loading={test.isPending} disabled={needsPasswordToTest}>
          <PlugZap aria-hidden /> Test connection
        </Button>
        <div className="flex flex-col-reverse gap-2 sm:flex-row">
          <DialogClose asChild>
            <Button variant="ghost">Cancel</Button>
          </DialogClose>
          <Button type="submit" loading={save.isPending}>
            {editing ? 'Save changes' : 'Save connection'}
          </Button>
        </div>
      </DialogFooter>
      {save.isPending ? (
        <p role="status" className="text-xs text-fg-muted">
          Testing the connection before saving…
        </p>
      ) : null}
    </form>
  );
}

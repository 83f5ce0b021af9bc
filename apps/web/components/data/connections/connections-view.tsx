'use client';

import Link from 'next/link';
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Database, Lock, MoreHorizontal, Pencil, PlugZap, Plus, Trash2 } from 'lucide-react';
import { ZTestConnectionResponse, type TConnection } from '@elasticdash/contracts/data/connection';
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
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorState } from '@/components/ui/error-state';
import { Skeleton } from '@/components/ui/skeleton';
import { useToast } from '@/components/ui/toast';
import { api, errorMessage } from '@/lib/api';
import { connectionPath, dataKeys, useConnections } from '@/lib/data/api';
import { dataHref } from '../data-breadcrumbs';
import { ConnectionDialog } from './connection-dialog';

export function connectionAddress(connection: Pick<TConnection, 'user' | 'host' | 'port' | 'database'>): string {
  return `${connection.user}@${connection.host}:${connection.port}/${connection.database}`;
}

/** Edit, test, delete (admins). Used on the list and on the connection page. */
export function ConnectionActions({ connection, onDeleted }: { connection: TConnection; onDeleted?: () => void }) {
  const { tenantId } = useCurrentTenant();
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const [dialog, setDialog] = useState<'edit' | 'delete' | null>(null);

  const remove = useMutation({
    mutationFn: () => api(connectionPath(connection.id), { method: 'DELETE', tenantId }),
    onSuccess: async () => {
      setDialog(null);
      toast({ variant: 'success', title: `${connection.name} removed` });
      queryClient.removeQueries({ queryKey: dataKeys.connection(tenantId, connection.id) });
      await queryClient.invalidateQueries({ queryKey: dataKeys.connections(tenantId), exact: true });
      onDeleted?.();
    },
  });
  const test = useMutation({
    mutationFn: () =>
      api(connectionPath(connection.id, '/test'), { method: 'POST', tenantId, schema: ZTestConnectionResponse }),
    onSuccess: (result) =>
      result.ok
        ? toast({
            variant: 'success',
            title: `${connection.name} works`,
            description: `${result.serverVersion}, ${Math.round(result.latencyMs)} ms`,
          })
        : toast({ variant: 'danger', title: `${connection.name} cannot connect`, description: result.message }),
    onError: (error) => toast({ variant: 'danger', title: 'Test failed', description: errorMessage(error) }),
  });

  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="ghost" size="icon-sm" aria-label={`Actions for ${connection.name}`}>
            <MoreHorizontal aria-hidden />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end">
          <DropdownMenuItem onSelect={() => setDialog('edit')}>
            <Pencil aria-hidden /> Edit connection
          </DropdownMenuItem>
          <DropdownMenuItem onSelect={() => test.mutate()} disabled={test.isPending}>
            <PlugZap aria-hidden /> Test connection
          </DropdownMenuItem>
          <DropdownMenuSeparator />
          <DropdownMenuItem variant="danger" onSelect={() => setDialog('delete')}>
            <Trash2 aria-hidden /> Delete connection
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
      <ConnectionDialog
        open={dialog === 'edit'}
        onOpenChange={(open) => setDialog(open ? 'edit' : null)}
        connection={connection}
      />
      <ConfirmDialog
        open={dialog === 'delete'}
        onOpenChange={(open) => {
          if (!open) {
            setDialog(null);
            remove.reset();
          }
        }}
        title={`Delete ${connection.name}?`}
        description="ElasticDash forgets this connection, its saved password, rules and audit log. The database itself is not touched."
        confirmLabel="Delete connection"
        onConfirm={() => remove.mutate()}
        pending={remove.isPending}
        error={remove.error ? errorMessage(remove.error) : null}
      />
    </>
  );
}

function ConnectionCard({ connection, manage }: { connection: TConnection; manage: boolean }) {
  const { tenantId } = useCurrentTenant();
  return (
    <li
      className="flex items-center gap-3 border-b border-border px-4 py-3 last:border-0 sm:px-6"
      data-testid="connection-row"
      data-name={connection.name}
    >
      <div className="flex size-9 shrink-0 items-center justify-center rounded-md bg-accent-soft text-accent-text">
        <Database className="size-4" aria-hidden />
      </div>
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-center gap-2">
          <Link
            href={dataHref(tenantId, connection.id)}
            className="truncate font-medium text-fg hover:underline"
            prefetch={false}
          >
            {connection.name}
          </Link>
          {connection.readOnly ? (
            <Badge variant="warning">
              <Lock className="size-3" aria-hidden /> Read-only
            </Badge>
          ) : null}
          {connection.sslMode !== 'disable' ? <Badge variant="outline">TLS {connection.sslMode}</Badge> : null}
        </div>
        <p className="truncate font-mono text-xs text-fg-muted">{connectionAddress(connection)}</p>
      </div>
      {manage ? <ConnectionActions connection={connection} /> : null}
    </li>
  );
}

/** Data home: the workspace's database connections. */
export function ConnectionsView() {
  const { tenantId, tenant } = useCurrentTenant();
  const connections = useConnections(tenantId);
  const manage = hasRole(tenant.role, 'admin');
  const [creating, setCreating] = useState(false);

  const newButton = manage ? (
    <Button onClick={() => setCreating(true)}>
      <Plus aria-hidden /> New connection
    </Button>
  ) : undefined;

  return (
    <>
      <PageHeader
        title="Data"
        description="Browse and edit the rows of your PostgreSQL databases, no SQL needed."
        actions={newButton}
      />
      <ConnectionDialog open={creating} onOpenChange={setCreating} />
      <Card>
        {connections.isPending ? (
          <div className="flex flex-col gap-3 p-4 sm:p-6" role="status" aria-label="Loading connections">
            <Skeleton className="h-12 w-full" />
            <Skeleton className="h-12 w-full" />
          </div>
        ) : connections.isError ? (
          <ErrorState
            error={connections.error}
            title="Could not load connections"
            onRetry={() => void connections.refetch()}
          />
        ) : connections.data.length === 0 ? (
          <EmptyState
            as="h2"
            icon={Database}
            title="No databases connected yet"
            description={
              manage
                ? 'Connect a PostgreSQL database to browse, filter and edit its tables like a spreadsheet.'
                : 'An admin of this workspace can connect a PostgreSQL database.'
            }
            action={newButton}
          />
        ) : (
          <section aria-labelledby="connections-title">
            <h2 id="connections-title" className="sr-only">
              Connections
            </h2>
            <ul data-testid="connections-list">
              {connections.data.map((connection) => (
                <ConnectionCard key={connection.id} connection={connection} manage={manage} />
              ))}
            </ul>
          </section>
        )}
      </Card>
    </>
  );
}

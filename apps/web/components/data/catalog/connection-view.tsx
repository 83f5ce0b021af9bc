'use client';

import Link from 'next/link';
import { useDeferredValue, useMemo, useState } from 'react';
import { useRouter } from 'next/navigation';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Database, Eye, Lock, RefreshCw, Search, Table2 } from 'lucide-react';
import { ZCatalogResponse, type TCatalogTable } from '@elasticdash/contracts/data/catalog';
import { hasRole } from '@elasticdash/contracts/platform/roles';
import { PageHeader } from '@/components/app/page-header';
import { useCurrentTenant } from '@/components/app/tenant-context';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorState } from '@/components/ui/error-state';
import { Input } from '@/components/ui/input';
import { Skeleton } from '@/components/ui/skeleton';
import { useToast } from '@/components/ui/toast';
import { api, errorMessage, isApiError } from '@/lib/api';
import { connectionPath, dataKeys, useCatalog, useConnection } from '@/lib/data/api';
import { formatAgo, formatEstimate } from '@/lib/data/format';
import { TABLE_TYPE_LABELS } from '@/lib/data/kinds';
import { ConnectionActions, connectionAddress } from '../connections/connections-view';
import { DataBreadcrumbs, dataHref } from '../data-breadcrumbs';

function TableRowLink({ table, connectionId }: { table: TCatalogTable; connectionId: string }) {
  const { tenantId } = useCurrentTenant();
  const isView = table.type !== 'table' && table.type !== 'partitioned_table';
  return (
    <li data-testid="catalog-table" data-table={`${table.schema}.${table.name}`}>
      <Link
        href={dataHref(tenantId, connectionId, table.schema, table.name)}
        prefetch={false}
        className="flex items-center gap-3 px-4 py-2.5 hover:bg-muted sm:px-6"
      >
        {isView ? (
          <Eye className="size-4 shrink-0 text-fg-muted" aria-hidden />
        ) : (
          <Table2 className="size-4 shrink-0 text-fg-muted" aria-hidden />
        )}
        <span className="min-w-0 flex-1 truncate font-medium text-fg">{table.name}</span>
        <span className="hidden flex-wrap justify-end gap-1 sm:flex">
          {isView ? <Badge variant="outline">{TABLE_TYPE_LABELS[table.type]}</Badge> : null}
          {table.readOnly ? (
            <Badge variant="warning">
              <Lock className="size-3" aria-hidden /> Read-only
            </Badge>
          ) : null}
          {table.hidden ? <Badge variant="neutral">Hidden from members</Badge> : null}
        </span>
        <span className="w-24 shrink-0 text-right text-xs text-fg-muted tabular-nums sm:w-28">
          {formatEstimate(table.estimatedRows)}
        </span>
        <span className="hidden w-20 shrink-0 text-right text-xs text-fg-muted md:inline">
          {table.columns.length} {table.columns.length === 1 ? 'column' : 'columns'}
        </span>
      </Link>
    </li>
  );
}

/** A connection's tables, grouped by schema, with a search box. */
export function ConnectionView({ connectionId }: { connectionId: string }) {
  const { tenantId, tenant } = useCurrentTenant();
  const router = useRouter();
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const connection = useConnection(tenantId, connectionId);
  const catalog = useCatalog(tenantId, connectionId);
  const [search, setSearch] = useState('');
  const term = useDeferredValue(search.trim().toLowerCase());

  const refresh = useMutation({
    mutationFn: () =>
      api(connectionPath(connectionId, '/catalog/refresh'), { method: 'POST', tenantId, schema: ZCatalogResponse }),
    onSuccess: (data) => {
      queryClient.setQueryData(dataKeys.catalog(tenantId, connectionId), data);
      toast({ variant: 'success', title: 'Tables refreshed', description: `${data.tables.length} tables and views` });
    },
    onError: (error) => toast({ variant: 'danger', title: 'Could not refresh', description: errorMessage(error) }),
  });

  const groups = useMemo(() => {
    const tables = catalog.data?.tables ?? [];
    const matching = term
      ? tables.filter((table) => `${table.schema}.${table.name}`.toLowerCase().includes(term))
      : tables;
    const bySchema = new Map<string, TCatalogTable[]>();
    for (const table of matching) {
      const list = bySchema.get(table.schema) ?? [];
      list.push(table);
      bySchema.set(table.schema, list);
    }
    return [...bySchema.entries()]
      .sort(([a], [b]) => (a === 'public' ? -1 : b === 'public' ? 1 : a.localeCompare(b)))
      .map(([schema, list]) => ({ schema, tables: list.sort((a, b) => a.name.localeCompare(b.name)) }));
  }, [catalog.data, term]);

  if (connection.isError) {
    const missing = isApiError(connection.error, 404);
    return (
      <Card>
        {missing ? (
          <EmptyState
            as="h1"
            icon={Database}
            title="Connection not found"
            description="It may have been deleted."
            action={
              <Button asChild>
                <Link href={dataHref(tenantId)}>Back to Data</Link>
              </Button>
            }
          />
        ) : (
          <ErrorState
            error={connection.error}
            title="Could not load this connection"
            onRetry={() => void connection.refetch()}
          />
        )}
      </Card>
    );
  }

  const name = connection.data?.name ?? 'Connection';
  const canRefresh = hasRole(tenant.role, 'editor');

  return (
    <>
      <DataBreadcrumbs items={[{ label: 'Data', href: dataHref(tenantId) }, { label: name }]} />
      <PageHeader
        title={connection.data ? name : <Skeleton className="h-8 w-48" />}
        description={
          connection.data ? (
            <span className="flex flex-wrap items-center gap-2">
              <span className="font-mono text-xs">{connectionAddress(connection.data)}</span>
              {connection.data.readOnly ? (
                <Badge variant="warning">
                  <Lock className="size-3" aria-hidden /> Read-only
                </Badge>
              ) : null}
            </span>
          ) : undefined
        }
        actions={
          <>
            {canRefresh ? (
              <Button variant="outline" onClick={() => refresh.mutate()} loading={refresh.isPending}>
                {refresh.isPending ? null : <RefreshCw aria-hidden />} Refresh tables
              </Button>
            ) : null}
            {connection.data && hasRole(tenant.role, 'admin') ? (
              <ConnectionActions connection={connection.data} onDeleted={() => router.push(dataHref(tenantId))} />
            ) : null}
          </>
        }
      />
      <Card>
        <div className="flex flex-wrap items-center gap-3 border-b border-border px-4 py-3 sm:px-6">
          <div className="relative min-w-0 flex-1 sm:max-w-sm">
            <Search
              className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-fg-muted"
              aria-hidden
            />
            <Input
              type="search"
              aria-label="Search tables"
              placeholder="Search tables"
              className="pl-9"
              value={search}
              onChange={(event) => setSearch(event.target.value)}
            />
          </div>
          {catalog.data ? (
            <p className="text-xs text-fg-muted">
              {catalog.data.tables.length} tables and views · read {formatAgo(catalog.data.introspectedAt)}
            </p>
          ) : null}
        </div>
        {catalog.isPending ? (
          <div className="flex flex-col gap-2 p-4 sm:p-6" role="status" aria-label="Loading tables">
            {[0, 1, 2, 3].map((row) => (
              <Skeleton key={row} className="h-9 w-full" />
            ))}
          </div>
        ) : catalog.isError ? (
          <ErrorState error={catalog.error} title="Could not read the tables" onRetry={() => void catalog.refetch()} />
        ) : catalog.data.tables.length === 0 ? (
          <EmptyState
            icon={Table2}
            title="No tables you can see"
            description="This database has no tables or views visible to its user, or an admin hid them."
          />
        ) : groups.length === 0 ? (
          <EmptyState icon={Search} title="No table matches" description={`Nothing is named like “${search}”.`} />
        ) : (
          <div>
            {groups.map((group) => (
              <section key={group.schema} aria-labelledby={`schema-${group.schema}`} className="pb-2">
                <h2
                  id={`schema-${group.schema}`}
                  className="sticky top-14 z-10 flex items-center justify-between bg-muted/90 px-4 py-1.5 text-xs font-semibold tracking-wide text-fg-muted uppercase backdrop-blur sm:px-6"
                >
                  <span>{group.schema}</span>
                  <span className="font-normal normal-case">{group.tables.length}</span>
                </h2>
                <ul>
                  {group.tables.map((table) => (
                    <TableRowLink key={`${table.schema}.${table.name}`} table={table} connectionId={connectionId} />
                  ))}
                </ul>
              </section>
            ))}
          </div>
        )}
      </Card>
    </>
  );
}

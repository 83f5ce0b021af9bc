'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import { History, RefreshCw } from 'lucide-react';
import { ZListAuditResponse, type TAuditEntry } from '@elasticdash/contracts/data/audit';
import { hasRole } from '@elasticdash/contracts/platform/roles';
import { useCurrentTenant } from '@/components/app/tenant-context';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorState } from '@/components/ui/error-state';
import { Skeleton } from '@/components/ui/skeleton';
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { errorMessage, api } from '@/lib/api';
import { connectionPath } from '@/lib/data/api';
import { formatAgo } from '@/lib/data/format';

const PAGE_SIZE = 50;

export const auditKey = (tenantId: string, connectionId: string) =>
  ['tenant', tenantId, 'connections', connectionId, 'audit'] as const;

const ACTION_VARIANTS = { insert: 'success', update: 'neutral', delete: 'danger' } as const;

function formatKeys(keys: TAuditEntry['primaryKeys']): string {
  return keys
    .map((key) =>
      Object.entries(key)
        .map(([column, value]) => `${column}=${value}`)
        .join(', '),
    )
    .join('; ');
}

/** Admins: who wrote what (never the values), newest first. Renders nothing for others. */
export function AuditLog({ connectionId }: { connectionId: string }) {
  const { tenant } = useCurrentTenant();
  if (!hasRole(tenant.role, 'admin')) return null;
  return <AuditLogInner connectionId={connectionId} />;
}

function AuditLogInner({ connectionId }: { connectionId: string }) {
  const { tenantId } = useCurrentTenant();
  const audit = useInfiniteQuery({
    queryKey: auditKey(tenantId, connectionId),
    queryFn: ({ pageParam, signal }) => {
      const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
      if (pageParam) params.set('after', pageParam);
      return api(connectionPath(connectionId, `/audit?${params.toString()}`), {
        schema: ZListAuditResponse,
        tenantId,
        signal,
      });
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    refetchOnWindowFocus: false,
  });
  const entries = audit.data?.pages.flatMap((page) => page.entries) ?? [];
  /** A failed "Load more" or refresh keeps the rows already shown. */
  const loadMoreError = audit.isError && audit.data ? errorMessage(audit.error) : null;

  return (
    <Card className="mt-6" data-testid="audit-log">
      <CardHeader
        id="audit-log"
        title="Audit log"
        description="Every insert, update and delete made through ElasticDash: who, when, which rows and columns. Values are not recorded."
        actions={
          <Button
            variant="outline"
            size="sm"
            onClick={() => void audit.refetch()}
            loading={audit.isRefetching && !audit.isFetchingNextPage}
          >
            {audit.isRefetching && !audit.isFetchingNextPage ? null : <RefreshCw aria-hidden />} Refresh
          </Button>
        }
      />
      {audit.isPending ? (
        <div className="flex flex-col gap-2 p-4 sm:p-6" role="status" aria-label="Loading the audit log">
          {[0, 1, 2].map((row) => (
            <Skeleton key={row} className="h-9 w-full" />
          ))}
        </div>
      ) : audit.isError && !audit.data ? (
        <ErrorState error={audit.error} title="Could not load the audit log" onRetry={() => void audit.refetch()} />
      ) : entries.length === 0 ? (
        <EmptyState icon={History} title="No writes yet" description="Edits made in the grid will show up here." />
      ) : (
        <>
          <Table>
            <TableCaption>Writes to this connection, newest first</TableCaption>
            <TableHeader>
              <TableRow>
                <TableHead>When</TableHead>
                <TableHead>User</TableHead>
                <TableHead>Table</TableHead>
                <TableHead>Action</TableHead>
                <TableHead>Rows</TableHead>
                <TableHead>Columns</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {entries.map((entry) => (
                <TableRow
                  key={entry.id}
                  data-testid="audit-entry"
                  data-action={entry.action}
                  data-audit-table={`${entry.schema}.${entry.table}`}
                >
                  <TableCell className="whitespace-nowrap text-fg-muted">
                    <time dateTime={entry.at} title={new Date(entry.at).toLocaleString()}>
                      {formatAgo(entry.at)}
                    </time>
                  </TableCell>
                  <TableCell className="max-w-48 truncate">{entry.userEmail}</TableCell>
                  <TableCell className="font-mono text-xs whitespace-nowrap">
                    {entry.schema}.{entry.table}
                  </TableCell>
                  <TableCell>
                    <Badge variant={ACTION_VARIANTS[entry.action]}>{entry.action}</Badge>
                  </TableCell>
                  <TableCell className="max-w-64 truncate font-mono text-xs" title={formatKeys(entry.primaryKeys)}>
                    {formatKeys(entry.primaryKeys) || '—'}
                  </TableCell>
                  <TableCell className="max-w-64 truncate text-xs" title={entry.columns.join(', ')}>
                    {entry.columns.length > 0 ? entry.columns.join(', ') : '—'}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <div className="flex flex-wrap items-center justify-between gap-3 border-t border-border px-4 py-3 sm:px-6">
            <p className="text-xs text-fg-muted">
              {entries.length} {entries.length === 1 ? 'entry' : 'entries'}
              {loadMoreError ? ` · ${loadMoreError}` : ''}
            </p>
            {audit.hasNextPage ? (
              <Button
                variant="outline"
                size="sm"
                onClick={() => void audit.fetchNextPage()}
                loading={audit.isFetchingNextPage}
              >
                Load more
              </Button>
            ) : null}
          </div>
        </>
      )}
    </Card>
  );
}

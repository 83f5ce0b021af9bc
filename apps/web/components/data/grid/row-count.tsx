'use client';

import { useMutation } from '@tanstack/react-query';
import { Sigma } from 'lucide-react';
import { ZCountRowsResponse, type TRowCount } from '@elasticdash/contracts/data/rows';
import { Button } from '@/components/ui/button';
import { api, errorMessage } from '@/lib/api';
import { connectionPath } from '@/lib/data/api';
import { formatInteger, formatRowCount } from '@/lib/data/format';
import type { TGridView } from '@/lib/data/view-url';

/**
 * "≈ 1,000,000 rows" from the first page (an estimate above 50,000 rows, never delaying the
 * page), with "Count exactly" on demand (a real count(*), with the server's timeout).
 */
export function RowCount({
  tenantId,
  connectionId,
  schema,
  table,
  view,
  count,
  loaded,
  exact,
  onExact,
}: {
  tenantId: string;
  connectionId: string;
  schema: string;
  table: string;
  view: TGridView;
  count: TRowCount | null;
  loaded: number;
  /** An exact count already made for this view. */
  exact: TRowCount | null;
  onExact: (count: TRowCount) => void;
}) {
  const counting = useMutation({
    mutationFn: () =>
      api(connectionPath(connectionId, '/rows/count'), {
        method: 'POST',
        tenantId,
        schema: ZCountRowsResponse,
        body: {
          schema,
          table,
          mode: 'exact',
          ...(view.filter ? { filter: view.filter } : {}),
          ...(view.search ? { search: view.search } : {}),
          ...(view.columns ? { columns: view.columns } : {}),
        },
      }),
    onSuccess: (data) => onExact(data.count),
  });

  const shown = exact ?? count;
  return (
    <div className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-fg-muted" aria-live="polite">
      <span data-testid="row-count" className="font-medium text-fg tabular-nums">
        {shown ? formatRowCount(shown) : 'Rows'}
      </span>
      {shown && !shown.exact ? <span>(estimate)</span> : null}
      {exact?.timedOut ? <span>Counting exactly took too long; this is an estimate.</span> : null}
      <span className="tabular-nums">· {formatInteger(loaded)} loaded</span>
      {!shown?.exact ? (
        <Button
          variant="link"
          size="sm"
          className="text-xs"
          onClick={() => counting.mutate()}
          loading={counting.isPending}
        >
          {counting.isPending ? null : <Sigma className="size-3" aria-hidden />} Count exactly
        </Button>
      ) : null}
      {counting.isError ? <span className="text-danger-text">{errorMessage(counting.error)}</span> : null}
    </div>
  );
}

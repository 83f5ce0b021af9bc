'use client';

import { useRef, useState } from 'react';
import { Download, X } from 'lucide-react';
import type { TTableView } from '@elasticdash/contracts/data/rows';
import { Button } from '@/components/ui/button';
import { useToast } from '@/components/ui/toast';
import { errorMessage } from '@/lib/api';
import { startExport } from '@/lib/data/api';
import { CsvProgress, filenameFromDisposition, formatBytes } from '@/lib/data/csv-progress';
import { formatInteger } from '@/lib/data/format';
import { exportViewParam } from '@/lib/data/view-url';

interface Progress {
  bytes: number;
  rows: number;
}

function saveBlob(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.rel = 'noopener';
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

/**
 * CSV export of the current view (every matching row, not just the loaded ones): the stream is
 * read here so the user sees rows and bytes arrive and can cancel, then saved as a download.
 */
export function ExportButton({
  tenantId,
  connectionId,
  view,
  expectedRows,
}: {
  tenantId: string;
  connectionId: string;
  view: TTableView;
  /** The view's row count, for a progress bar (an estimate is fine). */
  expectedRows: number | null;
}) {
  const { toast } = useToast();
  const [progress, setProgress] = useState<Progress | null>(null);
  const abort = useRef<AbortController | null>(null);

  async function run() {
    const controller = new AbortController();
    abort.current = controller;
    setProgress({ bytes: 0, rows: 0 });
    const counter = new CsvProgress();
    const chunks: Uint8Array<ArrayBuffer>[] = [];
    try {
      const response = await startExport(tenantId, connectionId, exportViewParam(view), controller.signal);
      const filename = filenameFromDisposition(response.headers.get('content-disposition'), `${view.table}.csv`);
      const reader = response.body?.getReader();
      if (!reader) throw new Error('The browser cannot read the download stream.');
      let lastPaint = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value as Uint8Array<ArrayBuffer>);
        counter.push(value);
        const now = performance.now();
        if (now - lastPaint > 100) {
          lastPaint = now;
          setProgress({ bytes: counter.bytes, rows: counter.rows });
        }
      }
      const rows = counter.finalRows;
      saveBlob(new Blob(chunks, { type: 'text/csv;charset=utf-8' }), filename);
      toast({
        variant: 'success',
        title: `Exported ${formatInteger(rows)} ${rows === 1 ? 'row' : 'rows'}`,
        description: `${filename}, ${formatBytes(counter.bytes)}`,
      });
    } catch (error) {
      if (controller.signal.aborted) toast({ variant: 'info', title: 'Export cancelled' });
      else toast({ variant: 'danger', title: 'Export failed', description: errorMessage(error) });
    } finally {
      abort.current = null;
      setProgress(null);
    }
  }

  if (!progress) {
    return (
      <Button variant="outline" size="sm" onClick={() => void run()} title="Download every matching row as CSV">
        <Download aria-hidden /> <span className="hidden sm:inline">Export CSV</span>
        <span className="sm:hidden">CSV</span>
      </Button>
    );
  }

  const fraction = expectedRows && expectedRows > 0 ? Math.min(1, progress.rows / expectedRows) : null;
  return (
    <div className="flex items-center gap-2 rounded-md border border-border px-2 py-1" data-testid="export-progress">
      <div className="flex min-w-36 flex-col gap-1">
        <p role="status" aria-live="polite" className="text-xs text-fg tabular-nums">
          Exporting… {formatInteger(progress.rows)} rows · {formatBytes(progress.bytes)}
        </p>
        <div
          className="h-1 w-full overflow-hidden rounded bg-muted"
          role="progressbar"
          aria-label="Export progress"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={fraction === null ? undefined : Math.round(fraction * 100)}
        >
          <div
            className={
              fraction === null ? 'h-full w-1/3 animate-pulse bg-accent' : 'h-full bg-accent transition-[width]'
            }
            style={fraction === null ? undefined : { width: `${fraction * 100}%` }}
          />
        </div>
      </div>
      <Button variant="ghost" size="icon-sm" aria-label="Cancel export" onClick={() => abort.current?.abort()}>
        <X aria-hidden />
      </Button>
    </div>
  );
}

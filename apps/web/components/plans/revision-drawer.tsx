'use client';

import { useState } from 'react';
import * as DialogPrimitive from '@radix-ui/react-dialog';
import { History, RotateCcw, X } from 'lucide-react';
import type { TPlanRevision } from '@elasticdash/contracts/plans/plan';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { ErrorState } from '@/components/ui/error-state';
import { Loading, Skeleton } from '@/components/ui/skeleton';
import { errorMessage } from '@/lib/api';
import { cn } from '@/lib/cn';
import { usePlanDiff, usePlanRevisions } from '@/lib/plans/queries';
import { ChangeList } from './change-list';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** Two picked revisions, oldest first; the first two by default (newest and the one before). */
function compareRange(picked: number[]): { from: number; to: number } | null {
  if (picked.length !== 2) return null;
  const [a = 0, b = 0] = picked;
  return { from: Math.min(a, b), to: Math.max(a, b) };
}

export function RevisionDrawer({
  open,
  onOpenChange,
  tenantId,
  planId,
  currentRevision,
  canWrite,
  dirty,
  onRestore,
  restoring,
  restoreError,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  tenantId: string;
  planId: string;
  currentRevision: number;
  canWrite: boolean;
  dirty: boolean;
  onRestore: (revision: number) => Promise<boolean>;
  restoring: boolean;
  restoreError: unknown;
}) {
  const revisions = usePlanRevisions(tenantId, planId, open);
  const [picked, setPicked] = useState<number[] | null>(null);
  const [confirm, setConfirm] = useState<TPlanRevision | null>(null);
  const defaults = (revisions.data ?? []).slice(0, 2).map((revision) => revision.revision);
  const selection = picked ?? defaults;
  const range = compareRange(selection);
  const diff = usePlanDiff(tenantId, planId, open ? range : null);

  function toggle(revision: number) {
    const current = selection;
    if (current.includes(revision)) setPicked(current.filter((value) => value !== revision));
    else setPicked([...current, revision].slice(-2));
  }

  return (
    <DialogPrimitive.Root open={open} onOpenChange={onOpenChange}>
      <DialogPrimitive.Portal>
        <DialogPrimitive.Overlay className="animate-fade-in fixed inset-0 z-50 bg-slate-950/40" />
        <DialogPrimitive.Content
          className="fixed inset-y-0 right-0 z-50 flex w-full max-w-md flex-col border-l border-border bg-surface shadow-xl"
          aria-describedby={undefined}
          data-testid="revision-drawer"
        >
          <div className="flex items-center justify-between gap-2 border-b border-border px-4 py-3">
            <DialogPrimitive.Title className="flex items-center gap-2 text-base font-semibold text-fg">
              <History className="size-4" aria-hidden /> Revision history
            </DialogPrimitive.Title>
            <DialogPrimitive.Close asChild>
              <Button variant="ghost" size="icon-sm" aria-label="Close">
                <X aria-hidden />
              </Button>
            </DialogPrimitive.Close>
          </div>
          <div className="flex min-h-0 flex-1 flex-col gap-4 overflow-y-auto p-4">
            <p className="text-sm text-fg-muted">
              Every save is a revision. Tick two to compare them{canWrite ? '; restore one to make it the newest' : ''}.
            </p>
            {revisions.isPending ? (
              <div className="flex flex-col gap-2" role="status" aria-label="Loading revisions">
                {[0, 1, 2].map((row) => (
                  <Skeleton key={row} className="h-12 w-full" />
                ))}
              </div>
            ) : revisions.isError ? (
              <ErrorState
                error={revisions.error}
                title="Could not load the revisions"
                onRetry={() => void revisions.refetch()}
              />
            ) : (
              <ul className="flex flex-col gap-1.5" aria-label="Revisions" data-testid="revision-list">
                {revisions.data.map((revision) => {
                  const checked = selection.includes(revision.revision);
                  return (
                    <li
                      key={revision.revision}
                      data-revision={revision.revision}
                      className={cn(
                        'flex items-center gap-3 rounded-md border px-3 py-2',
                        checked ? 'border-accent bg-accent-soft/50' : 'border-border',
                      )}
                    >
                      <input
                        type="checkbox"
                        id={`revision-${revision.revision}`}
                        checked={checked}
                        onChange={() => toggle(revision.revision)}
                        className="size-4 accent-[var(--accent)]"
                      />
                      <label htmlFor={`revision-${revision.revision}`} className="min-w-0 flex-1 cursor-pointer">
                        <span className="flex flex-wrap items-center gap-2 text-sm font-medium text-fg">
                          Revision {revision.revision}
                          {revision.revision === currentRevision ? <Badge variant="accent">current</Badge> : null}
                          {revision.restoredFrom !== null ? (
                            <Badge variant="outline">restored from {revision.restoredFrom}</Badge>
                          ) : null}
                        </span>
                        <span className="block truncate text-xs text-fg-muted">
                          {dateFormat.format(new Date(revision.createdAt))} · {revision.createdBy}
                        </span>
                      </label>
                      {canWrite && revision.revision !== currentRevision ? (
                        <Button
                          variant="outline"
                          size="sm"
                          onClick={() => setConfirm(revision)}
                          aria-label={`Restore revision ${revision.revision}`}
                        >
                          <RotateCcw aria-hidden /> Restore
                        </Button>
                      ) : null}
                    </li>
                  );
                })}
              </ul>
            )}
            {revisions.data && revisions.data.length > 1 ? (
              <section aria-labelledby="diff-title" className="flex flex-col gap-2">
                <h3 id="diff-title" className="text-sm font-semibold text-fg">
                  {range ? `Changes from revision ${range.from} to ${range.to}` : 'Tick two revisions to compare'}
                </h3>
                {range ? (
                  diff.isPending ? (
                    <Loading label="Comparing…" />
                  ) : diff.isError ? (
                    <ErrorState error={diff.error} title="Could not compare" onRetry={() => void diff.refetch()} />
                  ) : (
                    <ChangeList
                      changes={diff.data.changes}
                      emptyText="No differences."
                      testId="revision-diff"
                      className={diff.isPlaceholderData ? 'opacity-60' : undefined}
                    />
                  )
                ) : null}
              </section>
            ) : null}
          </div>
          <ConfirmDialog
            open={confirm !== null}
            onOpenChange={(next) => {
              if (!next) setConfirm(null);
            }}
            title={`Restore revision ${confirm?.revision ?? ''}?`}
            description={
              dirty
                ? `Its document becomes a new revision after ${currentRevision}. Your unsaved changes are discarded.`
                : `Its document becomes a new revision after ${currentRevision}; nothing is lost, revision ${currentRevision} stays in the history.`
            }
            confirmLabel="Restore"
            variant="primary"
            pending={restoring}
            error={restoreError ? errorMessage(restoreError) : null}
            onConfirm={() => {
              if (!confirm) return;
              void onRestore(confirm.revision).then((done) => {
                if (done) {
                  setConfirm(null);
                  setPicked(null);
                }
              });
            }}
          />
        </DialogPrimitive.Content>
      </DialogPrimitive.Portal>
    </DialogPrimitive.Root>
  );
}

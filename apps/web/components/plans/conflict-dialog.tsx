'use client';

import { useMemo } from 'react';
import type { TCsJsonDocument } from '@elasticdash/contracts/plans/cs-json';
import type { TPlan } from '@elasticdash/contracts/plans/plan';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogFooter } from '@/components/ui/dialog';
import { FormError } from '@/components/ui/field';
import { diffJson } from '@/lib/plans/json-diff';
import { ChangeList } from './change-list';

const timeFormat = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });

/**
 * A save was refused (409): someone saved a newer revision since this tab loaded its own. The
 * user chooses: take theirs (drop mine) or overwrite with mine (a new revision on top of theirs,
 * theirs stays in the history). The diff shows what "overwrite" would change in their version.
 */
export function ConflictDialog({
  latest,
  baseRevision,
  mine,
  onLoadTheirs,
  onOverwrite,
  onCancel,
  overwriting,
  error,
}: {
  latest: TPlan | null;
  baseRevision: number;
  mine: TCsJsonDocument;
  onLoadTheirs: () => void;
  onOverwrite: () => void;
  onCancel: () => void;
  overwriting: boolean;
  error: string | null;
}) {
  const changes = useMemo(() => (latest ? diffJson(latest.document, mine) : []), [latest, mine]);
  return (
    <Dialog
      open={latest !== null}
      onOpenChange={(open) => {
        if (!open) onCancel();
      }}
    >
      {latest ? (
        <DialogContent
          role="alertdialog"
          title="Someone else saved this plan"
          description={`${latest.updatedBy} saved revision ${latest.revision} at ${timeFormat.format(new Date(latest.updatedAt))}, after the revision ${baseRevision} you started from. Your changes are not saved yet.`}
          className="max-w-2xl"
          data-testid="conflict-dialog"
        >
          <section aria-labelledby="conflict-diff-title" className="flex min-h-0 flex-col gap-2">
            <h3 id="conflict-diff-title" className="text-sm font-semibold text-fg">
              Theirs (revision {latest.revision}) → yours
            </h3>
            <ChangeList
              changes={changes}
              emptyText="Your version is the same as theirs."
              testId="conflict-diff"
              className="max-h-64 overflow-y-auto"
            />
          </section>
          <FormError message={error} />
          <DialogFooter>
            <Button variant="ghost" onClick={onCancel}>
              Keep editing
            </Button>
            <Button variant="outline" onClick={onLoadTheirs}>
              Load theirs (discard mine)
            </Button>
            <Button onClick={onOverwrite} loading={overwriting}>
              Overwrite with mine
            </Button>
          </DialogFooter>
        </DialogContent>
      ) : null}
    </Dialog>
  );
}

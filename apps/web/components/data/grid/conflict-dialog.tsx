'use client';

import { AlertTriangle } from 'lucide-react';
import type { TCatalogColumn } from '@elasticdash/contracts/data/catalog';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogFooter } from '@/components/ui/dialog';
import { cn } from '@/lib/cn';
import { describeValue, sameValue } from '@/lib/data/cell-values';
import type { TConflict } from './use-row-writes';

function Value({ value, column }: { value: unknown; column: TCatalogColumn | undefined }) {
  const text = describeValue(value, column?.kind ?? 'text');
  return (
    <span className={cn('break-all', (value === null || value === undefined) && 'text-fg-muted italic')}>
      {text.length > 300 ? `${text.slice(0, 300)}…` : text}
    </span>
  );
}

/**
 * Someone changed the row after it was loaded: show, column by column, what the user wrote and
 * what the row holds now, and let them keep theirs (written again, expecting the current
 * values) or take the current ones. The question must be answered: no dismissing by Esc.
 */
export function ConflictDialog({
  conflict,
  columns,
  resolving,
  onResolve,
}: {
  conflict: TConflict | null;
  columns: readonly TCatalogColumn[];
  resolving: boolean;
  onResolve: (choice: 'mine' | 'theirs') => void;
}) {
  const byName = new Map(columns.map((column) => [column.name, column]));
  const current = conflict?.current ?? null;
  const names = conflict
    ? [...new Set([...Object.keys(conflict.mine), ...conflict.conflictingColumns])].filter(
        (name) => name in conflict.mine || (current && name in current.values),
      )
    : [];
  const action = conflict?.origin.kind === 'undo' ? 'undo' : conflict?.origin.kind === 'redo' ? 'redo' : 'edit';

  return (
    <Dialog open={conflict !== null}>
      <DialogContent
        role="alertdialog"
        hideClose
        onEscapeKeyDown={(event) => event.preventDefault()}
        onPointerDownOutside={(event) => event.preventDefault()}
        onInteractOutside={(event) => event.preventDefault()}
        title={current ? 'This row was changed by someone else' : 'This row was deleted by someone else'}
        description={
          current
            ? `Your ${action} was not saved because the row changed after you loaded it. Choose which values to keep.`
            : 'It no longer exists, so your change cannot be saved.'
        }
        className="max-w-2xl"
        data-testid="conflict-dialog"
      >
        {current ? (
          <div className="overflow-x-auto rounded-md border border-border">
            <table className="w-full text-sm">
              <thead className="bg-muted text-left text-xs text-fg-muted uppercase">
                <tr>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Column
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Your value
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Current value
                  </th>
                </tr>
              </thead>
              <tbody>
                {names.map((name) => {
                  const column = byName.get(name);
                  const mine = name in (conflict?.mine ?? {}) ? conflict?.mine[name] : current.values[name];
                  const theirs = current.values[name];
                  const differs = conflict?.conflictingColumns.includes(name) ?? false;
                  return (
                    <tr
                      key={name}
                      className="border-t border-border align-top"
                      data-testid="conflict-row"
                      data-column={name}
                    >
                      <th scope="row" className="px-3 py-2 text-left font-mono text-xs font-medium">
                        <span className="flex items-center gap-1">
                          {differs ? (
                            <AlertTriangle className="size-3.5 text-warning-text" aria-label="Changed" />
                          ) : null}
                          {name}
                        </span>
                      </th>
                      <td className="px-3 py-2" data-testid="conflict-mine">
                        <Value value={mine} column={column} />
                      </td>
                      <td
                        className={cn('px-3 py-2', differs && !sameValue(mine, theirs) && 'bg-warning-soft')}
                        data-testid="conflict-current"
                      >
                        <Value value={theirs} column={column} />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ) : null}
        <DialogFooter>
          <Button variant="outline" onClick={() => onResolve('theirs')} disabled={resolving}>
            {current ? 'Use current values' : 'Remove it from the grid'}
          </Button>
          {current ? (
            <Button onClick={() => onResolve('mine')} loading={resolving}>
              Keep mine
            </Button>
          ) : null}
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

import { cn } from '@/lib/cn';
import { formatDiffValue, type TJsonChange } from '@/lib/plans/json-diff';

const KIND_LABEL = { added: 'added', removed: 'removed', changed: 'changed' } as const;

/** Rows of "path: before → after", for the revision diff and the conflict dialog. */
export function ChangeList({
  changes,
  emptyText,
  testId,
  className,
}: {
  changes: readonly TJsonChange[];
  emptyText: string;
  testId?: string;
  className?: string;
}) {
  if (changes.length === 0) return <p className="text-sm text-fg-muted">{emptyText}</p>;
  return (
    <ul
      className={cn('flex flex-col divide-y divide-border rounded-md border border-border', className)}
      data-testid={testId}
    >
      {changes.map((change) => (
        <li key={`${change.kind}:${change.path}`} className="flex flex-col gap-0.5 px-3 py-2" data-path={change.path}>
          <span className="flex items-center gap-2">
            <code className="font-mono text-xs break-all text-fg">{change.path}</code>
            <span
              className={cn(
                'rounded px-1 text-[10px] font-medium uppercase',
                change.kind === 'added' && 'bg-success-soft text-success-text',
                change.kind === 'removed' && 'bg-danger-soft text-danger-text',
                change.kind === 'changed' && 'bg-muted text-fg-muted',
              )}
            >
              {KIND_LABEL[change.kind]}
            </span>
          </span>
          <span className="font-mono text-xs break-all text-fg-muted">
            {change.kind === 'added' ? null : <del className="text-danger-text">{formatDiffValue(change.before)}</del>}
            {change.kind === 'changed' ? <span aria-label="becomes"> → </span> : null}
            {change.kind === 'removed' ? null : (
              <ins className="text-success-text no-underline">{formatDiffValue(change.after)}</ins>
            )}
          </span>
        </li>
      ))}
    </ul>
  );
}

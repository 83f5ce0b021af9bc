'use client';

import { useMemo, useState, type FormEvent } from 'react';
import { FolderTree, Plus, X } from 'lucide-react';
import type { TCatalogColumn } from '@elasticdash/contracts/data/catalog';
import type { TFilterCondition, TFilterGroup, TFilterOperator } from '@elasticdash/contracts/data/rows';
import { Button } from '@/components/ui/button';
import { cn } from '@/lib/cn';
import {
  addCondition,
  addGroup,
  canAddCondition,
  canAddGroup,
  cleanFilter,
  countConditions,
  defaultCondition,
  emptyFilter,
  isComplete,
  operatorLabel,
  operatorsFor,
  removeAt,
  setCombinator,
  updateCondition,
  withColumn,
  withOperator,
  type TPath,
} from '@/lib/data/filter-tree';
import { NativeSelect } from '../native-select';
import { FilterValueInput } from './filter-value-input';

interface NodeProps {
  tree: TFilterGroup;
  setTree: (update: (tree: TFilterGroup) => TFilterGroup) => void;
  columns: readonly TCatalogColumn[];
  byName: ReadonlyMap<string, TCatalogColumn>;
}

function ConditionRow({
  condition,
  path,
  setTree,
  columns,
  byName,
}: Omit<NodeProps, 'tree'> & { condition: TFilterCondition; path: TPath }) {
  const column = byName.get(condition.column) ?? columns[0];
  if (!column) return null;
  const update = (change: (current: TFilterCondition) => TFilterCondition) =>
    setTree((current) => updateCondition(current, path, change));
  const incomplete = !isComplete(condition);
  return (
    <li className="flex flex-wrap items-center gap-1.5" data-testid="filter-condition">
      <NativeSelect
        aria-label="Column"
        className="w-44"
        value={column.name}
        onChange={(event) => {
          const next = byName.get(event.target.value);
          if (next) update((current) => withColumn(current, byName.get(current.column), next));
        }}
        options={columns.map((option) => ({ value: option.name, label: option.name }))}
      />
      <NativeSelect
        aria-label="Operator"
        className="w-40"
        value={condition.op}
        onChange={(event) => update((current) => withOperator(current, event.target.value as TFilterOperator))}
        options={operatorsFor(column.kind).map((op) => ({ value: op, label: operatorLabel(op, column.kind) }))}
      />
      <FilterValueInput
        column={column}
        condition={condition}
        onChange={(patch) => update((current) => ({ ...current, ...patch }))}
      />
      <Button
        variant="ghost"
        size="icon-sm"
        aria-label={`Remove condition on ${column.name}`}
        onClick={() => setTree((current) => removeAt(current, path))}
      >
        <X aria-hidden />
      </Button>
      {incomplete ? <span className="text-xs text-fg-muted">(needs a value)</span> : null}
    </li>
  );
}

function GroupEditor({ group, path, ...props }: NodeProps & { group: TFilterGroup; path: TPath }) {
  const { setTree, columns, tree } = props;
  const first = columns[0];
  const nested = path.length > 0;
  return (
    <div
      className={cn('flex flex-col gap-2', nested && 'rounded-md border border-dashed border-border-strong/60 p-2')}
      role="group"
      aria-label={nested ? 'Group of conditions' : 'Conditions'}
    >
      {group.children.length > 1 ? (
        <div className="flex items-center gap-2 text-xs text-fg-muted">
          Match
          <NativeSelect
            aria-label="Match all or any"
            className="h-7 w-auto"
            value={group.combinator}
            onChange={(event) =>
              setTree((current) => setCombinator(current, path, event.target.value === 'or' ? 'or' : 'and'))
            }
            options={[
              { value: 'and', label: 'all (and)' },
              { value: 'or', label: 'any (or)' },
            ]}
          />
          of these
        </div>
      ) : null}
      <ul className="flex flex-col gap-2">
        {group.children.map((child, index) => {
          const childPath = [...path, index];
          return child.type === 'group' ? (
            <li key={index}>
              <div className="flex items-start gap-1">
                <GroupEditor group={child} path={childPath} {...props} />
                <Button
                  variant="ghost"
                  size="icon-sm"
                  aria-label="Remove group"
                  onClick={() => setTree((current) => removeAt(current, childPath))}
                >
                  <X aria-hidden />
                </Button>
              </div>
            </li>
          ) : (
            <ConditionRow key={index} condition={child} path={childPath} {...props} />
          );
        })}
      </ul>
      {first ? (
        <div className="flex flex-wrap gap-1">
          <Button
            variant="ghost"
            size="sm"
            disabled={!canAddCondition(tree)}
            onClick={() => setTree((current) => addCondition(current, path, defaultCondition(first)))}
          >
            <Plus aria-hidden /> Add condition
          </Button>
          {canAddGroup(path) ? (
            <Button
              variant="ghost"
              size="sm"
              disabled={!canAddCondition(tree)}
              onClick={() => setTree((current) => addGroup(current, path, defaultCondition(first)))}
            >
              <FolderTree aria-hidden /> Add group
            </Button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

/**
 * Filters without SQL: conditions (column, operator offered by the column's kind, a value input
 * for that kind) in and/or groups, nested up to the server's limit. Edits stay a draft until
 * "Apply", which puts the filter in the URL.
 */
export function FilterBuilder({
  columns,
  filter,
  focusColumn,
  onApply,
  onClose,
}: {
  columns: readonly TCatalogColumn[];
  filter: TFilterGroup | undefined;
  /** Start with a new condition on this column ("Filter by this column"). */
  focusColumn?: string | null | undefined;
  onApply: (filter: TFilterGroup | undefined) => void;
  onClose: () => void;
}) {
  const byName = useMemo(() => new Map(columns.map((column) => [column.name, column])), [columns]);
  const [tree, setTreeState] = useState<TFilterGroup>(() => {
    let initial = filter ?? emptyFilter();
    const focused = focusColumn ? byName.get(focusColumn) : undefined;
    if (focused) initial = addCondition(initial, [], defaultCondition(focused));
    else if (initial.children.length === 0 && columns[0])
      initial = addCondition(initial, [], defaultCondition(columns[0]));
    return initial;
  });
  const setTree = (update: (current: TFilterGroup) => TFilterGroup) => setTreeState(update);
  const conditions = countConditions(tree);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    onApply(cleanFilter(tree));
  }

  return (
    <form
      onSubmit={onSubmit}
      className="flex flex-col gap-3 rounded-md border border-border bg-surface p-3 shadow-sm"
      aria-label="Filter rows"
      data-testid="filter-builder"
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          onClose();
        }
      }}
    >
      <GroupEditor group={tree} path={[]} tree={tree} setTree={setTree} columns={columns} byName={byName} />
      <div className="flex flex-wrap items-center justify-between gap-2 border-t border-border pt-3">
        <p className="text-xs text-fg-muted">
          {conditions === 0
            ? 'No conditions: every row is shown.'
            : `${conditions} condition${conditions === 1 ? '' : 's'}`}
        </p>
        <div className="flex gap-2">
          <Button
            variant="ghost"
            size="sm"
            onClick={() => {
              setTreeState(emptyFilter());
              onApply(undefined);
            }}
          >
            Clear filters
          </Button>
          <Button variant="outline" size="sm" onClick={onClose}>
            Close
          </Button>
          <Button type="submit" size="sm">
            Apply filters
          </Button>
        </div>
      </div>
    </form>
  );
}

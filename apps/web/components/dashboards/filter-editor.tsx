'use client';

import { Plus, Trash2 } from 'lucide-react';
import type { TDatasetColumn } from '@elasticdash/contracts/datasets/dataset';
import { DATASET_FILTER_OPS, type TDatasetFilter } from '@elasticdash/contracts/datasets/query';
import { NativeSelect } from '@/components/data/native-select';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { FILTER_OP_LABELS, filterValueText, isNumeric, isTime, parseFilterValue } from '@/lib/datasets/panel-query';

export interface TFilterDraft {
  id: number;
  column: string;
  op: TDatasetFilter['op'];
  text: string;
}

let nextDraftId = 1;

export function draftsOf(filters: readonly TDatasetFilter[]): TFilterDraft[] {
  return filters.map((filter) => ({
    id: nextDraftId++,
    column: filter.column,
    op: filter.op,
    text: filterValueText(filter.value),
  }));
}

/** Drafts → filters, or the message of the first draft that does not fit its column. */
export function filtersOf(
  drafts: readonly TFilterDraft[],
  columns: readonly TDatasetColumn[],
): { filters: TDatasetFilter[]; errors: Record<number, string> } {
  const filters: TDatasetFilter[] = [];
  const errors: Record<number, string> = {};
  for (const draft of drafts) {
    const column = columns.find((candidate) => candidate.key === draft.column);
    if (!column) {
      errors[draft.id] = 'Choose a column';
      continue;
    }
    const parsed = parseFilterValue(draft.op, draft.text, column.type);
    if (!parsed.ok) errors[draft.id] = parsed.message;
    else
      filters.push(
        parsed.value === undefined
          ? { column: column.key, op: draft.op }
          : { column: column.key, op: draft.op, value: parsed.value },
      );
  }
  return { filters, errors };
}

function opsFor(column: TDatasetColumn | undefined): TDatasetFilter['op'][] {
  if (!column) return [...DATASET_FILTER_OPS];
  if (isNumeric(column) || isTime(column)) return DATASET_FILTER_OPS.filter((op) => op !== 'contains');
  if (column.type === 'boolean') return ['eq', 'neq', 'is_null', 'not_null'];
  return ['eq', 'neq', 'contains', 'in', 'is_null', 'not_null', 'gt', 'lt'];
}

function placeholderFor(op: TDatasetFilter['op'], column: TDatasetColumn | undefined): string {
  if (op === 'between') return 'from, to';
  if (op === 'in') return 'a, b, c';
  if (column?.type === 'date') return 'YYYY-MM-DD';
  if (column?.type === 'timestamp') return 'YYYY-MM-DDTHH:MM';
  if (column?.type === 'boolean') return 'true or false';
  return 'value';
}

/**
 * Rows of column · operator · value. Values are typed per column (numbers, dates, true/false,
 * lists for "is one of", two values for "between"); a value that does not fit says why.
 */
export function FilterEditor({
  columns,
  drafts,
  onChange,
  errors,
  idPrefix,
}: {
  columns: readonly TDatasetColumn[];
  drafts: TFilterDraft[];
  onChange: (drafts: TFilterDraft[]) => void;
  /** Shown once the user tried to apply. */
  errors: Record<number, string>;
  idPrefix: string;
}) {
  const columnOptions = columns.map((column) => ({ value: column.key, label: column.name }));
  function update(id: number, patch: Partial<TFilterDraft>) {
    onChange(drafts.map((draft) => (draft.id === id ? { ...draft, ...patch } : draft)));
  }
  return (
    <div className="flex flex-col gap-2" data-testid={`${idPrefix}-filters`}>
      {drafts.length === 0 ? <p className="text-sm text-fg-muted">No filters.</p> : null}
      <ul className="flex flex-col gap-2">
        {drafts.map((draft, index) => {
          const column = columns.find((candidate) => candidate.key === draft.column);
          const ops = opsFor(column);
          const needsValue = draft.op !== 'is_null' && draft.op !== 'not_null';
          const errorId = `${idPrefix}-filter-${draft.id}-error`;
          return (
            <li key={draft.id} className="flex flex-col gap-1" data-testid="filter-row">
              <div className="flex flex-wrap items-center gap-2">
                <NativeSelect
                  aria-label={`Filter ${index + 1} column`}
                  value={draft.column}
                  options={columnOptions}
                  className="w-40"
                  onChange={(event) => {
                    const next = columns.find((candidate) => candidate.key === event.currentTarget.value);
                    const allowed = opsFor(next);
                    update(draft.id, {
                      column: event.currentTarget.value,
                      op: allowed.includes(draft.op) ? draft.op : 'eq',
                    });
                  }}
                />
                <NativeSelect
                  aria-label={`Filter ${index + 1} operator`}
                  value={draft.op}
                  options={ops.map((op) => ({ value: op, label: FILTER_OP_LABELS[op] }))}
                  className="w-32"
                  onChange={(event) => update(draft.id, { op: event.currentTarget.value as TDatasetFilter['op'] })}
                />
                {needsValue ? (
                  <Input
                    aria-label={`Filter ${index + 1} value`}
                    aria-invalid={errors[draft.id] ? true : undefined}
                    aria-describedby={errors[draft.id] ? errorId : undefined}
                    placeholder={placeholderFor(draft.op, column)}
                    value={draft.text}
                    className="h-8 w-40 flex-1 px-2"
                    onChange={(event) => update(draft.id, { text: event.currentTarget.value })}
                  />
                ) : null}
                <Button
                  variant="ghost"
                  size="icon-sm"
                  aria-label={`Remove filter ${index + 1}`}
                  onClick={() => onChange(drafts.filter((other) => other.id !== draft.id))}
                >
                  <Trash2 aria-hidden />
                </Button>
              </div>
              {errors[draft.id] ? (
                <p id={errorId} role="alert" className="text-xs font-medium text-danger-text">
                  {errors[draft.id]}
                </p>
              ) : null}
            </li>
          );
        })}
      </ul>
      <div>
        <Button
          variant="outline"
          size="sm"
          disabled={columns.length === 0 || drafts.length >= 50}
          onClick={() =>
            onChange([...drafts, { id: nextDraftId++, column: columns[0]?.key ?? '', op: 'eq', text: '' }])
          }
        >
          <Plus aria-hidden /> Add filter
        </Button>
      </div>
    </div>
  );
}

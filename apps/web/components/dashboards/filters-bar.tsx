'use client';

import { useState } from 'react';
import { Filter, X } from 'lucide-react';
import type { TDatasetColumn } from '@elasticdash/contracts/datasets/dataset';
import type { TDatasetFilter } from '@elasticdash/contracts/datasets/query';
import { Button } from '@/components/ui/button';
import { Dialog, DialogClose, DialogContent, DialogFooter } from '@/components/ui/dialog';
import { FILTER_OP_LABELS, filterValueText } from '@/lib/datasets/panel-query';
import { draftsOf, FilterEditor, filtersOf, type TFilterDraft } from './filter-editor';

export function describeFilter(filter: TDatasetFilter, columns: readonly TDatasetColumn[]): string {
  const name = columns.find((column) => column.key === filter.column)?.name ?? filter.column;
  const value = filter.op === 'is_null' || filter.op === 'not_null' ? '' : ` ${filterValueText(filter.value)}`;
  return `${name} ${FILTER_OP_LABELS[filter.op]}${value}`;
}

/** Dashboard-wide filters, applied to every panel on top of its own: chips, and a dialog to edit them. */
export function FiltersBar({
  columns,
  filters,
  onChange,
}: {
  columns: readonly TDatasetColumn[];
  filters: readonly TDatasetFilter[];
  onChange: (filters: TDatasetFilter[]) => void;
}) {
  const [open, setOpen] = useState(false);
  const [drafts, setDrafts] = useState<TFilterDraft[]>([]);
  const [errors, setErrors] = useState<Record<number, string>>({});

  return (
    <div className="flex flex-wrap items-center gap-2" data-testid="dashboard-filters-bar">
      <Button
        variant="outline"
        size="sm"
        onClick={() => {
          setDrafts(draftsOf(filters));
          setErrors({});
          setOpen(true);
        }}
        data-testid="dashboard-filters-edit"
      >
        <Filter aria-hidden /> Filters{filters.length > 0 ? ` (${filters.length})` : ''}
      </Button>
      {filters.length === 0 ? <span className="text-sm text-fg-muted">All rows</span> : null}
      <ul className="flex flex-wrap items-center gap-2" aria-label="Dashboard filters">
        {filters.map((filter, index) => {
          const text = describeFilter(filter, columns);
          return (
            <li
              key={`${index}-${text}`}
              className="inline-flex items-center gap-1 rounded-full bg-accent-soft py-0.5 pr-1 pl-3 text-xs font-medium text-accent-text"
            >
              {text}
              <button
                type="button"
                className="rounded-full p-0.5 hover:bg-accent/20"
                aria-label={`Remove filter ${text}`}
                onClick={() => onChange(filters.filter((_, other) => other !== index))}
              >
                <X className="size-3" aria-hidden />
              </button>
            </li>
          );
        })}
      </ul>
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogContent
          title="Dashboard filters"
          description="Every panel shows only the rows that match all of these, on top of its own filters."
          className="max-w-2xl"
        >
          <form
            noValidate
            className="flex flex-col gap-4"
            onSubmit={(event) => {
              event.preventDefault();
              const result = filtersOf(drafts, columns);
              setErrors(result.errors);
              if (Object.keys(result.errors).length > 0) return;
              onChange(result.filters);
              setOpen(false);
            }}
          >
            <FilterEditor idPrefix="dashboard" columns={columns} drafts={drafts} errors={errors} onChange={setDrafts} />
            <DialogFooter>
              <DialogClose asChild>
                <Button variant="outline">Cancel</Button>
              </DialogClose>
              <Button type="submit" data-testid="dashboard-filters-apply">
                Apply filters
              </Button>
            </DialogFooter>
          </form>
        </DialogContent>
      </Dialog>
    </div>
  );
}

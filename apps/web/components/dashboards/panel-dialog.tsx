'use client';

import { useState } from 'react';
import { Check } from 'lucide-react';
import { PANEL_TYPES, ZPanel, type TPanel, type TPanelType } from '@elasticdash/contracts/datasets/dashboard';
import type { TDatasetColumn } from '@elasticdash/contracts/datasets/dataset';
import { AGGREGATES, TIME_GRAINS, type TPanelQuery } from '@elasticdash/contracts/datasets/query';
import { NativeSelect } from '@/components/data/native-select';
import { Button } from '@/components/ui/button';
import { Dialog, DialogClose, DialogContent, DialogFooter } from '@/components/ui/dialog';
import { Field, FormError } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { AGG_LABELS, isNumeric, isTime, PANEL_TYPE_LABELS } from '@/lib/datasets/panel-query';
import { draftsOf, FilterEditor, filtersOf, type TFilterDraft } from './filter-editor';

type TXKind = 'none' | 'time' | 'category';
type TAgg = (typeof AGGREGATES)[number];
type TGrain = (typeof TIME_GRAINS)[number];

interface TDraft {
  title: string;
  type: TPanelType;
  xKind: TXKind;
  xColumn: string;
  grain: TGrain;
  limit: string;
  agg: TAgg;
  yColumn: string;
  groupBy: string;
  groupLimit: string;
  filters: TFilterDraft[];
}

const GRAIN_LABELS: Record<TGrain, string> = {
  hour: 'Hour',
  day: 'Day',
  week: 'Week',
  month: 'Month',
  quarter: 'Quarter',
  year: 'Year',
};

function draftOf(panel: TPanel | null, columns: readonly TDatasetColumn[]): TDraft {
  const firstTime = columns.find(isTime);
  const firstText = columns.find((column) => column.type === 'text') ?? columns[0];
  const query = panel?.query;
  return {
    title: panel?.title ?? '',
    type: panel?.type ?? (firstTime ? 'line' : 'bar'),
    xKind: query ? (query.x?.kind ?? 'none') : firstTime ? 'time' : firstText ? 'category' : 'none',
    xColumn: query?.x?.column ?? firstTime?.key ?? firstText?.key ?? '',
    grain: query?.x?.kind === 'time' ? query.x.grain : 'day',
    limit: String(query?.x?.kind === 'category' ? query.x.limit : 20),
    agg: query?.y.agg ?? 'count',
    yColumn: query?.y.column ?? columns.find(isNumeric)?.key ?? '',
    groupBy: query?.groupBy?.column ?? '',
    groupLimit: String(query?.groupBy?.limit ?? 10),
    filters: draftsOf(query?.filters ?? []),
  };
}

type TErrors = Partial<Record<'title' | 'x' | 'y' | 'groupBy' | 'form', string>>;

function buildQuery(draft: TDraft, filters: TPanelQuery['filters']): TPanelQuery {
  const x: TPanelQuery['x'] =
    draft.type === 'number' || draft.xKind === 'none'
      ? null
      : draft.xKind === 'time'
        ? { kind: 'time', column: draft.xColumn, grain: draft.grain }
        : { kind: 'category', column: draft.xColumn, limit: Number(draft.limit) || 20 };
  return {
    x,
    y: draft.agg === 'count' ? { agg: 'count' } : { agg: draft.agg, column: draft.yColumn || undefined },
    groupBy:
      draft.groupBy && draft.type !== 'number' && draft.type !== 'pie'
        ? { column: draft.groupBy, limit: Number(draft.groupLimit) || 10 }
        : null,
    filters,
  };
}

/** Add or edit a panel: what to chart (x, measure, group by, filters) and how (type). */
export function PanelDialog({
  open,
  onOpenChange,
  panel,
  columns,
  onSubmit,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** null: a new panel. */
  panel: TPanel | null;
  columns: readonly TDatasetColumn[];
  onSubmit: (panel: Pick<TPanel, 'title' | 'type' | 'query'>) => void;
}) {
  const [draft, setDraft] = useState<TDraft>(() => draftOf(panel, columns));
  const [errors, setErrors] = useState<TErrors>({});
  const [filterErrors, setFilterErrors] = useState<Record<number, string>>({});
  const set = (patch: Partial<TDraft>) => setDraft((current) => ({ ...current, ...patch }));

  const timeColumns = columns.filter(isTime);
  const numericColumns = columns.filter(isNumeric);
  const measureColumns =
    draft.agg === 'min' || draft.agg === 'max' ? columns.filter((c) => isNumeric(c) || isTime(c)) : numericColumns;
  const xColumns = draft.xKind === 'time' ? timeColumns : columns;
  const options = (list: readonly TDatasetColumn[]) =>
    list.map((column) => ({ value: column.key, label: column.name }));
  const showX = draft.type !== 'number';
  const showGroup = draft.type !== 'number' && draft.type !== 'pie';

  function submit() {
    const next: TErrors = {};
    const { filters, errors: badFilters } = filtersOf(draft.filters, columns);
    setFilterErrors(badFilters);
    if ((draft.type === 'line' || draft.type === 'area') && draft.xKind === 'none') {
      next.x = 'A line or area chart needs an x axis.';
    }
    if (draft.type === 'pie' && draft.xKind !== 'category') next.x = 'A pie chart needs categories.';
    if (showX && draft.xKind !== 'none' && !xColumns.some((column) => column.key === draft.xColumn)) {
      next.x = draft.xKind === 'time' ? 'Choose a date or timestamp column.' : 'Choose a column.';
    }
    if (draft.agg !== 'count' && !measureColumns.some((column) => column.key === draft.yColumn)) {
      next.y = 'Pick a column to aggregate.';
    }
    const candidate = {
      id: panel?.id ?? crypto.randomUUID(),
      title: draft.title,
      type: draft.type,
      query: buildQuery(draft, filters),
      layout: panel?.layout ?? { x: 0, y: 0, w: 6, h: 8 },
    };
    const parsed = ZPanel.safeParse(candidate);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const [first, second] = issue.path.map(String);
        const key =
          first === 'title'
            ? 'title'
            : second === 'x'
              ? 'x'
              : second === 'y'
                ? 'y'
                : second === 'groupBy'
                  ? 'groupBy'
                  : 'form';
        next[key] ??= issue.message;
      }
    }
    setErrors(next);
    if (Object.keys(next).length > 0 || Object.keys(badFilters).length > 0 || !parsed.success) {
      const firstKey = Object.keys(next)[0];
      if (firstKey === 'title') document.getElementById('panel-title-input')?.focus();
      return;
    }
    onSubmit({ title: parsed.data.title, type: parsed.data.type, query: parsed.data.query });
  }

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent
        title={panel ? `Edit “${panel.title}”` : 'Add a panel'}
        description="Choose what to measure, along which axis, and how to draw it."
        className="max-w-2xl"
        data-testid="panel-dialog"
      >
        <form
          noValidate
          className="flex flex-col gap-4"
          onSubmit={(event) => {
            event.preventDefault();
            submit();
          }}
        >
          <div className="grid gap-4 sm:grid-cols-2">
            <div className="flex flex-col gap-1.5">
              <label htmlFor="panel-title-input" className="text-sm font-medium text-fg">
                Title
              </label>
              <Input
                id="panel-title-input"
                value={draft.title}
                maxLength={120}
                autoComplete="off"
                aria-invalid={errors.title ? true : undefined}
                aria-describedby={errors.title ? 'panel-title-error' : undefined}
                onChange={(event) => set({ title: event.currentTarget.value })}
                data-testid="panel-title-input"
              />
              {errors.title ? (
                <p id="panel-title-error" role="alert" className="text-xs font-medium text-danger-text">
                  {errors.title}
                </p>
              ) : null}
            </div>
            <Field label="Type" name="type">
              {(control) => (
                <NativeSelect
                  {...control}
                  compact={false}
                  value={draft.type}
                  data-testid="panel-type-select"
                  options={PANEL_TYPES.map((type) => ({ value: type, label: PANEL_TYPE_LABELS[type] }))}
                  onChange={(event) => {
                    const type = event.currentTarget.value as TPanelType;
                    const patch: Partial<TDraft> = { type };
                    if (type === 'pie' && draft.xKind !== 'category') {
                      patch.xKind = 'category';
                      patch.xColumn = columns.find((column) => column.type === 'text')?.key ?? columns[0]?.key ?? '';
                    }
                    set(patch);
                  }}
                />
              )}
            </Field>
          </div>

          {showX ? (
            <fieldset className="flex flex-col gap-2 rounded-md border border-border p-3">
              <legend className="px-1 text-sm font-medium text-fg">X axis</legend>
              <div className="grid gap-3 sm:grid-cols-3">
                <Field label="Kind" name="xKind">
                  {(control) => (
                    <NativeSelect
                      {...control}
                      compact={false}
                      value={draft.xKind}
                      data-testid="panel-x-kind"
                      options={[
                        { value: 'time', label: 'Time' },
                        { value: 'category', label: 'Category' },
                        { value: 'none', label: 'None (one value)' },
                      ]}
                      onChange={(event) => {
                        const xKind = event.currentTarget.value as TXKind;
                        const list = xKind === 'time' ? timeColumns : columns;
                        set({
                          xKind,
                          xColumn: list.some((column) => column.key === draft.xColumn)
                            ? draft.xColumn
                            : (list[0]?.key ?? ''),
                        });
                      }}
                    />
                  )}
                </Field>
                {draft.xKind !== 'none' ? (
                  <Field label="Column" name="xColumn" error={errors.x}>
                    {(control) => (
                      <NativeSelect
                        {...control}
                        compact={false}
                        value={draft.xColumn}
                        data-testid="panel-x-column"
                        options={[{ value: '', label: 'Choose…' }, ...options(xColumns)]}
                        onChange={(event) => set({ xColumn: event.currentTarget.value })}
                      />
                    )}
                  </Field>
                ) : errors.x ? (
                  <p role="alert" className="self-end text-xs font-medium text-danger-text sm:col-span-2">
                    {errors.x}
                  </p>
                ) : null}
                {draft.xKind === 'time' ? (
                  <Field label="Grain" name="grain">
                    {(control) => (
                      <NativeSelect
                        {...control}
                        compact={false}
                        value={draft.grain}
                        data-testid="panel-x-grain"
                        options={TIME_GRAINS.map((grain) => ({ value: grain, label: GRAIN_LABELS[grain] }))}
                        onChange={(event) => set({ grain: event.currentTarget.value as TGrain })}
                      />
                    )}
                  </Field>
                ) : draft.xKind === 'category' ? (
                  <Field label="Top categories" name="limit" hint="1 to 200, largest first">
                    {(control) => (
                      <Input
                        {...control}
                        type="number"
                        min={1}
                        max={200}
                        value={draft.limit}
                        onChange={(event) => set({ limit: event.currentTarget.value })}
                      />
                    )}
                  </Field>
                ) : null}
              </div>
            </fieldset>
          ) : null}

          <fieldset className="flex flex-col gap-2 rounded-md border border-border p-3">
            <legend className="px-1 text-sm font-medium text-fg">Measure</legend>
            <div className="grid gap-3 sm:grid-cols-2">
              <Field label="Aggregate" name="agg">
                {(control) => (
                  <NativeSelect
                    {...control}
                    compact={false}
                    value={draft.agg}
                    data-testid="panel-agg"
                    options={AGGREGATES.map((agg) => ({ value: agg, label: AGG_LABELS[agg] }))}
                    onChange={(event) => set({ agg: event.currentTarget.value as TAgg })}
                  />
                )}
              </Field>
              {draft.agg !== 'count' ? (
                <Field label="Of column" name="yColumn" error={errors.y}>
                  {(control) => (
                    <NativeSelect
                      {...control}
                      compact={false}
                      value={draft.yColumn}
                      data-testid="panel-y-column"
                      options={[{ value: '', label: 'Choose…' }, ...options(measureColumns)]}
                      onChange={(event) => set({ yColumn: event.currentTarget.value })}
                    />
                  )}
                </Field>
              ) : null}
            </div>
          </fieldset>

          {showGroup ? (
            <div className="grid gap-3 sm:grid-cols-2">
              <Field label="Group by (one series per value)" name="groupBy" error={errors.groupBy}>
                {(control) => (
                  <NativeSelect
                    {...control}
                    compact={false}
                    value={draft.groupBy}
                    data-testid="panel-group-by"
                    options={[
                      { value: '', label: 'No grouping' },
                      ...options(columns.filter((column) => column.type === 'text' || column.type === 'boolean')),
                    ]}
                    onChange={(event) => set({ groupBy: event.currentTarget.value })}
                  />
                )}
              </Field>
              {draft.groupBy ? (
                <Field label="Top groups" name="groupLimit" hint="1 to 50">
                  {(control) => (
                    <Input
                      {...control}
                      type="number"
                      min={1}
                      max={50}
                      value={draft.groupLimit}
                      onChange={(event) => set({ groupLimit: event.currentTarget.value })}
                    />
                  )}
                </Field>
              ) : null}
            </div>
          ) : null}

          <fieldset className="flex flex-col gap-2 rounded-md border border-border p-3">
            <legend className="px-1 text-sm font-medium text-fg">Panel filters</legend>
            <FilterEditor
              idPrefix="panel"
              columns={columns}
              drafts={draft.filters}
              errors={filterErrors}
              onChange={(filters) => set({ filters })}
            />
          </fieldset>

          <FormError message={errors.form} />
          <DialogFooter>
            <DialogClose asChild>
              <Button variant="outline">Cancel</Button>
            </DialogClose>
            <Button type="submit" data-testid="panel-submit">
              <Check aria-hidden /> {panel ? 'Apply' : 'Add panel'}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

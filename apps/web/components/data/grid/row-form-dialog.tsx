'use client';

import { useId, useMemo, useState, type FormEvent } from 'react';
import type { TCatalogColumn, TCatalogTable } from '@elasticdash/contracts/data/catalog';
import type { TRow } from '@elasticdash/contracts/data/rows';
import { Button } from '@/components/ui/button';
import { Dialog, DialogClose, DialogContent, DialogFooter } from '@/components/ui/dialog';
import { FormError } from '@/components/ui/field';
import { errorMessage } from '@/lib/api';
import { columnIssues } from '@/lib/data/api';
import { formatCell, parseEditorText, toEditorText } from '@/lib/data/cell-values';
import { columnWritable } from '@/lib/data/kinds';
import { FieldEditor } from './cell-editors';
import { CellContent } from './grid-cell';
import type { TWriteResult } from './use-row-writes';

interface FieldState {
  text: string;
  isNull: boolean;
}

function isSelect(column: TCatalogColumn): boolean {
  return column.kind === 'boolean' || (column.kind === 'enum' && (column.enumValues?.length ?? 0) > 0);
}

function initialField(column: TCatalogColumn, row: TRow | null): FieldState {
  if (!row) return { text: '', isNull: false };
  const value = row.values[column.name];
  if (value === null || value === undefined) return { text: '', isNull: true };
  return { text: isSelect(column) ? String(value) : toEditorText(value, column), isNull: false };
}

/**
 * The row detail form (edit every field of a row) and the add-row form (blank fields take the
 * column's default). A side panel: the grid stays visible behind it.
 */
export function RowFormDialog({
  state,
  table,
  canWrite,
  onClose,
  onSave,
  onInsert,
}: {
  state: { mode: 'edit'; row: TRow; index: number } | { mode: 'insert' } | null;
  table: TCatalogTable;
  canWrite: boolean;
  onClose: () => void;
  onSave: (row: TRow, changes: Record<string, unknown>) => Promise<TWriteResult>;
  onInsert: (values: Record<string, unknown>) => Promise<unknown>;
}) {
  const title =
    state?.mode === 'insert' ? `Add a row to ${table.name}` : state ? `Row ${state.index + 1} of ${table.name}` : '';
  return (
    <Dialog open={state !== null} onOpenChange={(open) => !open && onClose()}>
      <DialogContent
        title={title}
        description={
          state?.mode === 'insert'
            ? 'Leave a field blank to use its default. NULL stores no value.'
            : canWrite
              ? 'Change any fields, then save. Only changed fields are written.'
              : 'You can read this row but not change it.'
        }
        className="animate-fade-in top-0 right-0 left-auto h-dvh max-h-dvh w-full max-w-lg translate-x-0 translate-y-0 rounded-none sm:rounded-l-lg"
        data-testid="row-form"
      >
        {state ? (
          <RowForm
            key={state.mode === 'edit' ? `edit-${state.index}` : 'insert'}
            row={state.mode === 'edit' ? state.row : null}
            table={table}
            canWrite={canWrite}
            onDone={onClose}
            onSave={onSave}
            onInsert={onInsert}
          />
        ) : null}
      </DialogContent>
    </Dialog>
  );
}

function RowForm({
  row,
  table,
  canWrite,
  onDone,
  onSave,
  onInsert,
}: {
  row: TRow | null;
  table: TCatalogTable;
  canWrite: boolean;
  onDone: () => void;
  onSave: (row: TRow, changes: Record<string, unknown>) => Promise<TWriteResult>;
  onInsert: (values: Record<string, unknown>) => Promise<unknown>;
}) {
  const formId = useId();
  const inserting = row === null;
  const initial = useMemo(
    () => Object.fromEntries(table.columns.map((column) => [column.name, initialField(column, row)])),
    [table.columns, row],
  );
  const [fields, setFields] = useState<Record<string, FieldState>>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  /** While searching, hidden columns are not fetched: they are shown as such, never written. */
  const loaded = (column: TCatalogColumn) => row === null || column.name in row.values;
  const editable = (column: TCatalogColumn) => canWrite && columnWritable(table, column) && loaded(column);

  function setField(name: string, patch: Partial<FieldState>) {
    setFields((current) => ({ ...current, [name]: { ...(current[name] ?? { text: '', isNull: false }), ...patch } }));
    setErrors((current) => {
      if (!(name in current)) return current;
      const { [name]: _removed, ...rest } = current;
      return rest;
    });
  }

  function collect(): { values: Record<string, unknown>; errors: Record<string, string> } {
    const values: Record<string, unknown> = {};
    const found: Record<string, string> = {};
    for (const column of table.columns) {
      if (!editable(column)) continue;
      const field = fields[column.name];
      const start = initial[column.name];
      if (!field || !start) continue;
      if (inserting) {
        if (field.isNull) values[column.name] = null;
        else if (field.text !== '') {
          const parsed = parseEditorText(field.text, column);
          if (parsed.ok) values[column.name] = parsed.value;
          else found[column.name] = parsed.error;
        }
        continue;
      }
      const changed = field.isNull !== start.isNull || (!field.isNull && field.text !== start.text);
      if (!changed) continue;
      if (field.isNull) {
        values[column.name] = null;
        continue;
      }
      const parsed = parseEditorText(field.text, column, row?.values[column.name]);
      if (parsed.ok) values[column.name] = parsed.value;
      else found[column.name] = parsed.error;
    }
    return { values, errors: found };
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const { values, errors: found } = collect();
    setErrors(found);
    setFormError(null);
    if (Object.keys(found).length > 0) {
      document.getElementById(`${formId}-${Object.keys(found)[0]}`)?.focus();
      return;
    }
    if (!inserting && Object.keys(values).length === 0) {
      onDone();
      return;
    }
    setSaving(true);
    try {
      if (inserting) {
        await onInsert(values);
        onDone();
        return;
      }
      if (!row) return;
      const result = await onSave(row, values);
      if (result.ok || result.conflict) {
        onDone();
        return;
      }
      const byColumn = columnIssues(result.error);
      if (Object.keys(byColumn).length > 0) setErrors(byColumn);
      else setFormError(errorMessage(result.error));
    } catch (error) {
      const byColumn = columnIssues(error);
      if (Object.keys(byColumn).length > 0) setErrors(byColumn);
      setFormError(errorMessage(error));
    } finally {
      setSaving(false);
    }
  }

  const canSubmit = canWrite && table.columns.some(editable);

  return (
    <form noValidate onSubmit={(event) => void onSubmit(event)} className="flex min-h-0 flex-1 flex-col gap-4">
      <FormError message={formError} />
      <div className="-mx-1 flex flex-col gap-4 overflow-y-auto px-1">
        {table.columns.map((column) => {
          const field = fields[column.name] ?? { text: '', isNull: false };
          const id = `${formId}-${column.name}`;
          const error = errors[column.name];
          const writable = editable(column);
          const hint = inserting
            ? column.isGenerated
              ? 'Computed by the database'
              : column.defaultExpression
                ? `Default: ${column.defaultExpression}`
                : column.nullable
                  ? 'Blank: NULL'
                  : undefined
            : undefined;
          return (
            <div key={column.name} className="flex flex-col gap-1.5" data-testid="row-field" data-column={column.name}>
              <div className="flex items-center justify-between gap-2">
                <label htmlFor={id} className="min-w-0 truncate text-sm font-medium text-fg">
                  {column.name}{' '}
                  <span className="font-mono text-xs font-normal text-fg-muted">
                    {column.dataType}
                    {column.primaryKeyPosition !== null ? ' · key' : ''}
                    {!column.nullable ? ' · required' : ''}
                  </span>
                </label>
                {writable && column.nullable ? (
                  <label className="flex shrink-0 items-center gap-1 text-xs text-fg-muted">
                    <input
                      type="checkbox"
                      className="accent-[var(--accent)]"
                      checked={field.isNull}
                      onChange={(event) => setField(column.name, { isNull: event.target.checked })}
                      aria-label={`${column.name} is NULL`}
                    />
                    NULL
                  </label>
                ) : null}
              </div>
              {!writable ? (
                <div
                  id={id}
                  className="flex min-h-9 items-center rounded-md border border-border bg-muted px-3 text-sm text-fg"
                  aria-readonly
                >
                  {row && !loaded(column) ? (
                    <span className="text-fg-muted">Not loaded (hidden column)</span>
                  ) : row ? (
                    <CellContent column={column} value={row.values[column.name]} label={row.labels[column.name]} />
                  ) : (
                    <span className="text-fg-muted">{column.isGenerated ? 'Computed' : 'Default'}</span>
                  )}
                </div>
              ) : field.isNull ? (
                <div
                  id={id}
                  className="flex h-9 items-center rounded-md border border-dashed border-border-strong/60 px-3 text-sm text-fg-muted italic"
                >
                  NULL
                </div>
              ) : (
                <FieldEditor
                  id={id}
                  column={column}
                  text={field.text}
                  onText={(text) => setField(column.name, { text })}
                  blankLabel={inserting ? '(default)' : undefined}
                  invalid={Boolean(error)}
                  describedBy={error ? `${id}-error` : hint ? `${id}-hint` : undefined}
                />
              )}
              {column.foreignKey && row && row.labels[column.name] ? (
                <p className="text-xs text-fg-muted">
                  → {column.foreignKey.table}: {row.labels[column.name]} (
                  {formatCell(row.values[column.name], column.kind)})
                </p>
              ) : null}
              {error ? (
                <p id={`${id}-error`} role="alert" className="text-xs font-medium text-danger-text">
                  {error}
                </p>
              ) : hint ? (
                <p id={`${id}-hint`} className="text-xs text-fg-muted">
                  {hint}
                </p>
              ) : null}
            </div>
          );
        })}
      </div>
      <DialogFooter className="mt-auto border-t border-border pt-4">
        <DialogClose asChild>
          <Button variant="outline">{canSubmit ? 'Cancel' : 'Close'}</Button>
        </DialogClose>
        {canSubmit ? (
          <Button type="submit" loading={saving}>
            {inserting ? 'Add row' : 'Save row'}
          </Button>
        ) : null}
      </DialogFooter>
    </form>
  );
}

'use client';

import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { TCatalogColumn } from '@elasticdash/contracts/data/catalog';
import { inputClasses } from '@/components/ui/input';
import { cn } from '@/lib/cn';
import { inputTypeFor, isJsonEditor, parseEditorText, toEditorText } from '@/lib/data/cell-values';

/** How an inline edit ended: the grid moves the active cell accordingly. */
export type TEditEnd = 'enter' | 'tab' | 'shift-tab' | 'blur' | 'escape';

const NULL_OPTION = '\u0000null';

function isSelectKind(column: TCatalogColumn): boolean {
  return column.kind === 'boolean' || (column.kind === 'enum' && (column.enumValues?.length ?? 0) > 0);
}

function selectOptions(column: TCatalogColumn, blank?: string): { value: string; label: string }[] {
  const options =
    column.kind === 'boolean'
      ? [
          { value: 'true', label: 'true' },
          { value: 'false', label: 'false' },
        ]
      : (column.enumValues ?? []).map((value) => ({ value, label: value }));
  if (blank !== undefined) options.unshift({ value: '', label: blank });
  return options;
}

/**
 * The editor inside a grid cell, chosen by the column's kind: select for booleans and enums,
 * date/datetime/time inputs, a JSON textarea (validated) for json and arrays, text otherwise.
 * Enter commits, Shift+Enter adds a line in JSON, Esc cancels, Tab commits and moves right;
 * nullable columns get a NULL button.
 */
export function InlineCellEditor({
  column,
  value,
  initialText,
  label,
  onCommit,
  onCancel,
}: {
  column: TCatalogColumn;
  value: unknown;
  /** Typed character that opened the editor (replaces the content). */
  initialText?: string | undefined;
  label: string;
  onCommit: (value: unknown, end: TEditEnd) => void;
  onCancel: (end: TEditEnd) => void;
}) {
  const startText = isSelectKind(column)
    ? value === null || value === undefined
      ? column.nullable
        ? NULL_OPTION
        : ''
      : String(value)
    : toEditorText(value, column);
  const [text, setText] = useState(initialText ?? startText);
  const [error, setError] = useState<string | null>(null);
  const done = useRef(false);
  const control = useRef<HTMLElement | null>(null);
  const json = isJsonEditor(column.kind);

  useEffect(() => {
    const element = control.current;
    if (!element) return;
    element.focus({ preventScroll: true });
    if (element instanceof HTMLInputElement && element.type === 'text') {
      if (initialText !== undefined) element.setSelectionRange(element.value.length, element.value.length);
      else element.select();
    }
  }, [initialText]);

  function finish(end: TEditEnd) {
    if (done.current) return;
    if (end === 'escape') {
      done.current = true;
      onCancel(end);
      return;
    }
    if (text === startText) {
      done.current = true;
      onCancel(end);
      return;
    }
    if (text === NULL_OPTION) {
      done.current = true;
      onCommit(null, end);
      return;
    }
    const parsed = parseEditorText(text, column, value);
    if (!parsed.ok) {
      if (end === 'blur') {
        done.current = true;
        onCancel(end);
        return;
      }
      setError(parsed.error);
      return;
    }
    done.current = true;
    onCommit(parsed.value, end);
  }

  function setNull() {
    if (done.current) return;
    done.current = true;
    if (value === null) onCancel('enter');
    else onCommit(null, 'enter');
  }

  function onKeyDown(event: KeyboardEvent) {
    event.stopPropagation();
    if (event.key === 'Escape') {
      event.preventDefault();
      finish('escape');
    } else if (event.key === 'Enter' && !(json && event.shiftKey)) {
      event.preventDefault();
      finish('enter');
    } else if (event.key === 'Tab') {
      event.preventDefault();
      finish(event.shiftKey ? 'shift-tab' : 'tab');
    }
  }

  const common = {
    'aria-label': label,
    'aria-invalid': error ? true : undefined,
    onKeyDown,
    onBlur: () => finish('blur'),
  };

  let editor;
  if (isSelectKind(column)) {
    const options = selectOptions(column);
    if (column.nullable) options.push({ value: NULL_OPTION, label: 'NULL' });
    editor = (
      <select
        ref={(element) => {
          control.current = element;
        }}
        {...common}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          setError(null);
        }}
        className="h-full w-full bg-surface px-2 text-sm text-fg outline-none"
      >
        {!column.nullable && text === '' ? <option value="">Choose…</option> : null}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    );
  } else if (json) {
    editor = (
      <textarea
        ref={(element) => {
          control.current = element;
        }}
        {...common}
        value={text}
        spellCheck={false}
        onChange={(event) => {
          setText(event.target.value);
          setError(null);
        }}
        className="h-40 w-full resize bg-surface p-2 font-mono text-xs text-fg outline-none"
      />
    );
  } else {
    const type = inputTypeFor(column.kind, text);
    editor = (
      <input
        ref={(element) => {
          control.current = element;
        }}
        {...common}
        type={type}
        step={type === 'datetime-local' || type === 'time' ? 1 : undefined}
        inputMode={
          column.kind === 'integer' || column.kind === 'bigint'
            ? 'numeric'
            : column.kind === 'numeric' || column.kind === 'float'
              ? 'decimal'
              : undefined
        }
        spellCheck={false}
        autoComplete="off"
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          setError(null);
        }}
        className="h-full w-full min-w-0 bg-surface px-2 text-sm text-fg outline-none"
      />
    );
  }

  return (
    <div
      className={cn(
        'absolute top-0 left-0 z-30 flex border-2 border-accent bg-surface shadow-lg',
        json ? 'w-[max(100%,22rem)] flex-col' : 'h-full w-full min-w-40 items-stretch',
      )}
      data-testid="cell-editor"
    >
      {editor}
      {column.nullable && !isSelectKind(column) ? (
        <button
          type="button"
          tabIndex={-1}
          onMouseDown={(event) => event.preventDefault()}
          onClick={setNull}
          className="shrink-0 border-l border-border px-2 font-mono text-[11px] text-fg-muted hover:bg-muted hover:text-fg"
          title="Set to NULL"
        >
          NULL
        </button>
      ) : null}
      {json ? (
        <p className="border-t border-border px-2 py-1 text-[11px] text-fg-muted">
          Enter saves · Shift+Enter new line · Esc cancels
        </p>
      ) : null}
      {error ? (
        <p
          role="alert"
          className="absolute top-full left-0 z-40 mt-1 max-w-80 rounded bg-danger px-2 py-1 text-xs text-danger-fg shadow"
        >
          {error}
        </p>
      ) : null}
    </div>
  );
}

/**
 * A form control for one column (row detail and add-row forms): the same kinds as the inline
 * editor, as a labelled field. `text` is editor text (see toEditorText).
 */
export function FieldEditor({
  id,
  column,
  text,
  onText,
  disabled,
  blankLabel,
  invalid,
  describedBy,
}: {
  id: string;
  column: TCatalogColumn;
  text: string;
  onText: (text: string) => void;
  disabled?: boolean;
  /** Offer an empty choice in selects (e.g. "(default)"). */
  blankLabel?: string | undefined;
  invalid?: boolean;
  describedBy?: string | undefined;
}) {
  const aria = { id, 'aria-invalid': invalid || undefined, 'aria-describedby': describedBy, disabled };
  if (isSelectKind(column)) {
    const options = selectOptions(column, blankLabel ?? (text === '' ? 'Choose…' : undefined));
    return (
      <select
        {...aria}
        value={text}
        onChange={(event) => onText(event.target.value)}
        className={cn(inputClasses, 'h-9 cursor-pointer')}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    );
  }
  if (isJsonEditor(column.kind) || (column.kind === 'text' && text.length > 80) || text.includes('\n')) {
    return (
      <textarea
        {...aria}
        rows={isJsonEditor(column.kind) ? 5 : 3}
        spellCheck={!isJsonEditor(column.kind)}
        value={text}
        onChange={(event) => onText(event.target.value)}
        className={cn(inputClasses, 'h-auto py-2', isJsonEditor(column.kind) && 'font-mono text-xs')}
      />
    );
  }
  const type = inputTypeFor(column.kind, text);
  return (
    <input
      {...aria}
      type={type}
      step={type === 'datetime-local' || type === 'time' ? 1 : undefined}
      autoComplete="off"
      spellCheck={false}
      value={text}
      onChange={(event) => onText(event.target.value)}
      className={cn(inputClasses, 'h-9', (column.kind === 'uuid' || column.kind === 'bytea') && 'font-mono text-xs')}
    />
  );
}

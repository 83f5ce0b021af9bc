'use client';

import type { TCatalogColumn } from '@elasticdash/contracts/data/catalog';
import type { TFilterCondition } from '@elasticdash/contracts/data/rows';
import { Input } from '@/components/ui/input';
import { cn } from '@/lib/cn';
import { IN_LAST_UNITS, valueShape, type TInLastUnit } from '@/lib/data/filter-tree';
import { isNumericKind } from '@/lib/data/kinds';
import { NativeSelect } from '../native-select';

function inputType(column: TCatalogColumn): string {
  switch (column.kind) {
    case 'date':
      return 'date';
    case 'timestamp':
    case 'timestamptz':
      return 'datetime-local';
    case 'time':
      return 'time';
    default:
      return 'text';
  }
}

function textOf(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

/** One value typed for the column's kind: number, date/datetime/time, boolean or enum select, text. */
function SingleValue({
  column,
  value,
  onChange,
  label,
  className,
}: {
  column: TCatalogColumn;
  value: unknown;
  onChange: (value: string) => void;
  label: string;
  className?: string;
}) {
  if (column.kind === 'boolean') {
    return (
      <NativeSelect
        aria-label={label}
        className={cn('w-28', className)}
        value={textOf(value) || 'true'}
        onChange={(event) => onChange(event.target.value)}
        options={[
          { value: 'true', label: 'true' },
          { value: 'false', label: 'false' },
        ]}
      />
    );
  }
  if (column.kind === 'enum' && column.enumValues?.length) {
    return (
      <NativeSelect
        aria-label={label}
        className={cn('w-40', className)}
        value={textOf(value)}
        onChange={(event) => onChange(event.target.value)}
        options={[
          { value: '', label: 'Choose…' },
          ...column.enumValues.map((option) => ({ value: option, label: option })),
        ]}
      />
    );
  }
  const type = inputType(column);
  return (
    <Input
      aria-label={label}
      type={type}
      step={type === 'datetime-local' || type === 'time' ? 1 : undefined}
      inputMode={isNumericKind(column.kind) ? 'decimal' : undefined}
      placeholder={isNumericKind(column.kind) ? '0' : column.kind === 'uuid' ? 'UUID' : 'value'}
      className={cn('h-8 w-44 text-sm', className)}
      value={textOf(value)}
      onChange={(event) => onChange(event.target.value)}
    />
  );
}

/** The value part of a filter row, shaped by the operator (none, one, two, a list, amount + unit). */
export function FilterValueInput({
  column,
  condition,
  onChange,
}: {
  column: TCatalogColumn;
  condition: TFilterCondition;
  onChange: (patch: Partial<Pick<TFilterCondition, 'value' | 'unit'>>) => void;
}) {
  const shape = valueShape(condition.op);
  const label = `Value for ${column.name}`;
  switch (shape) {
    case 'none':
      return null;
    case 'single':
      return (
        <SingleValue column={column} value={condition.value} onChange={(value) => onChange({ value })} label={label} />
      );
    case 'pair': {
      const [from, to] = Array.isArray(condition.value) ? (condition.value as unknown[]) : ['', ''];
      return (
        <span className="flex flex-wrap items-center gap-1">
          <SingleValue
            column={column}
            value={from}
            label={`From (${column.name})`}
            onChange={(value) => onChange({ value: [value, textOf(to)] })}
          />
          <span className="text-xs text-fg-muted">and</span>
          <SingleValue
            column={column}
            value={to}
            label={`To (${column.name})`}
            onChange={(value) => onChange({ value: [textOf(from), value] })}
          />
        </span>
      );
    }
    case 'list': {
      const list = Array.isArray(condition.value) ? (condition.value as unknown[]).map(textOf) : [];
      if ((column.kind === 'enum' && column.enumValues?.length) || column.kind === 'boolean') {
        const options = column.kind === 'boolean' ? ['true', 'false'] : (column.enumValues ?? []);
        return (
          <fieldset className="flex max-h-28 max-w-72 flex-wrap gap-x-3 gap-y-1 overflow-y-auto rounded-md border border-border px-2 py-1">
            <legend className="sr-only">{label}</legend>
            {options.map((option) => (
              <label key={option} className="flex items-center gap-1 text-sm">
                <input
                  type="checkbox"
                  className="accent-[var(--accent)]"
                  checked={list.includes(option)}
                  onChange={(event) =>
                    onChange({
                      value: event.target.checked ? [...list, option] : list.filter((item) => item !== option),
                    })
                  }
                />
                {option}
              </label>
            ))}
          </fieldset>
        );
      }
      return (
        <Input
          aria-label={`${label} (comma-separated)`}
          placeholder="a, b, c"
          className="h-8 w-56 text-sm"
          value={list.join(', ')}
          onChange={(event) =>
            onChange({
              value: event.target.value
                .split(',')
                .map((item, index, all) => (index < all.length - 1 ? item.trim() : item.trimStart())),
            })
          }
        />
      );
    }
    case 'amount':
      return (
        <span className="flex items-center gap-1">
          <Input
            aria-label={`How many (${column.name})`}
            inputMode="numeric"
            className="h-8 w-20 text-sm"
            value={textOf(condition.value)}
            onChange={(event) => onChange({ value: event.target.value })}
          />
          <NativeSelect
            aria-label={`Unit (${column.name})`}
            className="w-28"
            value={condition.unit ?? 'day'}
            onChange={(event) => onChange({ unit: event.target.value as TInLastUnit })}
            options={IN_LAST_UNITS.map((unit) => ({ value: unit, label: `${unit}s` }))}
          />
        </span>
      );
  }
}

'use client';

import type { ComponentPropsWithoutRef, ReactNode } from 'react';
import * as SelectPrimitive from '@radix-ui/react-select';
import { Check, ChevronDown } from 'lucide-react';
import { cn } from '@/lib/cn';
import { inputClasses } from './input';

export interface SelectOption {
  value: string;
  label: ReactNode;
  description?: ReactNode;
}

interface SelectProps extends Omit<ComponentPropsWithoutRef<typeof SelectPrimitive.Root>, 'children'> {
  options: readonly SelectOption[];
  placeholder?: string;
  id?: string;
  className?: string;
  'aria-label'?: string;
  'aria-invalid'?: boolean | undefined;
  'aria-describedby'?: string | undefined;
  /** Marks the trigger so form validation can focus it. */
  'data-field'?: string;
  size?: 'sm' | 'md';
}

/**
 * Radix Select with our styles. With `name`, Radix renders a hidden native <select>, so the
 * value is part of FormData like any input.
 */
export function Select({
  options,
  placeholder,
  id,
  className,
  size = 'md',
  'aria-label': ariaLabel,
  'aria-invalid': ariaInvalid,
  'aria-describedby': ariaDescribedBy,
  'data-field': dataField,
  ...root
}: SelectProps) {
  return (
    <SelectPrimitive.Root {...root}>
      <SelectPrimitive.Trigger
        id={id}
        aria-label={ariaLabel}
        aria-invalid={ariaInvalid}
        aria-describedby={ariaDescribedBy}
        data-field={dataField}
        className={cn(
          inputClasses,
          'items-center justify-between gap-2 text-left data-[placeholder]:text-fg-muted',
          size === 'sm' && 'h-8 px-2 text-sm',
          className,
        )}
      >
        <SelectPrimitive.Value placeholder={placeholder} />
        <SelectPrimitive.Icon>
          <ChevronDown className="size-4 text-fg-muted" aria-hidden />
        </SelectPrimitive.Icon>
      </SelectPrimitive.Trigger>
      <SelectPrimitive.Portal>
        <SelectPrimitive.Content
          position="popper"
          sideOffset={4}
          className="animate-fade-in z-50 max-h-[var(--radix-select-content-available-height)] min-w-[var(--radix-select-trigger-width)] overflow-hidden rounded-md border border-border bg-surface shadow-lg"
        >
          <SelectPrimitive.Viewport className="p-1">
            {options.map((option) => (
              <SelectPrimitive.Item
                key={option.value}
                value={option.value}
                className="relative flex cursor-default items-start rounded-sm py-2 pr-3 pl-8 text-sm text-fg outline-none select-none data-[disabled]:opacity-50 data-[highlighted]:bg-muted"
              >
                <span className="absolute top-2.5 left-2 flex size-4 items-center justify-center">
                  <SelectPrimitive.ItemIndicator>
                    <Check className="size-4 text-accent-text" aria-hidden />
                  </SelectPrimitive.ItemIndicator>
                </span>
                <div className="flex flex-col">
                  <SelectPrimitive.ItemText>{option.label}</SelectPrimitive.ItemText>
                  {option.description ? <span className="text-xs text-fg-muted">{option.description}</span> : null}
                </div>
              </SelectPrimitive.Item>
            ))}
          </SelectPrimitive.Viewport>
        </SelectPrimitive.Content>
      </SelectPrimitive.Portal>
    </SelectPrimitive.Root>
  );
}

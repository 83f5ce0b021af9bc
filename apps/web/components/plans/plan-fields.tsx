'use client';

import { useId, useState, type InputHTMLAttributes, type ReactNode } from 'react';
import { AlertTriangle } from 'lucide-react';
import { cn } from '@/lib/cn';
import { numberInputValue, parseNumberInput } from '@/lib/plans/document';
import type { TMessages } from '@/lib/plans/issues';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';

export interface TControlProps {
  id: string;
  'aria-invalid': boolean | undefined;
  'aria-describedby': string | undefined;
}

/** Errors (red) and warnings (amber) of one field or item, tied to its control by id. */
export function FieldMessages({ id, messages }: { id: string; messages: TMessages }) {
  if (messages.errors.length === 0 && messages.warnings.length === 0) return null;
  return (
    <ul id={id} className="flex flex-col gap-0.5">
      {messages.errors.map((message) => (
        <li key={`e:${message}`} className="text-xs font-medium text-danger-text" data-testid="field-error">
          {message}
        </li>
      ))}
      {messages.warnings.map((message) => (
        <li key={`w:${message}`} className="flex gap-1 text-xs text-warning-text" data-testid="field-warning">
          <AlertTriangle className="mt-0.5 size-3 shrink-0" aria-hidden />
          <span>{message}</span>
        </li>
      ))}
    </ul>
  );
}

/**
 * Label + control + hint + the validator's messages for the field. `name` is the field's path in
 * the component (`storage.sizeGiB`): tests and "jump to error" find fields by it.
 */
export function PlanField({
  label,
  name,
  messages,
  hint,
  className,
  children,
}: {
  label: ReactNode;
  name: string;
  messages: TMessages;
  hint?: ReactNode;
  className?: string;
  children: (control: TControlProps) => ReactNode;
}) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const messagesId = messages.errors.length + messages.warnings.length > 0 ? `${id}-messages` : undefined;
  const describedBy = [messagesId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div
      className={cn('flex min-w-0 flex-col gap-1.5', className)}
      data-field={name}
      data-invalid={messages.errors.length > 0 || undefined}
    >
      <Label htmlFor={id}>{label}</Label>
      {children({ id, 'aria-invalid': messages.errors.length > 0 || undefined, 'aria-describedby': describedBy })}
      {messagesId ? <FieldMessages id={messagesId} messages={messages} /> : null}
      {hint ? (
        <p id={hintId} className="text-xs text-fg-muted">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

/**
 * A number box that keeps what is typed (a half-typed "1." or a blank) while the document gets
 * the parsed number: blank or not-a-number is NaN, which the validator reports on the field.
 * Optional fields get `undefined` for a blank box instead.
 */
export function NumberInput({
  value,
  onValueChange,
  optional = false,
  ...props
}: Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'type'> & {
  value: number | undefined;
  onValueChange: (value: number | undefined) => void;
  optional?: boolean;
}) {
  const [text, setText] = useState(numberInputValue(value));
  const [shown, setShown] = useState(value);
  // The document changed from elsewhere (instance type, load theirs, restore): show its value.
  if (!Object.is(shown, value)) {
    setShown(value);
    const typed = text.trim() === '' && optional ? undefined : parseNumberInput(text);
    if (!Object.is(typed, value)) setText(numberInputValue(value));
  }
  return (
    <Input
      {...props}
      inputMode="decimal"
      autoComplete="off"
      value={text}
      onChange={(event) => {
        const next = event.currentTarget.value;
        setText(next);
        const parsed = next.trim() === '' && optional ? undefined : parseNumberInput(next);
        setShown(parsed);
        onValueChange(parsed);
      }}
    />
  );
}

export function Section({
  title,
  children,
  messages,
  id,
}: {
  title: string;
  children: ReactNode;
  /** Messages about the section as a whole (e.g. "no instance type can hold this size"). */
  messages?: TMessages;
  id?: string;
}) {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className="flex flex-col gap-3 border-t border-border pt-4" id={id}>
      <h3 id={headingId} className="text-sm font-semibold text-fg">
        {title}
      </h3>
      {messages ? <FieldMessages id={`${headingId}-messages`} messages={messages} /> : null}
      {children}
    </section>
  );
}

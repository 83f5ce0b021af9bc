'use client';

import { useCallback, useState, type FormEvent } from 'react';
import type { z } from 'zod';
import { ApiError, errorMessage } from './api';

export type TFieldErrors = Record<string, string>;

function issuesToErrors(issues: readonly { path: readonly PropertyKey[] | string; message: string }[]): TFieldErrors {
  const errors: TFieldErrors = {};
  for (const issue of issues) {
    const key = typeof issue.path === 'string' ? issue.path : issue.path.map(String).join('.') || '(root)';
    errors[key] ??= issue.message;
  }
  return errors;
}

function focusFirstInvalid(form: HTMLFormElement, errors: TFieldErrors) {
  for (const element of Array.from(form.elements)) {
    const name = element.getAttribute('name');
    if (name && errors[name] && element instanceof HTMLElement) {
      // Radix Select keeps a hidden native <select>; focus its visible trigger instead.
      const target =
        element.getAttribute('aria-hidden') === 'true' ? form.querySelector(`[data-field="${name}"]`) : element;
      (target instanceof HTMLElement ? target : element).focus();
      return;
    }
  }
}

/**
 * Form state for a zod schema from @elasticdash/contracts: the browser validates with the very
 * schema the service uses, and server-side issues (`details.issues`) land on the same fields.
 * Inputs stay uncontrolled; values are read from FormData on submit.
 */
export function useZodForm<S extends z.ZodType>(schema: S, fieldNames: readonly string[]) {
  const [errors, setErrors] = useState<TFieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);

  const handleSubmit = useCallback(
    (onValid: (data: z.output<S>, form: HTMLFormElement) => void) => (event: FormEvent<HTMLFormElement>) => {
      event.preventDefault();
      const form = event.currentTarget;
      const values: Record<string, unknown> = {};
      new FormData(form).forEach((value, key) => {
        if (typeof value === 'string') values[key] = value;
      });
      const parsed = schema.safeParse(values);
      if (!parsed.success) {
        const next = issuesToErrors(parsed.error.issues);
        setErrors(next);
        setFormError(null);
        focusFirstInvalid(form, next);
        return;
      }
      setErrors({});
      setFormError(null);
      onValid(parsed.data, form);
    },
    [schema],
  );

  /** Puts a server error on its fields when it names them, otherwise on the form. */
  const applyServerError = useCallback(
    (error: unknown) => {
      if (error instanceof ApiError && error.issues.length > 0) {
        const byField = issuesToErrors(error.issues);
        const known = Object.fromEntries(Object.entries(byField).filter(([key]) => fieldNames.includes(key)));
        setErrors(known);
        const unknown = Object.entries(byField).filter(([key]) => !fieldNames.includes(key));
        setFormError(Object.keys(known).length === 0 ? error.message : (unknown[0]?.[1] ?? null));
        return;
      }
      setFormError(errorMessage(error));
    },
    [fieldNames],
  );

  const clearFieldError = useCallback((name: string) => {
    setErrors((current) => {
      if (!(name in current)) return current;
      const { [name]: _removed, ...rest } = current;
      return rest;
    });
  }, []);

  const reset = useCallback(() => {
    setErrors({});
    setFormError(null);
  }, []);

  return { errors, formError, setFormError, handleSubmit, applyServerError, clearFieldError, reset };
}

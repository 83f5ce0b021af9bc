import { validationFailed } from '@elasticdash/service-kit/errors';

/** A 400 naming the offending field path, e.g. `filter.children.2.column: unknown column "x"`. */
export function invalid(path: string, message: string) {
  return validationFailed([{ path, message }], `${path}: ${message}`);
}

/** JSON-ish rendering of a user value for an error message, cut to a readable length. */
export function show(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

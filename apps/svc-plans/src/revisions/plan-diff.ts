import type { TPlanChange } from '@elasticdash/contracts/plans/plan';

/**
 * Structural diff of two cs-json documents, as a list of changes at dotted paths.
 *
 * - Objects are compared key by key (key order never matters: jsonb does not keep it).
 * - Arrays whose elements are all objects with a unique string `id` (the `components` array)
 *   are matched by `id`, not by index: reordering them is no change, and a component that
 *   exists on both sides is diffed field by field. Its path uses its index in the `to`
 *   document (in the `from` document for a removed one), like validation issue paths.
 * - Every other array (CIDR lists, …) is one value: any difference is one `changed`.
 * - `position` is one value too, so moving a node on the canvas is one change, not two.
 */

/** Keys whose value is compared as a whole. */
const ATOMIC_KEYS: ReadonlySet<string> = new Set(['position']);

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep equality of JSON values; object key order is ignored, array order is not. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, index) => jsonEqual(item, b[index]));
  }
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const keys = Object.keys(a).filter((key) => a[key] !== undefined);
    const otherKeys = Object.keys(b).filter((key) => b[key] !== undefined);
    return keys.length === otherKeys.length && keys.every((key) => Object.hasOwn(b, key) && jsonEqual(a[key], b[key]));
  }
  return false;
}

/** The id of an element of an id-keyed array, or undefined when it has none. */
function idOf(value: unknown): string | undefined {
  return isObject(value) && typeof value.id === 'string' ? value.id : undefined;
}

/** True when every element is an object with a string `id` and no id repeats (an empty array qualifies). */
function isIdKeyed(items: unknown[]): boolean {
  const seen = new Set<string>();
  for (const item of items) {
    const id = idOf(item);
    if (id === undefined || seen.has(id)) return false;
    seen.add(id);
  }
  return true;
}

function pathOf(segments: readonly (string | number)[]): string {
  return segments.length === 0 ? '(root)' : segments.join('.');
}

function diffValue(segments: (string | number)[], before: unknown, after: unknown, out: TPlanChange[]): void {
  if (jsonEqual(before, after)) return;
  const key = segments[segments.length - 1];
  const atomic = typeof key === 'string' && ATOMIC_KEYS.has(key);
  if (!atomic && isObject(before) && isObject(after)) {
    diffObjects(segments, before, after, out);
  } else if (!atomic && Array.isArray(before) && Array.isArray(after) && isIdKeyed(before) && isIdKeyed(after)) {
    diffById(segments, before, after, out);
  } else {
    out.push({ path: pathOf(segments), kind: 'changed', before, after });
  }
}

function diffObjects(segments: (string | number)[], before: JsonObject, after: JsonObject, out: TPlanChange[]): void {
  for (const [key, value] of Object.entries(before)) {
    if (value === undefined) continue;
    if (Object.hasOwn(after, key) && after[key] !== undefined) {
      diffValue([...segments, key], value, after[key], out);
    } else {
      out.push({ path: pathOf([...segments, key]), kind: 'removed', before: value });
    }
  }
  for (const [key, value] of Object.entries(after)) {
    if (value === undefined || (Object.hasOwn(before, key) && before[key] !== undefined)) continue;
    out.push({ path: pathOf([...segments, key]), kind: 'added', after: value });
  }
}

function diffById(segments: (string | number)[], before: unknown[], after: unknown[], out: TPlanChange[]): void {
  const beforeById = new Map(before.map((item) => [idOf(item), item]));
  const afterIds = new Set(after.map(idOf));
  after.forEach((item, index) => {
    const id = idOf(item);
    if (beforeById.has(id)) {
      diffValue([...segments, index], beforeById.get(id), item, out);
    } else {
      out.push({ path: pathOf([...segments, index]), kind: 'added', after: item });
    }
  });
  before.forEach((item, index) => {
    if (!afterIds.has(idOf(item))) out.push({ path: pathOf([...segments, index]), kind: 'removed', before: item });
  });
}

/** The changes that turn `from` into `to`; empty when they are equal. */
export function diffDocuments(from: unknown, to: unknown): TPlanChange[] {
  const changes: TPlanChange[] = [];
  diffValue([], from, to, changes);
  return changes;
}

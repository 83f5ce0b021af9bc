/**
 * Dirty tracking for the plan editor: the document being edited is compared with the last saved
 * (or loaded) one by value, with object keys sorted, so re-ordering keys or re-creating equal
 * objects never counts as a change, and undoing an edit by hand makes the plan clean again.
 */

/** JSON with object keys sorted at every level (arrays keep their order). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const child = (value as Record<string, unknown>)[key];
      // JSON drops undefined members; so does the comparison (an absent optional === undefined).
      if (child !== undefined) out[key] = sortKeys(child);
    }
    return out;
  }
  return value;
}

export function sameDocument(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  return canonicalJson(a) === canonicalJson(b);
}

/** True when `current` differs from what was last saved; a plan never saved is dirty once it has content. */
export function isDirty(saved: unknown, current: unknown): boolean {
  return !sameDocument(saved, current);
}

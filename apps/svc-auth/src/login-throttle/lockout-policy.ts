/**
 * Login backoff, per normalised email: the 5th consecutive failure locks the address for 30 s,
 * each further failure doubles the lock, up to 15 min. A success resets the count, and so does
 * an hour without failures (a forgotten typo from yesterday does not count toward today).
 */
export const LOCK_AFTER_FAILURES = 5;
export const BASE_LOCK_SECONDS = 30;
export const MAX_LOCK_SECONDS = 15 * 60;
export const FAILURE_WINDOW_MS = 60 * 60 * 1000;

/** Seconds to lock for after the `failures`-th consecutive failure (0: no lock yet). */
export function lockSecondsAfter(failures: number): number {
  if (failures < LOCK_AFTER_FAILURES) return 0;
  const doublings = Math.min(failures - LOCK_AFTER_FAILURES, 16);
  return Math.min(BASE_LOCK_SECONDS * 2 ** doublings, MAX_LOCK_SECONDS);
}

/** Whole seconds until `lockedUntil`, at least 1 (for Retry-After). */
export function retryAfterSeconds(lockedUntil: Date, now: Date): number {
  return Math.max(1, Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000));
}

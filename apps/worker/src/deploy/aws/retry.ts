import { isThrottling } from './aws-errors.js';

export type Sleep = (ms: number) => Promise<void>;
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export interface RetryPolicy {
  /** Attempts in all (the first one included). */
  attempts: number;
  baseMs: number;
  capMs: number;
  sleep: Sleep;
  /** 0..1; injectable so tests are deterministic. */
  random: () => number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 6,
  baseMs: 500,
  capMs: 20_000,
  sleep: realSleep,
  random: Math.random,
};

/** Full-jitter exponential backoff: a random wait in [0, min(cap, base·2^attempt)]. */
export function backoffMs(policy: RetryPolicy, attempt: number): number {
  return Math.round(policy.random() * Math.min(policy.capMs, policy.baseMs * 2 ** attempt));
}

/** Runs `fn`, retrying only throttling errors (RequestLimitExceeded, Throttling…) with backoff. */
export async function withThrottlingRetry<T>(fn: () => Promise<T>, policy: RetryPolicy = DEFAULT_RETRY): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await fn();
    } catch (error) {
      if (!isThrottling(error) || attempt + 1 >= policy.attempts) throw error;
      await policy.sleep(backoffMs(policy, attempt));
    }
  }
}

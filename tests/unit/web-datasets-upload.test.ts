import { describe, expect, it } from 'vitest';
import {
  isAcceptedFile,
  isRetryablePutError,
  partRanges,
  PutError,
  runPool,
  UploadProgress,
  withRetry,
} from '../../apps/web/lib/datasets/upload.js';

const MB = 1024 * 1024;

describe('multipart ranges', () => {
  it('covers the file exactly, the last part short', () => {
    expect(partRanges(12 * MB + 5, 5 * MB, [3, 1, 2])).toEqual([
      { partNumber: 1, start: 0, end: 5 * MB },
      { partNumber: 2, start: 5 * MB, end: 10 * MB },
      { partNumber: 3, start: 10 * MB, end: 12 * MB + 5 },
    ]);
    expect(partRanges(10 * MB, 5 * MB, [1, 2, 3])).toHaveLength(2);
  });
});

describe('concurrency pool', () => {
  it('never runs more than the limit at once and keeps results in input order', async () => {
    let running = 0;
    let peak = 0;
    const results = await runPool([50, 10, 30, 5, 20, 1, 15, 2, 8], 4, async (ms, index) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, ms));
      running--;
      return index * 10;
    });
    expect(peak).toBe(4);
    expect(results).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80]);
  });

  it('rejects with the first failure and starts nothing new after it', async () => {
    const started: number[] = [];
    await expect(
      runPool([1, 2, 3, 4, 5, 6], 2, async (item) => {
        started.push(item);
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (item === 2) throw new Error('part 2 failed');
        return item;
      }),
    ).rejects.toThrow('part 2 failed');
    expect(started.length).toBeLessThanOrEqual(4);
  });
});

describe('retries', () => {
  it('tries again up to 3 times with growing waits, then gives up', async () => {
    const waits: number[] = [];
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw new PutError(503);
        },
        { wait: async (ms) => void waits.push(ms), shouldRetry: isRetryablePutError },
      ),
    ).rejects.toThrow('HTTP 503');
    expect(calls).toBe(4);
    expect(waits).toEqual([500, 1000, 2000]);
  });

  it('returns the first success and does not retry what cannot succeed', async () => {
    let calls = 0;
    const result = await withRetry(
      async (attempt) => {
        calls++;
        if (attempt < 2) throw new PutError(0);
        return 'etag-1';
      },
      { wait: async () => undefined, shouldRetry: isRetryablePutError },
    );
    expect(result).toBe('etag-1');
    expect(calls).toBe(3);

    let forbidden = 0;
    await expect(
      withRetry(
        async () => {
          forbidden++;
          throw new PutError(403);
        },
        { wait: async () => undefined, shouldRetry: isRetryablePutError },
      ),
    ).rejects.toBeInstanceOf(PutError);
    expect(forbidden).toBe(1);
    expect(isRetryablePutError(new DOMException('x', 'AbortError'))).toBe(false);
  });

  it('stops at once when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(withRetry(async () => 'never', { signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });
});

describe('progress and files', () => {
  it('sums parts, counts a retried part from zero again, and never passes the total', () => {
    const progress = new UploadProgress(100);
    progress.set(1, 40);
    progress.set(2, 30);
    expect(progress.percent).toBe(70);
    progress.set(2, 0);
    expect(progress.sent).toBe(40);
    progress.set(2, 80);
    expect(progress.sent).toBe(100);
    expect(new UploadProgress(0).percent).toBe(100);
  });

  it('accepts .csv, .tsv and .txt only', () => {
    expect(isAcceptedFile('Sales.CSV')).toBe(true);
    expect(isAcceptedFile('a.tsv')).toBe(true);
    expect(isAcceptedFile('notes.txt')).toBe(true);
    expect(isAcceptedFile('book.xlsx')).toBe(false);
  });
});

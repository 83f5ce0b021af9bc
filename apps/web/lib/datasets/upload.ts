/**
 * Browser → S3 upload of a dataset file, with the pieces that need no browser kept pure (and
 * unit-tested): part ranges, a concurrency pool, retries with backoff, progress totals.
 */

export interface TPartRange {
  partNumber: number;
  start: number;
  end: number;
}

/** Byte ranges of the presigned parts: part n covers [(n-1)·partSize, min(n·partSize, size)). */
export function partRanges(size: number, partSize: number, partNumbers: readonly number[]): TPartRange[] {
  return [...partNumbers]
    .sort((a, b) => a - b)
    .map((partNumber) => ({
      partNumber,
      start: (partNumber - 1) * partSize,
      end: Math.min(partNumber * partSize, size),
    }))
    .filter((range) => range.end > range.start);
}

export function abortError(): DOMException {
  return new DOMException('The upload was cancelled.', 'AbortError');
}

export function isAbortError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError());
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    function onAbort() {
      clearTimeout(timer);
      reject(abortError());
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `worker` over `items` with at most `concurrency` at a time, results in input order.
 * The first failure stops new work from starting and is what the pool rejects with.
 */
export async function runPool<T, R>(
  items: readonly T[],
  concurrency: number,
  worker: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  async function lane() {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await worker(items[index] as T, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  }
  const lanes = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, () => lane());
  await Promise.all(lanes);
  return results;
}

export interface TRetryOptions {
  /** Retries after the first attempt (default 3). */
  retries?: number;
  baseMs?: number;
  signal?: AbortSignal;
  wait?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Errors for which another attempt cannot help (default: aborts). */
  shouldRetry?: (error: unknown) => boolean;
}

/** `fn`, tried again up to `retries` times with exponential backoff (0.5 s, 1 s, 2 s…). */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: TRetryOptions = {}): Promise<T> {
  const retries = options.retries ?? 3;
  const baseMs = options.baseMs ?? 500;
  const wait = options.wait ?? sleep;
  const shouldRetry = options.shouldRetry ?? ((error: unknown) => !isAbortError(error));
  for (let attempt = 0; ; attempt++) {
    if (options.signal?.aborted) throw abortError();
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= retries || !shouldRetry(error) || options.signal?.aborted) throw error;
      await wait(baseMs * 2 ** attempt, options.signal);
    }
  }
}

/** Sums bytes sent per part (parts restart from 0 when retried) into one figure for the bar. */
export class UploadProgress {
  private readonly loaded = new Map<number, number>();
  constructor(readonly total: number) {}

  set(part: number, bytes: number): number {
    this.loaded.set(part, bytes);
    return this.sent;
  }

  get sent(): number {
    let sum = 0;
    for (const bytes of this.loaded.values()) sum += bytes;
    return Math.min(sum, this.total);
  }

  get percent(): number {
    return this.total === 0 ? 100 : Math.floor((this.sent / this.total) * 100);
  }
}

/** A PUT to S3 that failed with an HTTP status (4xx other than 408/429 are not retried). */
export class PutError extends Error {
  constructor(readonly status: number) {
    super(status === 0 ? 'The upload connection failed.' : `The storage refused the upload (HTTP ${status}).`);
    this.name = 'PutError';
  }
}

export function isRetryablePutError(error: unknown): boolean {
  if (isAbortError(error)) return false;
  if (error instanceof PutError) {
    return error.status === 0 || error.status === 408 || error.status === 429 || error.status >= 500;
  }
  return true;
}

/**
 * PUT a blob to a presigned URL with XMLHttpRequest (fetch has no upload progress). Straight to
 * S3, never through our API: no cookies, only the headers the presign requires. Resolves with
 * the ETag response header (S3 must expose it through CORS).
 */
export function putBlob(
  url: string,
  body: Blob,
  headers: Record<string, string>,
  onProgress: (loaded: number) => void,
  signal: AbortSignal,
): Promise<string | null> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(abortError());
      return;
    }
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    for (const [name, value] of Object.entries(headers)) {
      // The browser sets Host and Content-Length itself and refuses them here.
      if (!/^(host|content-length)$/i.test(name)) xhr.setRequestHeader(name, value);
    }
    const onAbort = () => xhr.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    xhr.upload.onprogress = (event) => onProgress(event.loaded);
    xhr.onload = () => {
      signal.removeEventListener('abort', onAbort);
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(body.size);
        resolve(xhr.getResponseHeader('ETag'));
      } else {
        reject(new PutError(xhr.status));
      }
    };
    xhr.onerror = () => {
      signal.removeEventListener('abort', onAbort);
      reject(new PutError(0));
    };
    xhr.onabort = () => {
      signal.removeEventListener('abort', onAbort);
      reject(abortError());
    };
    xhr.send(body);
  });
}

export const UPLOAD_CONCURRENCY = 4;
export const ACCEPTED_EXTENSIONS = ['.csv', '.tsv', '.txt'] as const;

export function isAcceptedFile(name: string): boolean {
  const lower = name.toLowerCase();
  return ACCEPTED_EXTENSIONS.some((extension) => lower.endsWith(extension));
}

export function contentTypeOf(name: string): string {
  const lower = name.toLowerCase();
  if (lower.endsWith('.tsv')) return 'text/tab-separated-values';
  if (lower.endsWith('.txt')) return 'text/plain';
  return 'text/csv';
}

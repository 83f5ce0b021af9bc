import { describe, expect, it } from 'vitest';
import type { TDatasetResponse, TDatasetSummary, TListDatasetsResponse } from '@elasticdash/contracts/datasets/dataset';
import { backoffDelay, SseParser, subscribeToEvents } from '../../apps/web/lib/realtime/sse.js';
import {
  applyDatasetEvent,
  datasetKeys,
  resetDatasetCaches,
  type TCacheWriter,
} from '../../apps/web/lib/datasets/cache.js';

const TENANT = '11111111-1111-4111-8111-111111111111';
const DATASET = '22222222-2222-4222-8222-222222222222';

function envelope(id: string, event: Record<string, unknown>) {
  return JSON.stringify({ id, tenantId: TENANT, at: '2026-11-22T04:00:00.000Z', requestId: null, event });
}

describe('SSE parser', () => {
  it('parses id, event and multi-line data, ignores comments, survives any chunk split', () => {
    const stream =
      ': hello\n\nid: 1-0\nevent: dataset.progress\ndata: {"a":1,\ndata: "b":2}\n\nretry: 2500\ndata: plain\r\n\r\n';
    for (let split = 0; split <= stream.length; split++) {
      const parser = new SseParser();
      const frames = [...parser.push(stream.slice(0, split)), ...parser.push(stream.slice(split))];
      expect(frames).toEqual([
        { id: '1-0', event: 'dataset.progress', data: '{"a":1,\n"b":2}' },
        { id: '1-0', event: 'message', data: 'plain' },
      ]);
      expect(parser.retryMs).toBe(2500);
      expect(parser.lastEventId).toBe('1-0');
    }
  });

  it('handles CR-only and CRLF split between chunks, and drops frames without data', () => {
    const parser = new SseParser();
    expect(parser.push('event: reset\r')).toEqual([]);
    expect(parser.push('\ndata:\r')).toEqual([]);
    expect(parser.push('\r')).toEqual([{ id: '', event: 'reset', data: '' }]);
    expect(parser.push('id: 5-1\n\n')).toEqual([]);
    expect(parser.lastEventId).toBe('5-1');
    expect(parser.push('data:x\rdata:y\r\r')).toEqual([{ id: '5-1', event: 'message', data: 'x\ny' }]);
  });
});

describe('reconnect backoff', () => {
  it('grows exponentially, is capped, and jitters between 50 % and 100 % of the step', () => {
    expect(backoffDelay(0, {}, () => 1)).toBe(1000);
    expect(backoffDelay(0, {}, () => 0)).toBe(500);
    expect(backoffDelay(3, {}, () => 1)).toBe(8000);
    expect(backoffDelay(10, {}, () => 1)).toBe(30_000);
    expect(backoffDelay(100, { maxMs: 5000 }, () => 0.5)).toBe(3750);
    expect(backoffDelay(1, { baseMs: 200 }, () => 1)).toBe(400);
  });
});

function streamResponse(chunks: string[]): Response {
  const encoder = new TextEncoder();
  return new Response(
    new ReadableStream({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
        controller.close();
      },
    }),
    { status: 200, headers: { 'content-type': 'text/event-stream' } },
  );
}

describe('subscription', () => {
  it('delivers valid events, ignores unknown ones, handles reset, reconnects with Last-Event-ID and stops on 401', async () => {
    const requests: Record<string, string>[] = [];
    const responses = [
      streamResponse([
        `id: 1-0\nevent: dataset.progress\ndata: ${envelope('1-0', { type: 'dataset.progress', datasetId: DATASET, progress: { rowsDone: 10, percent: 5 } })}\n\n`,
        `id: 2-0\ndata: ${envelope('2-0', { type: 'plan.status', planId: 'x' })}\n\n`,
        'data: not json\n\n',
      ]),
      new Response('oops', { status: 502 }),
      streamResponse(['event: reset\ndata: {}\n\n']),
      new Response(null, { status: 401 }),
    ];
    const events: string[] = [];
    const sleeps: number[] = [];
    let resets = 0;
    const controller = new AbortController();
    await subscribeToEvents({
      tenantId: TENANT,
      signal: controller.signal,
      onEvent: (received) => events.push(`${received.id}:${received.event.type}`),
      onReset: () => resets++,
      fetchImpl: async (_url, init) => {
        requests.push({ ...(init?.headers as Record<string, string>) });
        const next = responses.shift();
        if (!next) throw new Error('no more responses');
        return next;
      },
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 1,
    });
    expect(events).toEqual(['1-0:dataset.progress']);
    expect(resets).toBe(1);
    expect(requests[0]?.['x-tenant-id']).toBe(TENANT);
    expect(requests[0]?.['Last-Event-ID']).toBeUndefined();
    // The unknown event's id still counts: the server has sent it, no need to replay it.
    expect(requests[1]?.['Last-Event-ID']).toBe('2-0');
    expect(requests[3]?.['Last-Event-ID']).toBe('2-0');
    // Stream ended (attempt 0 → 1 s), 502 (attempt 1 → 2 s), stream ended after a good open (back to 1 s).
    expect(sleeps).toEqual([1000, 2000, 1000]);
    expect(requests).toHaveLength(4);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    let calls = 0;
    await subscribeToEvents({
      tenantId: TENANT,
      signal: controller.signal,
      onEvent: () => undefined,
      onReset: () => undefined,
      fetchImpl: async () => {
        calls++;
        controller.abort();
        throw new DOMException('aborted', 'AbortError');
      },
      sleep: async () => undefined,
    });
    expect(calls).toBe(1);
  });
});

function summary(overrides: Partial<TDatasetSummary> = {}): TDatasetSummary {
  return {
    id: DATASET,
    name: 'sales',
    description: '',
    status: 'uploaded',
    failureReason: null,
    version: 0,
    rowCount: null,
    fileName: 'sales.csv',
    sizeBytes: 100,
    progress: null,
    createdAt: '2026-11-22T04:00:00.000Z',
    updatedAt: '2026-11-22T04:00:00.000Z',
    readyAt: null,
    ...overrides,
  };
}

/** The two QueryClient calls the event handler makes, over a Map; invalidations are prefix matches. */
class FakeCache {
  readonly data = new Map<string, unknown>();
  readonly invalidated: (readonly unknown[])[] = [];

  setQueryData<T>(key: readonly unknown[], update: T | ((old: T | undefined) => T | undefined)): T | undefined {
    const id = JSON.stringify(key);
    const next =
      typeof update === 'function' ? (update as (old: T | undefined) => T | undefined)(this.data.get(id) as T) : update;
    if (next !== undefined) this.data.set(id, next);
    return next;
  }

  getQueryData<T>(key: readonly unknown[]): T | undefined {
    return this.data.get(JSON.stringify(key)) as T | undefined;
  }

  invalidateQueries(filters?: { queryKey?: readonly unknown[] }): Promise<void> {
    if (filters?.queryKey) this.invalidated.push(filters.queryKey);
    return Promise.resolve();
  }

  isInvalidated(key: readonly unknown[]): boolean {
    return this.invalidated.some((prefix) =>
      prefix.every((part, index) => JSON.stringify(part) === JSON.stringify(key[index])),
    );
  }

  get writer(): TCacheWriter {
    return this as unknown as TCacheWriter;
  }
}

describe('cache updates from events', () => {
  it('moves progress in place without invalidating, and invalidates everything of the dataset on status', async () => {
    const cache = new FakeCache();
    const client = cache.writer;
    client.setQueryData<TListDatasetsResponse>(datasetKeys.list(TENANT), { datasets: [summary()] });
    client.setQueryData<TDatasetResponse>(datasetKeys.detail(TENANT, DATASET), {
      dataset: { ...summary(), columns: [] },
    });
    client.setQueryData(datasetKeys.query(TENANT, DATASET, 1, '{}'), { points: [] });

    applyDatasetEvent(client, TENANT, {
      type: 'dataset.progress',
      datasetId: DATASET,
      progress: { rowsDone: 500, percent: 25 },
    });
    expect(cache.getQueryData<TListDatasetsResponse>(datasetKeys.list(TENANT))?.datasets[0]).toMatchObject({
      status: 'processing',
      progress: { rowsDone: 500, percent: 25 },
    });
    expect(cache.isInvalidated(datasetKeys.list(TENANT))).toBe(false);
    expect(cache.getQueryData<TDatasetResponse>(datasetKeys.detail(TENANT, DATASET))?.dataset.progress?.percent).toBe(
      25,
    );

    applyDatasetEvent(client, TENANT, {
      type: 'dataset.status',
      datasetId: DATASET,
      status: 'ready',
      failureReason: null,
      version: 1,
      rowCount: 2000,
    });
    expect(cache.getQueryData<TListDatasetsResponse>(datasetKeys.list(TENANT))?.datasets[0]).toMatchObject({
      status: 'ready',
      progress: null,
      version: 1,
      rowCount: 2000,
    });
    expect(cache.isInvalidated(datasetKeys.list(TENANT))).toBe(true);
    expect(cache.isInvalidated(datasetKeys.detail(TENANT, DATASET))).toBe(true);
    expect(cache.isInvalidated(datasetKeys.query(TENANT, DATASET, 1, '{}'))).toBe(true);
  });

  it('keeps the last good data when a re-ingest fails, and reset invalidates all datasets and dashboards', () => {
    const cache = new FakeCache();
    const client = cache.writer;
    client.setQueryData<TListDatasetsResponse>(datasetKeys.list(TENANT), {
      datasets: [summary({ status: 'processing', version: 3, rowCount: 10 })],
    });
    applyDatasetEvent(client, TENANT, {
      type: 'dataset.status',
      datasetId: DATASET,
      status: 'failed',
      failureReason: "row 3, column amount: 'abc' is not a number",
      version: 3,
      rowCount: 10,
    });
    expect(cache.getQueryData<TListDatasetsResponse>(datasetKeys.list(TENANT))?.datasets[0]).toMatchObject({
      status: 'failed',
      version: 3,
      rowCount: 10,
      failureReason: "row 3, column amount: 'abc' is not a number",
    });
    client.setQueryData(['tenant', TENANT, 'dashboards', 'list'], { dashboards: [] });
    client.setQueryData(['tenant', TENANT, 'plans'], { plans: [] });
    resetDatasetCaches(client, TENANT);
    expect(cache.isInvalidated(['tenant', TENANT, 'dashboards', 'list'])).toBe(true);
    expect(cache.isInvalidated(['tenant', TENANT, 'plans'])).toBe(false);
  });
});

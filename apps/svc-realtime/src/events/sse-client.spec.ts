import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SseClient, type TCloseReason, type TFrame } from './sse-client.js';

/** Just enough of a ServerResponse: records writes, lets the test say whether the socket is full. */
class FakeResponse extends EventEmitter {
  written: string[] = [];
  full = false;
  writableLength = 0;
  ended = false;
  destroyed = false;
  closed = false;

  write(chunk: string | Buffer): boolean {
    this.written.push(chunk.toString());
    if (this.full) this.writableLength += chunk.length;
    return !this.full;
  }
  end(): void {
    this.ended = true;
  }
  destroy(): void {
    this.destroyed = true;
    this.closed = true;
    this.emit('close');
  }
}

function setup(slowTimeoutMs = 1_000) {
  const response = new FakeResponse();
  const closed: TCloseReason[] = [];
  const client = new SseClient(
    { tenantId: 't', userId: 'u', sessionId: null, requestId: 'r' },
    response as unknown as ServerResponse,
    (_client, reason) => closed.push(reason),
    slowTimeoutMs,
  );
  return { response, client, closed };
}

const frame = (key: number, text = `e${key}`): TFrame => ({ key: BigInt(key), bytes: Buffer.from(text) });

afterEach(() => {
  vi.useRealTimers();
});

describe('SseClient', () => {
  it('writes live frames in order and skips those at or before its cursor', () => {
    const { response, client } = setup();
    client.deliver(frame(1));
    client.deliver(frame(2));
    client.deliver(frame(2));
    client.deliver(frame(1));
    client.deliver(frame(3));
    expect(response.written).toEqual(['e1', 'e2', 'e3']);
    expect(client.delivered).toBe(3);
  });

  it('holds live frames while replaying, then flushes only those after the replay', () => {
    const { response, client } = setup();
    client.pending = [];
    client.deliver(frame(4));
    client.deliver(frame(5));
    expect(response.written).toEqual([]);
    for (const key of [3, 4]) client.writeFrame(frame(key));
    client.resume();
    client.deliver(frame(6));
    expect(response.written).toEqual(['e3', 'e4', 'e5', 'e6']);
  });

  it('drops a client whose socket stays full longer than the timeout', () => {
    vi.useFakeTimers();
    const { response, client, closed } = setup(1_000);
    response.full = true;
    client.write('a');
    vi.advanceTimersByTime(900);
    client.write('b');
    expect(client.closed).toBe(false);
    expect(client.isTooSlow(Date.now())).toBe(false);
    vi.advanceTimersByTime(200);
    expect(client.isTooSlow(Date.now())).toBe(true);
    client.write('c');
    expect(response.written).toEqual(['a', 'b']);
    expect(response.destroyed).toBe(true);
    expect(closed).toEqual(['slow_client']);
  });

  it('keeps a client whose socket drains in time', () => {
    vi.useFakeTimers();
    const { response, client } = setup(1_000);
    response.full = true;
    client.write('a');
    vi.advanceTimersByTime(900);
    response.full = false;
    response.emit('drain');
    vi.advanceTimersByTime(900);
    client.write('b');
    expect(client.closed).toBe(false);
    expect(response.written).toEqual(['a', 'b']);
  });

  it('drops a client at once when too many bytes are queued', () => {
    const { response, client, closed } = setup(60_000);
    response.full = true;
    const big = 'x'.repeat(1024 * 1024);
    for (let index = 0; index < 5; index++) client.write(big);
    expect(closed).toEqual(['slow_client']);
    expect(response.written.length).toBe(5);
  });

  it('ends cleanly with a last frame and reports the reason once', () => {
    const { response, client, closed } = setup();
    client.end('shutdown', 'bye');
    client.end('shutdown', 'again');
    response.emit('close');
    client.deliver(frame(1));
    expect(response.written).toEqual(['bye']);
    expect(response.ended).toBe(true);
    expect(closed).toEqual(['shutdown']);
  });

  it('reports a client that went away', () => {
    const { response, client, closed } = setup();
    response.emit('close');
    expect(client.closed).toBe(true);
    expect(closed).toEqual(['client_closed']);
  });
});

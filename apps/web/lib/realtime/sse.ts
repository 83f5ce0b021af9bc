import { ZRealtimeEnvelope, type TRealtimeEnvelope } from '@elasticdash/contracts/realtime/event';

/**
 * Server-sent events over `fetch` (EventSource cannot send `x-tenant-id`): a parser for the
 * `text/event-stream` format and the reconnect backoff. The parser and backoff are pure;
 * `subscribeToEvents` takes its fetch and sleep as options so tests drive it.
 */

export interface TSseFrame {
  /** The last event id in effect when the frame was dispatched ('' when none was ever sent). */
  id: string;
  /** `event:` field, `message` when absent. */
  event: string;
  data: string;
}

/**
 * Incremental parser (WHATWG "event stream interpretation"): feed decoded text in chunks of any
 * size, get back the complete frames. Lines end with CRLF, LF or CR; `:` lines are comments
 * (heartbeats); a blank line dispatches; a frame without data is dropped; `retry:` is exposed.
 */
export class SseParser {
  private pending = '';
  private skipLeadingLf = false;
  private data: string[] = [];
  private eventType = '';
  private hasData = false;
  /** Survives across frames, like EventSource's lastEventId. */
  lastEventId = '';
  /** Reconnection time the server asked for (`retry:`), in ms. */
  retryMs: number | null = null;

  push(chunk: string): TSseFrame[] {
    let text = chunk;
    if (this.skipLeadingLf) {
      if (text.startsWith('\n')) text = text.slice(1);
      if (text.length > 0) this.skipLeadingLf = false;
    }
    const frames: TSseFrame[] = [];
    let buffer = this.pending + text;
    let start = 0;
    for (let index = 0; index < buffer.length; index++) {
      const char = buffer[index];
      if (char !== '\n' && char !== '\r') continue;
      const line = buffer.slice(start, index);
      if (char === '\r') {
        if (index + 1 < buffer.length) {
          if (buffer[index + 1] === '\n') index++;
        } else {
          // A CR at the very end: its LF may arrive in the next chunk.
          this.skipLeadingLf = true;
        }
      }
      start = index + 1;
      const frame = this.line(line);
      if (frame) frames.push(frame);
    }
    buffer = buffer.slice(start);
    this.pending = buffer;
    return frames;
  }

  private line(line: string): TSseFrame | null {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return null;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        this.data.push(value);
        this.hasData = true;
        break;
      case 'event':
        this.eventType = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      case 'retry':
        if (/^[0-9]+$/.test(value)) this.retryMs = Number(value);
        break;
      default:
        break;
    }
    return null;
  }

  private dispatch(): TSseFrame | null {
    const frame: TSseFrame | null = this.hasData
      ? { id: this.lastEventId, event: this.eventType || 'message', data: this.data.join('\n') }
      : null;
    this.data = [];
    this.eventType = '';
    this.hasData = false;
    return frame;
  }
}

export interface TBackoffOptions {
  /** First delay in ms (default 1 s). */
  baseMs?: number;
  /** Ceiling in ms (default 30 s). */
  maxMs?: number;
}

/**
 * Delay before reconnect attempt `attempt` (0-based): exponential, capped, with jitter in
 * [50 %, 100 %] of the step so that many tabs do not reconnect in lockstep after an outage.
 */
export function backoffDelay(attempt: number, options: TBackoffOptions = {}, random: () => number = Math.random) {
  const base = options.baseMs ?? 1000;
  const max = options.maxMs ?? 30_000;
  const step = Math.min(max, base * 2 ** Math.max(0, Math.min(attempt, 30)));
  return Math.round(step * (0.5 + 0.5 * Math.min(1, Math.max(0, random()))));
}

export type TConnectionState = 'connecting' | 'open' | 'retrying' | 'stopped';

export interface TSubscribeOptions {
  tenantId: string;
  /** A valid envelope of a known event type (unknown types and bad frames are ignored). */
  onEvent: (envelope: TRealtimeEnvelope) => void;
  /** `event: reset`: the server could not replay what was missed; refetch instead. */
  onReset: () => void;
  onState?: (state: TConnectionState) => void;
  signal: AbortSignal;
  /** Tests inject these. */
  fetchImpl?: typeof fetch;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  random?: () => number;
  url?: string;
}

function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Statuses after which reconnecting cannot help (signed out, not a member, route missing). */
function isFinal(status: number): boolean {
  return status === 401 || status === 403 || status === 404;
}

/**
 * One SSE subscription for a workspace, over fetch + a streaming reader. Reconnects with
 * backoff after errors and closed streams, sending `Last-Event-ID` so the server replays what
 * was missed. Resolves when aborted or when the server refuses for good (401/403/404).
 */
export async function subscribeToEvents(options: TSubscribeOptions): Promise<void> {
  const fetchImpl = options.fetchImpl ?? fetch;
  const sleep = options.sleep ?? defaultSleep;
  const { signal } = options;
  const parser = new SseParser();
  let attempt = 0;

  while (!signal.aborted) {
    options.onState?.(attempt === 0 ? 'connecting' : 'retrying');
    let final = false;
    try {
      const headers: Record<string, string> = { accept: 'text/event-stream', 'x-tenant-id': options.tenantId };
      if (parser.lastEventId) headers['Last-Event-ID'] = parser.lastEventId;
      const response = await fetchImpl(options.url ?? '/api/events', {
        headers,
        credentials: 'same-origin',
        cache: 'no-store',
        signal,
      });
      if (!response.ok || !response.body) {
        final = isFinal(response.status);
        await response.body?.cancel().catch(() => undefined);
      } else {
        attempt = 0;
        options.onState?.('open');
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          for (const frame of parser.push(value)) {
            if (frame.event === 'reset') {
              options.onReset();
              continue;
            }
            let json: unknown;
            try {
              json = JSON.parse(frame.data);
            } catch {
              continue;
            }
            const parsed = ZRealtimeEnvelope.safeParse(json);
            if (parsed.success && parsed.data.tenantId.toLowerCase() === options.tenantId.toLowerCase()) {
              options.onEvent(parsed.data);
            }
          }
        }
      }
    } catch {
      // network error or abort: handled below
    }
    if (signal.aborted) break;
    if (final) {
      options.onState?.('stopped');
      return;
    }
    options.onState?.('retrying');
    await sleep(backoffDelay(attempt, { baseMs: parser.retryMs ?? 1000 }, options.random), signal);
    attempt++;
  }
  options.onState?.('stopped');
}

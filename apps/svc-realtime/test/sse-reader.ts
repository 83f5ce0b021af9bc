/** A minimal `text/event-stream` reader for tests: fetch + streaming parse, with waits. */

export interface TSseFrame {
  id: string | null;
  event: string;
  data: string;
}

type Waiter = { check: () => boolean; resolve: () => void };

export class SseStream {
  readonly frames: TSseFrame[] = [];
  readonly comments: string[] = [];
  retry: number | null = null;
  ended = false;
  private readonly waiters = new Set<Waiter>();
  private readonly controller = new AbortController();

  private constructor(readonly response: Response) {}

  /** Opens a stream; throws with the body when the answer is not 200 text/event-stream. */
  static async open(url: string, headers: Record<string, string>): Promise<SseStream> {
    const controller = new AbortController();
    const response = await fetch(url, {
      headers: { accept: 'text/event-stream', ...headers },
      signal: controller.signal,
    });
    if (response.status !== 200) throw new Error(`SSE open answered ${response.status}: ${await response.text()}`);
    const stream = new SseStream(response);
    stream.controller.signal.addEventListener('abort', () => controller.abort());
    void stream.pump();
    return stream;
  }

  /** Events of the stream (not comments), optionally only of one `event:` type. */
  events(type?: string): TSseFrame[] {
    return type ? this.frames.filter((frame) => frame.event === type) : this.frames;
  }

  /** Resolves when `check` holds, rejects after `timeoutMs`. */
  until(check: () => boolean, timeoutMs = 5_000, what = 'condition'): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        check,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; got ${JSON.stringify(this.frames)}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  untilEvents(count: number, timeoutMs = 5_000): Promise<void> {
    return this.until(() => this.frames.length >= count, timeoutMs, `${count} events`);
  }

  untilEnded(timeoutMs = 5_000): Promise<void> {
    return this.until(() => this.ended, timeoutMs, 'the stream to end');
  }

  close(): void {
    this.controller.abort();
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) {
      if (waiter.check()) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  private async pump(): Promise<void> {
    const decoder = new TextDecoder();
    let pending = '';
    let frame: { id: string | null; event: string; data: string[] } = { id: null, event: 'message', data: [] };
    try {
      for await (const chunk of this.response.body as unknown as AsyncIterable<Uint8Array>) {
        pending += decoder.decode(chunk, { stream: true });
        let newline: number;
        while ((newline = pending.indexOf('\n')) !== -1) {
          const line = pending.slice(0, newline);
          pending = pending.slice(newline + 1);
          if (line === '') {
            if (frame.data.length > 0)
              this.frames.push({ id: frame.id, event: frame.event, data: frame.data.join('\n') });
            frame = { id: null, event: 'message', data: [] };
          } else if (line.startsWith(':')) {
            this.comments.push(line.slice(1).trim());
          } else {
            const colon = line.indexOf(':');
            const field = colon === -1 ? line : line.slice(0, colon);
            const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'id') frame.id = value;
            else if (field === 'event') frame.event = value;
            else if (field === 'data') frame.data.push(value);
            else if (field === 'retry') this.retry = Number(value);
          }
        }
        this.notify();
      }
    } catch {
      // aborted or reset by the server: the stream has ended either way
    }
    this.ended = true;
    this.notify();
  }
}

import type { ServerResponse } from 'node:http';

/** One event ready to write: its stream position and its bytes, built once per event. */
export interface TFrame {
  key: bigint;
  bytes: Buffer;
}

export type TCloseReason =
  | 'client_closed'
  | 'membership_changed'
  | 'session_revoked'
  | 'slow_client'
  | 'subscription_lost'
  | 'replay_failed'
  | 'shutdown';

export interface TClientIdentity {
  tenantId: string;
  userId: string;
  sessionId: string | null;
  requestId: string;
}

/** Frames held while a client replays from the stream (bounded: a client that falls this far behind is dropped). */
const MAX_PENDING_FRAMES = 10_000;
/** Bytes the socket may hold unsent before the client is dropped, however long it has been full. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/**
 * One open SSE response. Writes never queue without bound: a socket that stays full past
 * `slowTimeoutMs`, or holds more than MAX_BUFFERED_BYTES, gets the client dropped (it reconnects
 * with Last-Event-ID and replays). Live frames are de-duplicated by stream position.
 */
export class SseClient {
  /** Position of the last event written; live frames at or before it are skipped. */
  cursor: bigint | null = null;
  /** Non-null while replaying: live frames wait here, in order. */
  pending: TFrame[] | null = null;
  closed = false;
  delivered = 0;
  readonly openedAt = Date.now();
  private blockedSince: number | null = null;

  constructor(
    readonly identity: TClientIdentity,
    private readonly response: ServerResponse,
    private readonly onClosed: (client: SseClient, reason: TCloseReason) => void,
    private readonly slowTimeoutMs: number,
  ) {
    response.on('drain', () => {
      this.blockedSince = null;
    });
    response.on('close', () => this.finish('client_closed'));
    response.on('error', () => this.finish('client_closed'));
  }

  /** A live event: held while replaying, skipped when already written, else written. */
  deliver(frame: TFrame): void {
    if (this.closed) return;
    if (this.pending) {
      if (this.pending.length >= MAX_PENDING_FRAMES) return this.drop('slow_client');
      this.pending.push(frame);
      return;
    }
    this.writeFrame(frame);
  }

  /** Writes a frame unless the client already has it (replay and live overlap). */
  writeFrame(frame: TFrame): void {
    if (this.closed || (this.cursor !== null && frame.key <= this.cursor)) return;
    this.cursor = frame.key;
    this.delivered++;
    this.write(frame.bytes);
  }

  /** Ends replay mode: flushes the held live frames, skipping those the replay already sent. */
  resume(): void {
    const held = this.pending;
    this.pending = null;
    for (const frame of held ?? []) this.writeFrame(frame);
  }

  write(chunk: string | Buffer): void {
    if (this.closed) return;
    if (this.blockedSince !== null && this.isTooSlow(Date.now())) return this.drop('slow_client');
    const flushed = this.response.write(chunk);
    if (!flushed && this.blockedSince === null) this.blockedSince = Date.now();
    if (this.response.writableLength > MAX_BUFFERED_BYTES) this.drop('slow_client');
  }

  isTooSlow(now: number): boolean {
    return this.blockedSince !== null && now - this.blockedSince > this.slowTimeoutMs;
  }

  /** Ends the response cleanly, after an optional last frame. */
  end(reason: TCloseReason, lastFrame?: string): void {
    if (this.closed) return;
    if (lastFrame !== undefined) this.response.write(lastFrame);
    this.response.end();
    this.finish(reason);
  }

  /** Closes the connection without flushing what is queued (the client cannot keep up). */
  drop(reason: TCloseReason): void {
    if (this.closed) return;
    this.finish(reason);
    this.response.destroy();
  }

  /** Resolves once the response has closed (flushed or destroyed). */
  whenClosed(): Promise<void> {
    if (this.response.closed) return Promise.resolve();
    return new Promise((resolve) => this.response.once('close', () => resolve()));
  }

  forceClose(): void {
    this.response.destroy();
  }

  private finish(reason: TCloseReason): void {
    if (this.closed) return;
    this.closed = true;
    this.pending = null;
    this.onClosed(this, reason);
  }
}

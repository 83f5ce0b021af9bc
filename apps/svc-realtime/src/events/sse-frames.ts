import type { TRealtimeEnvelope } from '@elasticdash/contracts/realtime/event';

/**
 * The `text/event-stream` lines this service writes. Data is always one line of JSON
 * (JSON.stringify never emits a raw newline), so a frame cannot be split or injected into.
 */

/** Reconnection delay EventSource-style clients are asked to wait. */
export const RETRY_MS = 3_000;

/** Control events next to the `ZRealtimeEvent` types. */
export type TControlEvent = 'reset' | 'shutdown';

/** Why the server sent `event: reset`: the client must refetch everything instead of replaying. */
export type TResetReason = 'history_trimmed' | 'unknown_event_id';

export function preambleFrame(): string {
  return `retry: ${RETRY_MS}\n: connected\n\n`;
}

export const HEARTBEAT_FRAME = ': hb\n\n';

export function eventFrame(envelope: TRealtimeEnvelope): string {
  return `id: ${envelope.id}\nevent: ${envelope.event.type}\ndata: ${JSON.stringify(envelope)}\n\n`;
}

/**
 * `event: reset` carries the newest id of the tenant's stream (or an empty id, which clears the
 * client's Last-Event-ID), so the next reconnect does not ask for the same lost range again.
 */
export function resetFrame(reason: TResetReason, latestId: string | null): string {
  return `id: ${latestId ?? ''}\nevent: reset\ndata: ${JSON.stringify({ reason })}\n\n`;
}

export function shutdownFrame(): string {
  return `event: shutdown\ndata: ${JSON.stringify({ reason: 'server_shutdown', retryMs: RETRY_MS })}\n\n`;
}

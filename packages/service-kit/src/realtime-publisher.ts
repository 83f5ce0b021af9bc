import {
  RealtimeRedis,
  ZRealtimeEnvelope,
  type TRealtimeEnvelope,
  type TRealtimeEvent,
} from '@elasticdash/contracts/realtime/event';
import type { Redis } from 'ioredis';

/**
 * Appends to the tenant's replay stream and publishes on the fan-out channel in one atomic
 * script, so a client that reconnects with Last-Event-ID can never miss an event that was
 * published live. The stream entry holds the envelope with a placeholder id; readers take the
 * entry id instead (see `envelopeFromStreamEntry`).
 */
const PUBLISH_SCRIPT = `
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'e', ARGV[2])
local envelope = string.gsub(ARGV[2], '"id":"0%-0"', '"id":"' .. id .. '"', 1)
redis.call('PUBLISH', ARGV[3], envelope)
return id
`;

export interface RealtimePublisher {
  /** Returns the event id (the Redis stream id). */
  publish(tenantId: string, event: TRealtimeEvent, requestId?: string | null): Promise<string>;
}

export function createRealtimePublisher(redis: Redis): RealtimePublisher {
  return {
    async publish(tenantId, event, requestId = null) {
      // `id` first so the script's substitution always hits the envelope's own id.
      const envelope: TRealtimeEnvelope = { id: '0-0', tenantId, at: new Date().toISOString(), requestId, event };
      return (await redis.eval(
        PUBLISH_SCRIPT,
        1,
        RealtimeRedis.streamKey(tenantId),
        String(RealtimeRedis.streamMaxLen),
        JSON.stringify(envelope),
        RealtimeRedis.channel,
      )) as string;
    },
  };
}

/** Rebuilds the envelope of a replayed stream entry (`XRANGE` answer item). */
export function envelopeFromStreamEntry(entryId: string, fields: string[]): TRealtimeEnvelope | null {
  const index = fields.indexOf('e');
  const raw = index >= 0 ? fields[index + 1] : undefined;
  if (raw === undefined) return null;
  let stored: unknown;
  try {
    stored = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof stored !== 'object' || stored === null) return null;
  const parsed = ZRealtimeEnvelope.safeParse({ ...stored, id: entryId });
  return parsed.success ? parsed.data : null;
}

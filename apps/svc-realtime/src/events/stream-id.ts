/**
 * Redis stream ids (`<ms>-<seq>`, both unsigned 64-bit) as one comparable bigint, so ordering
 * and de-duplication are plain integer comparisons on the fan-out path.
 */
const SEQ_BITS = 64n;
const U64_MAX = (1n << 64n) - 1n;
const STREAM_ID = /^(\d{1,20})-(\d{1,20})$/;

/** The sortable key of a stream id, or null when it is not a valid stream id. */
export function streamIdKey(id: string): bigint | null {
  const match = STREAM_ID.exec(id);
  if (!match?.[1] || !match[2]) return null;
  const ms = BigInt(match[1]);
  const seq = BigInt(match[2]);
  if (ms > U64_MAX || seq > U64_MAX) return null;
  return (ms << SEQ_BITS) | seq;
}

/** The canonical `<ms>-<seq>` form of a key (no leading zeros). */
export function streamIdOf(key: bigint): string {
  return `${key >> SEQ_BITS}-${key & U64_MAX}`;
}

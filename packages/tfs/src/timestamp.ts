/**
 * Nanos timestamps are unsigned 64-bit fixed point: seconds in the high 32 bits, the fraction
 * of a second in the low 32.
 */
export type Timestamp = bigint;

/** A `Date` (or milliseconds since the epoch) as a Nanos timestamp. */
export function toTimestamp(time: Date | number): Timestamp {
  const ms = typeof time === "number" ? time : time.getTime();
  const clamped = Math.max(0, ms);
  const seconds = Math.floor(clamped / 1000);
  const fraction = Math.round(((clamped - seconds * 1000) / 1000) * 2 ** 32);
  return (BigInt(seconds) << 32n) + BigInt(Math.min(fraction, 2 ** 32 - 1));
}

/** Milliseconds since the epoch of a Nanos timestamp. */
export function timestampToMs(t: Timestamp): number {
  return Number(t >> 32n) * 1000 + (Number(t & 0xffffffffn) / 2 ** 32) * 1000;
}

/** The largest varint the log reader accepts: sector numbers and lengths stay below 2^53. */
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/**
 * Reads a TFS varint (big-endian base-128, bit 7 = more) at `bytes[pos]`, not past `end`.
 * Returns the value and the position after it, or a string saying what is wrong.
 */
export function readVarint(bytes: Uint8Array, pos: number, end: number): { value: number; next: number } | string {
  let value = 0;
  for (let i = pos; i < end; i++) {
    const b = bytes[i]!;
    value = value * 128 + (b & 0x7f);
    if (value > MAX_SAFE) return "varint too large";
    if ((b & 0x80) === 0) return { value, next: i + 1 };
  }
  return "truncated varint";
}

/** Appends the minimal TFS varint of a non-negative safe integer to `out`. */
export function pushVarint(out: number[], value: number): void {
  let groups = 1;
  while (value >= 128 ** groups) groups++;
  for (let g = groups - 1; g >= 0; g--) {
    const part = Math.floor(value / 128 ** g) % 128;
    out.push(g > 0 ? part | 0x80 : part);
  }
}

// 64-bit shifts on the CPU's representation of a quadword, two int32 halves, without bigint
// (shifts and rotates are hot in compiled C: bignum printf, hashing, bitsets). Results go to
// PAIR (lo, hi) so nothing is allocated; read them before the next call.

/** The result of the last pair operation: [lo, hi] as int32. */
export const PAIR = new Int32Array(2);

/** (lo, hi) << count, for count 0–64 (64 gives 0). */
export function shl64(lo: number, hi: number, count: number): void {
  if (count === 0) {
    PAIR[0] = lo;
    PAIR[1] = hi;
  } else if (count < 32) {
    PAIR[0] = lo << count;
    PAIR[1] = (hi << count) | (lo >>> (32 - count));
  } else if (count < 64) {
    PAIR[0] = 0;
    PAIR[1] = lo << (count - 32);
  } else {
    PAIR[0] = 0;
    PAIR[1] = 0;
  }
}

/** (lo, hi) >> count, logical (zeros in) or arithmetic (sign in), for count 0–64. */
export function shr64(lo: number, hi: number, count: number, arithmetic = false): void {
  const fill = arithmetic ? hi >> 31 : 0;
  if (count === 0) {
    PAIR[0] = lo;
    PAIR[1] = hi;
  } else if (count < 32) {
    PAIR[0] = (lo >>> count) | (hi << (32 - count));
    PAIR[1] = arithmetic ? hi >> count : hi >>> count;
  } else if (count < 64) {
    PAIR[0] = arithmetic ? hi >> (count - 32) : hi >>> (count - 32);
    PAIR[1] = fill;
  } else {
    PAIR[0] = fill;
    PAIR[1] = fill;
  }
}

/** Bit `n` (0–63) of (lo, hi). */
export function bit64(lo: number, hi: number, n: number): number {
  return n < 32 ? (lo >>> n) & 1 : (hi >>> (n - 32)) & 1;
}

/** Keeps the low `bits` (8, 16, 32 or 64) of PAIR. */
export function maskPair(bits: number): void {
  if (bits === 64) return;
  PAIR[1] = 0;
  if (bits < 32) PAIR[0] = PAIR[0]! & ((1 << bits) - 1);
}

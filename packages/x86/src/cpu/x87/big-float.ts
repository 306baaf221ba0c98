// A small binary floating-point type on bigints, for the transcendental instructions: about
// 120 significant bits, so one final rounding to 64 bits is right except in the hardest cases.
import { bitLength } from "./f80-round.js";

/** A value `m × 2^e` (m signed). */
export interface BigFloat {
  m: bigint;
  e: number;
}

/** Significant bits kept. */
const PRECISION = 120;

/** Truncates to {@link PRECISION} bits. */
function norm(m: bigint, e: number): BigFloat {
  const len = bitLength(m < 0n ? -m : m);
  if (len <= PRECISION) return { m, e };
  const s = len - PRECISION;
  return { m: m / (1n << BigInt(s)), e: e + s };
}

/** Exponent of the leading bit (−Infinity for zero). */
export function topOf(x: BigFloat): number {
  return x.m === 0n ? -Infinity : x.e + bitLength(x.m < 0n ? -x.m : x.m) - 1;
}

/** `m × 2^e`, normalised. */
export function big(m: bigint, e = 0): BigFloat {
  return norm(m, e);
}

/** `a × b`. */
export function bfMul(a: BigFloat, b: BigFloat): BigFloat {
  return norm(a.m * b.m, a.e + b.e);
}

/** `a + b`. */
export function bfAdd(a: BigFloat, b: BigFloat): BigFloat {
  if (a.m === 0n) return b;
  if (b.m === 0n) return a;
  // An addend far below the other's precision changes nothing that is kept.
  if (topOf(b) < topOf(a) - PRECISION - 2) return a;
  if (topOf(a) < topOf(b) - PRECISION - 2) return b;
  const e = Math.min(a.e, b.e);
  return norm((a.m << BigInt(a.e - e)) + (b.m << BigInt(b.e - e)), e);
}

/** `a − b`. */
export function bfSub(a: BigFloat, b: BigFloat): BigFloat {
  return bfAdd(a, { m: -b.m, e: b.e });
}

/** `a / b` (b ≠ 0). */
export function bfDiv(a: BigFloat, b: BigFloat): BigFloat {
  const k = PRECISION + bitLength(b.m < 0n ? -b.m : b.m) - bitLength(a.m < 0n ? -a.m : a.m) + 2;
  const shift = Math.max(k, 0);
  return norm((a.m << BigInt(shift)) / b.m, a.e - b.e - shift);
}

/** Division by a small positive integer. */
export function bfDivInt(a: BigFloat, n: number): BigFloat {
  return bfDiv(a, { m: BigInt(n), e: 0 });
}

/** √a for a ≥ 0. */
export function bfSqrt(a: BigFloat, isqrt: (n: bigint) => bigint): BigFloat {
  let k = 2 * PRECISION + 4 - bitLength(a.m);
  if ((a.e - k) & 1) k++;
  const m = k >= 0 ? a.m << BigInt(k) : a.m >> BigInt(-k);
  return norm(isqrt(m), (a.e - k) / 2);
}

/** Sums a series whose terms come from `next(term, k)` starting at `first`, until they stop mattering. */
export function series(first: BigFloat, next: (term: BigFloat, k: number) => BigFloat): BigFloat {
  let sum = first;
  let term = first;
  for (let k = 1; k < 400; k++) {
    term = next(term, k);
    if (term.m === 0n || topOf(term) < topOf(sum) - PRECISION - 4) break;
    sum = bfAdd(sum, term);
  }
  return sum;
}

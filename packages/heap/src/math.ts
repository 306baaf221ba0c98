// Integer helpers on plain numbers (exact below 2^53; Math.floor instead of bit ops above 2^31).

/** True when `n` is a positive integral power of two. */
export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 0 && 2 ** Math.round(Math.log2(n)) === n;
}

/** Ceiling of log2(n); 0 for n ≤ 1 or NaN, Infinity for Infinity (Nanos `find_order`). */
export function findOrder(n: number): number {
  if (!(n > 1)) return 0;
  if (n === Infinity) return Infinity;
  let order = Math.ceil(Math.log2(n));
  // log2 rounding can be off by one near exact powers of two.
  while (2 ** order < n) order++;
  while (order > 0 && 2 ** (order - 1) >= n) order--;
  return order;
}

/** `x` rounded up to a multiple of `align` (any positive integer); `pad(0, s)` is 0. */
export function pad(x: number, align: number): number {
  return Math.ceil(x / align) * align;
}

/** `x` rounded down to a multiple of `align`. */
export function truncate(x: number, align: number): number {
  return Math.floor(x / align) * align;
}

/** True when `x` is a non-negative safe integer. */
export function isCount(x: number): boolean {
  return Number.isSafeInteger(x) && x >= 0;
}

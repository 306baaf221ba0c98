// GNU ld's bucket counts: primes near powers of two, the largest one not above the symbol
// count (at least 1), so chains stay about one symbol long.
const SIZES = [1, 3, 17, 37, 67, 97, 131, 197, 263, 521, 1031, 2053, 4099, 8209, 16411, 32771];

/** Number of hash buckets GNU ld gives a table of `symbols` hashed symbols. */
export function bucketCount(symbols: number): number {
  let best = 1;
  for (const size of SIZES) {
    if (size > symbols) break;
    best = size;
  }
  return best;
}

// The two hash functions that ELF dynamic symbol tables are indexed by.

/**
 * The System V ELF hash (gABI, "Hash Table"): the key of DT_HASH buckets and of
 * `vd_hash` in version definitions. Bytes are taken as UTF-8.
 *
 * @example
 * ```ts
 * elfHash("LINUX_2.6"); // 0x3ae75f6, the value glibc and Go compare vd_hash with
 * ```
 */
export function elfHash(name: string): number {
  let h = 0;
  for (const byte of new TextEncoder().encode(name)) {
    h = ((h << 4) + byte) >>> 0;
    const high = h & 0xf0000000;
    // Fold the top nibble back in, then clear it, so the hash never exceeds 28 bits.
    if (high !== 0) h = (h ^ (high >>> 24)) & 0x0fffffff;
  }
  return h >>> 0;
}

/**
 * The GNU hash (Bernstein's `h * 33 + c`, seeded with 5381, modulo 2^32): the key of
 * DT_GNU_HASH buckets, bloom filter and chains. Bytes are taken as UTF-8.
 */
export function gnuHash(name: string): number {
  let h = 5381;
  for (const byte of new TextEncoder().encode(name)) h = (Math.imul(h, 33) + byte) >>> 0;
  return h;
}

import { bucketCount } from "./bucket-count.js";
import { gnuHash } from "./symbol-hash.js";

/** A DT_GNU_HASH table and the order the hashed symbols must take in the symbol table. */
export interface GnuHashTable {
  /**
   * `order[k]` is the index in the input `names` of the symbol that goes to symbol table
   * entry `symoffset + k`: the table requires the symbols of one bucket to be contiguous,
   * buckets in increasing order.
   */
  readonly order: readonly number[];
  /** The section bytes: header, 64-bit bloom words, buckets, hash chain. */
  readonly bytes: Uint8Array;
}

/** log2 of the bloom filter's size in bits, as GNU ld sizes it for ELF64. */
function bloomBitsLog2(symbols: number): number {
  const log2 = symbols === 0 ? 0 : Math.floor(Math.log2(symbols));
  let bits = log2 + 1;
  if (bits < 3) bits = 5;
  else if ((symbols & (1 << (bits - 2))) !== 0) bits += 3;
  else bits += 2;
  return Math.max(bits, 6);
}

/**
 * Builds the DT_GNU_HASH table of symbols `names`, which will sit at symbol table entries
 * `symoffset` onward (the entries before, such as the null symbol, are not hashed).
 *
 * Layout: `nbuckets`, `symoffset`, `bloomWords`, `bloomShift` (32-bit), `bloom[bloomWords]`
 * (64-bit), `buckets[nbuckets]` (first symbol index of each bucket, 0 when empty), then one
 * 32-bit word per symbol: its hash with bit 0 replaced by "last of its bucket".
 */
export function buildGnuHashTable(names: readonly string[], symoffset: number): GnuHashTable {
  // GNU ld gives a GNU hash table at least two buckets.
  const nbuckets = Math.max(2, bucketCount(names.length));
  const hashes = names.map(gnuHash);
  const order = names.map((_, i) => i).sort((a, b) => (hashes[a] as number) % nbuckets - (hashes[b] as number) % nbuckets || a - b);

  const bitsLog2 = bloomBitsLog2(names.length);
  const bloomWords = 1 << (bitsLog2 - 6);
  const bloomShift = bitsLog2;
  const bloomAt = 16;
  const bucketsAt = bloomAt + 8 * bloomWords;
  const chainAt = bucketsAt + 4 * nbuckets;
  const bytes = new Uint8Array(chainAt + 4 * names.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, nbuckets, true);
  view.setUint32(4, symoffset, true);
  view.setUint32(8, bloomWords, true);
  view.setUint32(12, bloomShift, true);

  const setBloomBit = (word: number, bit: number): void => {
    const at = bloomAt + 8 * word + (bit >= 32 ? 4 : 0);
    view.setUint32(at, (view.getUint32(at, true) | (1 << (bit & 31))) >>> 0, true);
  };
  order.forEach((nameIndex, k) => {
    const h = hashes[nameIndex] as number;
    const bucket = h % nbuckets;
    setBloomBit((h >>> 6) & (bloomWords - 1), h & 63);
    setBloomBit((h >>> 6) & (bloomWords - 1), (h >>> bloomShift) & 63);
    if (view.getUint32(bucketsAt + 4 * bucket, true) === 0) view.setUint32(bucketsAt + 4 * bucket, symoffset + k, true);
    const next = order[k + 1];
    const last = next === undefined || (hashes[next] as number) % nbuckets !== bucket;
    view.setUint32(chainAt + 4 * k, last ? (h | 1) >>> 0 : (h & ~1) >>> 0, true);
  });
  return { order, bytes };
}

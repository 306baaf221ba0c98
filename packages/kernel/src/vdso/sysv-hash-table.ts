import { bucketCount } from "./bucket-count.js";
import { elfHash } from "./symbol-hash.js";

/**
 * The DT_HASH table of a dynamic symbol table whose entry `i` is named `names[i]` (entry 0,
 * the null symbol, is never entered): `nbucket`, `nchain`, `bucket[nbucket]`, `chain[nchain]`,
 * all 32-bit little-endian. `nchain` equals the number of symbols, which musl and the Linux
 * vDSO parser also read as the size of the symbol table.
 */
export function buildSysvHashTable(names: readonly string[]): Uint8Array {
  const nbucket = bucketCount(Math.max(0, names.length - 1));
  const nchain = names.length;
  const bytes = new Uint8Array(4 * (2 + nbucket + nchain));
  const view = new DataView(bytes.buffer);
  const bucketAt = (b: number): number => 4 * (2 + b);
  const chainAt = (i: number): number => 4 * (2 + nbucket + i);
  view.setUint32(0, nbucket, true);
  view.setUint32(4, nchain, true);
  for (let i = 1; i < names.length; i++) {
    const b = elfHash(names[i] as string) % nbucket;
    // Push symbol i on the front of its bucket's chain; chain index 0 ends a chain.
    view.setUint32(chainAt(i), view.getUint32(bucketAt(b), true), true);
    view.setUint32(bucketAt(b), i, true);
  }
  return bytes;
}

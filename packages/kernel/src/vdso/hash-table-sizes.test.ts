import { describe, expect, it } from "vitest";
import { buildGnuHashTable } from "./gnu-hash-table.js";
import { buildSysvHashTable } from "./sysv-hash-table.js";

/**
 * What GNU ld 2.40 (`gcc -shared -Wl,--hash-style=both` with a version script) wrote for a
 * shared object of `symbols` hashed symbols: DT_HASH nbucket, and the DT_GNU_HASH header
 * (nbuckets, bloom words, bloom shift). Recorded from readelf dumps of real links.
 */
const GNU_LD: [symbols: number, sysvBuckets: number, gnuBuckets: number, bloomWords: number, bloomShift: number][] = [
  [2, 1, 2, 1, 6],
  [3, 3, 3, 1, 6],
  [4, 3, 3, 1, 6],
  [6, 3, 3, 1, 6],
  [11, 3, 3, 1, 6],
  [12, 3, 3, 2, 7],
  [17, 17, 17, 2, 7],
  [18, 17, 17, 2, 7],
  [41, 37, 37, 4, 8],
  [101, 97, 97, 16, 10],
  [301, 263, 263, 32, 11],
  [1001, 521, 521, 128, 13],
];

const names = (n: number): string[] => Array.from({ length: n }, (_, i) => `f${i}`);
const header = (bytes: Uint8Array, words: number): number[] => Array.from({ length: words }, (_, i) => new DataView(bytes.buffer).getUint32(4 * i, true));

describe("hash table sizes", () => {
  it("are the ones GNU ld chooses for the same number of symbols", () => {
    for (const [symbols, sysvBuckets, gnuBuckets, bloomWords, bloomShift] of GNU_LD) {
      // DT_HASH covers the null symbol too; DT_GNU_HASH starts after it.
      expect(header(buildSysvHashTable(["", ...names(symbols)]), 2)).toEqual([sysvBuckets, symbols + 1]);
      expect(header(buildGnuHashTable(names(symbols), 1).bytes, 4)).toEqual([gnuBuckets, 1, bloomWords, bloomShift]);
    }
  });

  it("have room for every part: header, bloom words, buckets, one chain word per symbol", () => {
    for (const [symbols, sysvBuckets, gnuBuckets, bloomWords] of GNU_LD) {
      expect(buildSysvHashTable(["", ...names(symbols)]).length).toBe(4 * (2 + sysvBuckets + symbols + 1));
      expect(buildGnuHashTable(names(symbols), 1).bytes.length).toBe(16 + 8 * bloomWords + 4 * gnuBuckets + 4 * symbols);
    }
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { INVALID } from "./constants.js";
import { PageHeap } from "./page-heap.js";

const P = 1;

/** Total pages a fresh heap hands out at one page per request. */
function capacity(heap: PageHeap): number[] {
  const got: number[] = [];
  for (let a = heap.alloc(P); a !== INVALID; a = heap.alloc(P)) got.push(a);
  return got;
}

describe("PageHeap buddy model", () => {
  it("aligned, disjoint, exact accounting; any free partition restores the full capacity", () => {
    fc.assert(
      fc.property(
        fc.nat(40),
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 0, max: 4 }),
        fc.array(fc.integer({ min: 1, max: 16 }), { maxLength: 40 }),
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 20 }),
        (start, length, maxOrder, sizes, cuts) => {
          const heap = new PageHeap({ pagesize: P, maxPageSize: 2 ** maxOrder });
          heap.addRange(start, length);
          const blocks: Array<[number, number]> = [];
          const owner = new Map<number, number>();
          for (const n of sizes) {
            const a = heap.alloc(n);
            if (a === INVALID) continue;
            expect(n).toBeLessThanOrEqual(2 ** maxOrder);
            expect(a % 2 ** Math.ceil(Math.log2(n))).toBe(0);
            for (let p = a; p < a + n; p++) {
              expect(owner.has(p)).toBe(false);
              expect(p >= start && p < start + length).toBe(true);
              owner.set(p, a);
            }
            blocks.push([a, n]);
          }
          expect(heap.allocated()).toBe(owner.size);
          // Free every block in arbitrary pieces.
          let c = 0;
          for (const [a, n] of blocks) {
            for (let off = 0; off < n; ) {
              const piece = Math.min(cuts[c++ % cuts.length]!, n - off);
              expect(heap.dealloc(a + off, piece)).toBe(true);
              off += piece;
            }
          }
          expect(heap.allocated()).toBe(0);
          const all = capacity(heap);
          expect(all.length).toBe(length);
          expect(new Set(all).size).toBe(length);
          for (const a of all) heap.dealloc(a, P);
          // Merging restored the largest blocks: a max-size fill finds every aligned max block.
          let big = 0;
          while (heap.alloc(2 ** maxOrder) !== INVALID) big++;
          let aligned = 0;
          for (let b = Math.ceil(start / 2 ** maxOrder) * 2 ** maxOrder; b + 2 ** maxOrder <= start + length; b += 2 ** maxOrder) aligned++;
          expect(big).toBe(aligned);
        },
      ),
      { numRuns: 200 },
    );
  });
});

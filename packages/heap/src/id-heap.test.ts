import { describe, expect, it } from "vitest";
import { INVALID } from "./constants.js";
import type { Heap } from "./heap.js";
import { IdHeap } from "./id-heap.js";
import { pad } from "./math.js";

const PAGESIZE = 4096;

/** A parent handing out four fixed blocks, like the upstream test's `rangeheap`. */
function rangeHeap(pagesize: number, bases: number[]): Heap & { handedOut: number } {
  let next = 0;
  return {
    pagesize,
    handedOut: 0,
    alloc(bytes: number) {
      expect(bytes).toBe(pagesize);
      const base = bases[next];
      if (base === undefined) return INVALID;
      next++;
      this.handedOut++;
      return base;
    },
    dealloc: () => true,
    allocated: () => INVALID,
    total: () => INVALID,
    management: () => ({ type: "range", pagesize, allocated: INVALID, total: INVALID, free: INVALID }),
    destroy: () => {},
  };
}

describe("IdHeap (id_heap_test)", () => {
  it("basic: every size 2^k fills a 64 KiB heap with consecutive addresses, for page sizes 2^0..2^12", () => {
    const base = 0x10000;
    const length = 1 << 16;
    for (let pageOrder = 0; pageOrder <= 12; pageOrder++) {
      const pagesize = 2 ** pageOrder;
      const pages = length / pagesize;
      const heap = IdHeap.create(base, length, { pagesize });
      for (let allocOrder = 0; allocOrder <= 16 - pageOrder; allocOrder++) {
        const n = 2 ** allocOrder;
        for (let i = 0; i < pages; i += n) expect(heap.alloc(pagesize * n)).toBe(base + i * pagesize);
        expect(heap.alloc(pagesize)).toBe(INVALID);
        for (let i = 0; i < pages; i += n) expect(heap.dealloc(base + i * pagesize, pagesize * n)).toBe(true);
      }
      expect(heap.allocated()).toBe(0);
    }
  });

  it("random backed: 64 random sizes, 100 churn passes, no overlap, allocated returns to 0", () => {
    let seed = 12345;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let pageOrder = 0; pageOrder <= 12; pageOrder++) {
      const pagesize = 2 ** pageOrder;
      const parentPage = (2 ** (12 + 8) * 64) / 4;
      const parent = rangeHeap(parentPage, [0x100000000, 0x200000000, 0x300000000, 0x400000000]);
      const heap = new IdHeap({ pagesize, parent });
      const sizes = Array.from({ length: 64 }, () => ((rand() & 255) || 1) * pagesize);
      const results = new Array<number>(64).fill(0);
      for (let churn = 100; churn >= 0; churn--) {
        const start = rand() % 64;
        for (let i = 0; i < 64; i++) {
          const o = (i + start) % 64;
          if (results[o] !== 0) continue;
          results[o] = heap.alloc(sizes[o]!);
          expect(results[o]).not.toBe(INVALID);
        }
        const live = results.map((a, i) => [a, a + sizes[i]!] as const).sort((x, y) => x[0] - y[0]);
        for (let i = 1; i < live.length; i++) expect(live[i]![0]).toBeGreaterThanOrEqual(live[i - 1]![1]);
        for (let i = 0; i < 64; i++) {
          if (churn > 0 && rand() & 1) continue;
          if (results[i] !== 0) {
            expect(heap.dealloc(results[i]!, sizes[i]!)).toBe(true);
            results[i] = 0;
          }
        }
      }
      expect(heap.allocated()).toBe(0);
      expect(parent.handedOut).toBeGreaterThan(0);
    }
  });

  it("allocGte returns exactly the requested id ascending and descending, then fills 512 ids", () => {
    const max = 512;
    const heap = IdHeap.create(0, max);
    expect(heap.allocGte(1, max)).toBe(INVALID);
    for (let id = 0; id < max; id++) expect(heap.allocGte(1, id)).toBe(id);
    for (let id = 0; id < max; id++) heap.dealloc(id, 1);
    for (let id = max - 1; id >= 0; id--) expect(heap.allocGte(1, id)).toBe(id);
    for (let id = 0; id < max; id++) heap.dealloc(id, 1);
    let count = 0;
    while (heap.allocGte(1, 0) !== INVALID) count++;
    expect(count).toBe(max);
    for (let id = max - 1; id >= 0; id--) heap.dealloc(id, 1);
    expect(heap.allocated()).toBe(0);
  });

  it("allocGte on a heap [1, 2) returns 1", () => {
    const heap = IdHeap.create(1, 1);
    expect(heap.allocGte(1, 0)).toBe(1);
    expect(heap.allocGte(1, 0)).toBe(INVALID);
  });

  it("allocSubrange: rejects disjoint and unaligned windows, rounds windows inwards, aligns 3-page blocks to 4", () => {
    const min = 8 * PAGESIZE;
    const length = 16 * PAGESIZE;
    const end0 = min + length;
    const heap = IdHeap.create(min, length, { pagesize: PAGESIZE });
    expect(heap.allocSubrange(PAGESIZE, 0, min)).toBe(INVALID);
    expect(heap.allocSubrange(1, end0 - PAGESIZE + 1, end0 + PAGESIZE)).toBe(INVALID);
    expect(heap.allocSubrange(PAGESIZE, min + PAGESIZE + 1, min + 2 * PAGESIZE + 1)).toBe(INVALID);

    let remaining = 16;
    let start = min + 1;
    let end = min + 4 * PAGESIZE + 1;
    let expected = min + PAGESIZE;
    for (let i = 0; i < 3; i++, expected += PAGESIZE, remaining--) expect(heap.allocSubrange(1, start, end)).toBe(expected);
    expect(heap.allocSubrange(1, start, end)).toBe(INVALID);

    const allocs = (16 - 4) / 4;
    start = end - 1;
    expected = pad(start, 4 * PAGESIZE);
    end = expected + (allocs - 1) * 4 * PAGESIZE + 3 * PAGESIZE;
    for (let i = 0; i < allocs; i++, expected += 4 * PAGESIZE, remaining -= 3) {
      expect(heap.allocSubrange(3 * PAGESIZE, start, end)).toBe(expected);
    }
    expect(heap.allocSubrange(3 * PAGESIZE, start, end)).toBe(INVALID);
    expect(remaining).toBe(allocs + 1);

    // The remainder pages, as upstream computes them: next fit fills the gap after each 3-page
    // block (start + 3 pages + i * 4 pages), then wraps to the skipped first page.
    const got: number[] = [];
    for (let i = 0; i < remaining; i++) got.push(heap.alloc(PAGESIZE));
    const gaps = Array.from({ length: allocs }, (_, i) => start + 3 * PAGESIZE + i * 4 * PAGESIZE);
    expect(got).toEqual([...gaps, 8 * PAGESIZE]);
    expect(heap.alloc(PAGESIZE)).toBe(INVALID);
  });

  it("alignment is absolute: a heap at 0x12345 with 1-byte pages returns pad(base, 2^k)", () => {
    const base = 0x12345;
    for (let k = 0; k < 16; k++) {
      const heap = IdHeap.create(base, 1 << 17);
      expect(heap.alloc(2 ** k)).toBe(pad(base, 2 ** k));
    }
  });
});

import { describe, expect, it } from "vitest";
import { INVALID } from "./constants.js";
import { findOrder } from "./math.js";
import { PageHeap } from "./page-heap.js";

const PAGE = 4096;
const MAX = 2 * 1024 * 1024;

function lowestBit(n: number): number {
  return n & -n;
}

/** Upstream ph_test_range: fill with each size, free, refill the same amount, compare fill strategies. */
function exerciseRange(start: number, end: number, maxPageSize: number): number {
  const heap = new PageHeap({ pagesize: PAGE, maxPageSize });
  expect(heap.addRange(start, end - start)).toBe(true);
  expect(heap.addRange(start, PAGE)).toBe(false);
  let lastAllocated = 0;
  let maxAllocated = 0;
  for (let size = PAGE; size <= maxPageSize * 2; size *= 2) {
    const mask = Math.max(size, maxPageSize) - 1;
    const addrs: number[] = [];
    for (let p = heap.alloc(size); p !== INVALID; p = heap.alloc(size)) {
      expect(p).toBeGreaterThanOrEqual(start);
      expect(p + size).toBeLessThanOrEqual(end);
      // Aligned to the block size (the upstream mask also covers maxPageSize when the range allows).
      expect(p % Math.min(size, mask + 1)).toBe(0);
      addrs.push(p);
    }
    const allocated = addrs.length * size;
    expect(heap.allocated()).toBe(allocated);
    if (lastAllocated !== 0) expect(allocated).toBeLessThanOrEqual(lastAllocated);
    lastAllocated = allocated;
    maxAllocated = Math.max(maxAllocated, allocated);
    for (let i = addrs.length - 1; i >= 0; i--) expect(heap.dealloc(addrs[i]!, size)).toBe(true);
    expect(heap.allocated()).toBe(0);
    let again = 0;
    const refill: number[] = [];
    for (let p = heap.alloc(size); p !== INVALID; p = heap.alloc(size)) refill.push(p), (again += size);
    expect(again).toBe(allocated);
    for (const p of refill) heap.dealloc(p, size);
    expect(heap.allocated()).toBe(0);
  }
  // Largest-first fill and smallest-only fill reach the same total.
  const blocks: Array<[number, number]> = [];
  let largestFirst = 0;
  for (let size = maxPageSize; size >= PAGE; size /= 2) {
    for (let p = heap.alloc(size); p !== INVALID; p = heap.alloc(size)) blocks.push([p, size]), (largestFirst += size);
  }
  expect(largestFirst).toBeGreaterThanOrEqual(maxAllocated);
  for (const [p, size] of blocks) heap.dealloc(p, size);
  let smallest = 0;
  while (heap.alloc(PAGE) !== INVALID) smallest += PAGE;
  expect(smallest).toBe(largestFirst);
  return largestFirst;
}

describe("PageHeap (pageheap_test)", () => {
  it("basic: ranges of growing length and start, every max page size", () => {
    for (const maxPageSize of [PAGE, 16 * PAGE, MAX]) {
      for (let start = 0; start <= maxPageSize; start = start === 0 ? PAGE : start * 2) {
        let previous = 0;
        for (let end = start + PAGE; end <= 8 * 1024 * 1024; end *= 2) {
          const got = exerciseRange(start, end, maxPageSize);
          expect(got).toBeGreaterThanOrEqual(previous);
          previous = got;
        }
      }
    }
  });

  it("MRU: re-allocation returns blocks in reverse order of the frees; the same area serves every size", () => {
    const heap = new PageHeap({ pagesize: PAGE, maxPageSize: MAX });
    expect(heap.addRange(0, 3 * MAX)).toBe(true);
    for (let size = PAGE; size <= MAX; size *= 2) {
      const addrs: number[] = [];
      for (let p = heap.alloc(size); p !== INVALID && addrs.length < 2048; p = heap.alloc(size)) addrs.push(p);
      expect(addrs.length).toBeGreaterThanOrEqual(2);
      for (let i = addrs.length - 1; i >= 0; i--) heap.dealloc(addrs[i]!, size);
      const again: number[] = [];
      for (let p = heap.alloc(size); p !== INVALID; p = heap.alloc(size)) again.push(p);
      expect(again).toEqual(addrs);
      for (const p of again) heap.dealloc(p, size);
    }
    let unalignedBase = 0;
    let unalignedLength = 0;
    let p: number;
    for (;;) {
      p = heap.alloc(PAGE);
      if (p % MAX === 0) {
        heap.dealloc(p, PAGE);
        break;
      }
      if (unalignedLength === 0) unalignedBase = p;
      unalignedLength += PAGE;
    }
    for (let size = MAX; size >= PAGE; size /= 2) {
      const count = MAX / size;
      for (let i = 0; i < count; i++) expect(heap.alloc(size)).toBe(p + i * size);
      for (let i = count - 1; i >= 0; i--) heap.dealloc(p + i * size, size);
    }
    for (let size = 2 * PAGE; size <= MAX; size *= 2) {
      const count = MAX / size;
      for (let i = 0; i < count; i++) expect(heap.alloc(size)).toBe(p + i * size);
      for (let i = count - 1; i >= 0; i--) heap.dealloc(p + i * size, size);
    }
    if (unalignedLength !== 0) expect(heap.dealloc(unalignedBase, unalignedLength)).toBe(true);
    expect(heap.allocated()).toBe(0);
  });

  it("multipage: a non-power-of-two allocation leaves its tail allocatable at once", () => {
    const heap = new PageHeap({ pagesize: PAGE, maxPageSize: MAX });
    heap.addRange(0, 2 * MAX);
    for (let size = 3 * PAGE; size < MAX; size += PAGE) {
      const totalSize = 2 ** findOrder(size);
      if (size === totalSize) continue;
      const base = heap.alloc(size);
      expect(heap.allocated()).toBe(size);
      for (let offset = size; offset < totalSize; offset += lowestBit(offset)) {
        expect(heap.alloc(lowestBit(offset))).toBe(base + offset);
      }
      expect(heap.dealloc(base, totalSize)).toBe(true);
      expect(heap.allocated()).toBe(0);
    }
  });

  it("multipage: a max-size block can be freed in arbitrary page-granular pieces", () => {
    const heap = new PageHeap({ pagesize: PAGE, maxPageSize: MAX });
    heap.addRange(0, 2 * MAX);
    let base = 0;
    for (let boundary = PAGE; boundary < MAX; boundary += 7 * PAGE) {
      base = heap.alloc(MAX);
      heap.dealloc(base, boundary);
      expect(heap.allocated()).toBe(MAX - boundary);
      heap.dealloc(base + boundary, MAX - boundary);
      expect(heap.allocated()).toBe(0);
    }
    for (let offset = 0; offset < MAX; offset += 5 * PAGE) {
      expect(heap.alloc(MAX)).toBe(base);
      heap.dealloc(base + offset, PAGE);
      expect(heap.allocated()).toBe(MAX - PAGE);
      if (offset > 0) heap.dealloc(base, offset);
      if (offset + PAGE < MAX) heap.dealloc(base + offset + PAGE, MAX - offset - PAGE);
      expect(heap.allocated()).toBe(0);
    }
  });

  it("reports and leaks invalid frees; rejects sizes above the maximum order", () => {
    const errors: string[] = [];
    const heap = new PageHeap({ pagesize: PAGE, maxPageSize: 4 * PAGE, onError: (m) => errors.push(m) });
    heap.addRange(0, 16 * PAGE);
    expect(heap.alloc(8 * PAGE)).toBe(INVALID);
    expect(heap.alloc(0)).toBe(INVALID);
    const p = heap.alloc(PAGE);
    expect(heap.dealloc(p + 1, PAGE)).toBe(false);
    expect(heap.dealloc(p, 2 * PAGE)).toBe(false);
    expect(heap.dealloc(p, PAGE)).toBe(true);
    expect(heap.dealloc(p, PAGE)).toBe(false);
    expect(heap.dealloc(64 * PAGE, PAGE)).toBe(false);
    expect(errors).toHaveLength(4);
    expect(heap.allocated()).toBe(0);
    expect(heap.management()).toMatchObject({ type: "page", total: 16 * PAGE, free: 16 * PAGE });
  });
});

describe("PageHeap hostile sizes", () => {
  it("Infinity, NaN and negative sizes fail without hanging", () => {
    const heap = new PageHeap({ pagesize: PAGE });
    heap.addRange(0, 64 * PAGE);
    for (const bytes of [Infinity, Number.NaN, -PAGE, 2 ** 60]) expect(heap.alloc(bytes)).toBe(INVALID);
    expect(heap.dealloc(0, Infinity)).toBe(false);
    expect(heap.addRange(Number.NaN, PAGE)).toBe(false);
    expect(heap.addRange(2 ** 40, 2 ** 50)).toBe(false);
    expect(heap.addRange(2 ** 40, 1024 * PAGE)).toBe(true);
    expect(heap.allocated()).toBe(0);
  });
});

describe("PageHeap partial pages", () => {
  it("a size that is not whole pages keeps every page it touches (Nanos hands back the last one)", () => {
    const heap = new PageHeap({ pagesize: PAGE, maxPageSize: 8 * PAGE });
    heap.addRange(0, 8 * PAGE);
    const a = heap.alloc(3 * PAGE + 1);
    expect(heap.allocated()).toBe(4 * PAGE);
    const b = heap.alloc(PAGE);
    expect(b >= a + 4 * PAGE || b + PAGE <= a).toBe(true);
    expect(heap.dealloc(a, 4 * PAGE)).toBe(true);
  });
});

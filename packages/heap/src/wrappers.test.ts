import { describe, expect, it } from "vitest";
import { INVALID } from "./constants.js";
import { FreelistHeap } from "./freelist.js";
import { heapFree, type Heap } from "./heap.js";
import { IdHeap } from "./id-heap.js";
import { LinearBackedHeap } from "./linear-backed-heap.js";
import { MemoryMapper } from "./mapper.js";
import { PageHeap } from "./page-heap.js";
import { PagedBackedHeap } from "./paged-backed-heap.js";
import { ReserveHeap } from "./reserve-heap.js";

const PAGE = 4096;

describe("FreelistHeap", () => {
  it("serves one size LIFO, never returns memory to the parent, rejects other sizes", () => {
    const parent = IdHeap.create(0, 16 * 64, { pagesize: 64 });
    const errors: string[] = [];
    const list = new FreelistHeap(parent, 64, (m) => errors.push(m));
    const a = list.alloc(64);
    const b = list.alloc(64);
    expect(list.alloc(32)).toBe(INVALID);
    list.dealloc(a, 64);
    list.dealloc(b, 64);
    expect(list.alloc(64)).toBe(b);
    expect(list.alloc(64)).toBe(a);
    expect(parent.allocated()).toBe(128);
    expect(list.total()).toBe(128);
    expect(list.allocated()).toBe(128);
    expect(list.dealloc(999, 64)).toBe(false);
    expect(errors).toHaveLength(2);
  });
});

describe("ReserveHeap", () => {
  it("fails when the parent's free space would drop below the reserve", () => {
    const parent = IdHeap.create(0, 8 * PAGE, { pagesize: PAGE });
    const reserve = new ReserveHeap(parent, 3 * PAGE);
    expect(reserve.total()).toBe(5 * PAGE);
    expect(reserve.alloc(4 * PAGE)).not.toBe(INVALID);
    expect(reserve.alloc(2 * PAGE)).toBe(INVALID);
    expect(reserve.alloc(PAGE)).not.toBe(INVALID);
    expect(reserve.alloc(PAGE)).toBe(INVALID);
    expect(parent.alloc(PAGE)).not.toBe(INVALID);
  });
});

describe("LinearBackedHeap", () => {
  it("returns phys + virtBase and gives back blocks past the physical limit", () => {
    const physical = new PageHeap({ pagesize: PAGE, maxPageSize: 4 * PAGE });
    physical.addRange(0, 16 * PAGE);
    const mapper = new MemoryMapper(PAGE);
    const base = 0x100000000;
    const heap = new LinearBackedHeap(physical, { virtBase: base, physLimit: 8 * PAGE, mapper, ranges: [{ start: 0, end: 16 * PAGE }], chunk: 4 * PAGE });
    expect(mapper.mappedPages).toBe(16);
    expect(mapper.physicalOf(base + 5 * PAGE + 7)).toBe(5 * PAGE + 7);
    const got = heap.allocMap(4 * PAGE)!;
    expect(got.virt - got.phys).toBe(base);
    expect(heap.alloc(4 * PAGE)).toBe(base + 4 * PAGE);
    expect(heap.alloc(4 * PAGE)).toBe(INVALID);
    expect(physical.allocated()).toBe(8 * PAGE);
    expect(heap.dealloc(got.virt, 4 * PAGE)).toBe(true);
  });
});

describe("PagedBackedHeap", () => {
  it("maps physical pages at virtual addresses and unmaps on free, looking phys up when not given", () => {
    const physical = new PageHeap({ pagesize: PAGE, maxPageSize: 16 * PAGE });
    physical.addRange(0x200000, 64 * PAGE);
    const virtual = IdHeap.create(0x7f0000000000, 1024 * PAGE, { pagesize: PAGE });
    const mapper = new MemoryMapper(PAGE);
    const heap = new PagedBackedHeap(physical, virtual, mapper);
    const a = heap.allocMap(3 * PAGE)!;
    expect(mapper.physicalOf(a.virt + 2 * PAGE + 5)).toBe(a.phys + 2 * PAGE + 5);
    expect(mapper.mappedPages).toBe(3);
    expect(heap.deallocUnmap(a.virt, INVALID, 3 * PAGE)).toBe(true);
    expect(mapper.mappedPages).toBe(0);
    expect(physical.allocated()).toBe(0);
    expect(virtual.allocated()).toBe(0);
  });

  it("gives the physical pages back when virtual space runs out; leaks unaligned frees", () => {
    const physical = new PageHeap({ pagesize: PAGE, maxPageSize: 16 * PAGE });
    physical.addRange(0, 64 * PAGE);
    const virtual = IdHeap.create(0x10000000, 2 * PAGE, { pagesize: PAGE });
    const errors: string[] = [];
    const heap = new PagedBackedHeap(physical, virtual, new MemoryMapper(PAGE), (m) => errors.push(m));
    const a = heap.alloc(2 * PAGE);
    expect(heap.alloc(PAGE)).toBe(INVALID);
    expect(physical.allocated()).toBe(2 * PAGE);
    expect(heap.dealloc(a + 1, PAGE)).toBe(false);
    expect(errors).toHaveLength(1);
  });
});

describe("heapFree and management", () => {
  it("free is total − allocated, or INVALID when a heap keeps no statistics", () => {
    const ids = IdHeap.create(0, 100);
    ids.alloc(30);
    expect(heapFree(ids)).toBe(70);
    expect(ids.management()).toEqual({ type: "id", pagesize: 1, allocated: 30, total: 100, free: 70 });
    const blind = { ...ids, pagesize: 1, allocated: () => INVALID, total: () => 100 } as unknown as Heap;
    expect(heapFree(blind)).toBe(INVALID);
    expect(new ReserveHeap(blind, 10).alloc(1)).toBe(INVALID);
  });
});

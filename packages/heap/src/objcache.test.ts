import { describe, expect, it } from "vitest";
import { INVALID } from "./constants.js";
import { IdHeap } from "./id-heap.js";
import { Objcache, objcacheFromObject, OBJCACHE_FOOTER_BYTES } from "./objcache.js";
import { FooterTable } from "./page-footer.js";
import { countingHeap } from "./test-heaps.js";

const PAGE = 2 * 1024 * 1024;
const OBJ = 32;

/** A backed id heap standing in for the upstream test's parent: grows in 2 MiB-aligned blocks. */
function parentHeap() {
  const source = IdHeap.create(PAGE, 64 * PAGE, { pagesize: PAGE });
  return countingHeap(source);
}

describe("Objcache (objcache_test)", () => {
  it("a page's worth of objects, then one more forcing a second page; owner lookup; everything freed", () => {
    for (const extra of [0, 1]) {
      const parent = parentHeap();
      const footers = new FooterTable();
      const cache = new Objcache({ parent, objsize: OBJ, pagesize: PAGE, footers });
      expect(cache.objectsPerPage).toBe(Math.floor((PAGE - OBJCACHE_FOOTER_BYTES) / OBJ));
      const objects: number[] = [];
      for (let i = 0; i < cache.objectsPerPage + extra; i++) {
        const p = cache.alloc(OBJ);
        expect(p).not.toBe(INVALID);
        objects.push(p);
      }
      expect(cache.validate()).toEqual([]);
      expect(new Set(objects).size).toBe(objects.length);
      expect(cache.pageCount()).toBe(1 + extra);
      expect(objects.every((p) => objcacheFromObject(p, PAGE, footers) === cache)).toBe(true);
      // Objects stay before the footer of their page.
      expect(objects.every((p) => (p % PAGE) + OBJ <= PAGE - OBJCACHE_FOOTER_BYTES)).toBe(true);
      expect(objects.every((p) => cache.dealloc(p, OBJ))).toBe(true);
      expect(cache.validate()).toEqual([]);
      expect(cache.allocated()).toBe(0);
      cache.destroy();
      expect(parent.allocated()).toBe(0);
    }
  });

  it("preallocated: the first objects never touch the parent; prealloc_only fails on the extra object", () => {
    for (const preallocOnly of [true, false]) {
      const parent = parentHeap();
      const count = 1000;
      const cache = new Objcache({ parent, objsize: OBJ, pagesize: PAGE, preallocate: count, preallocOnly, footers: new FooterTable() });
      const before = parent.allocs;
      const objects = Array.from({ length: cache.objectsPerPage }, () => cache.alloc(OBJ));
      expect(objects.includes(INVALID)).toBe(false);
      expect(parent.allocs).toBe(before);
      const extra = cache.alloc(OBJ);
      expect(extra === INVALID).toBe(preallocOnly);
      expect(parent.allocs).toBe(preallocOnly ? before : before + 1);
      expect(cache.validate()).toEqual([]);
    }
  });

  it("page lists: a full page moves to the full list tail and back to the free list head when an object returns", () => {
    const parent = IdHeap.create(0, 64 * 4096, { pagesize: 4096 });
    const cache = new Objcache({ parent, objsize: 1000, pagesize: 4096, footers: new FooterTable() });
    expect(cache.objectsPerPage).toBe(4);
    const first = [0, 1, 2, 3].map(() => cache.alloc(1000));
    expect(first).toEqual([0, 1000, 2000, 3000]);
    // The first page is full; a new page goes to the free list head and serves the next object.
    const second = cache.alloc(1000);
    expect(second).toBe(4096);
    // The full page gets an object back: it returns to the free list head and serves before page 2.
    cache.dealloc(first[2]!, 1000);
    expect(cache.alloc(1000)).toBe(first[2]);
    expect(cache.alloc(1000)).toBe(4096 + 1000);
    // Freed objects are reused LIFO within the page that got them back.
    cache.dealloc(first[1]!, 1000);
    cache.dealloc(first[3]!, 1000);
    expect(cache.alloc(1000)).toBe(first[3]);
    expect(cache.alloc(1000)).toBe(first[1]);
    expect(cache.validate()).toEqual([]);
  });

  it("rejects wrong sizes and foreign or double frees with a diagnostic, leaking", () => {
    const errors: string[] = [];
    const footers = new FooterTable();
    const cache = new Objcache({ parent: parentHeap(), objsize: OBJ, pagesize: PAGE, footers, onError: (m) => errors.push(m) });
    expect(cache.alloc(OBJ + 1)).toBe(INVALID);
    const p = cache.alloc(OBJ);
    expect(cache.dealloc(p, OBJ * 2)).toBe(false);
    expect(cache.dealloc(p + 1, OBJ)).toBe(false);
    expect(cache.dealloc(p + 64 * PAGE, OBJ)).toBe(false);
    expect(cache.dealloc(p, OBJ)).toBe(true);
    expect(cache.dealloc(p, OBJ)).toBe(false);
    expect(errors).toHaveLength(5);
    expect(cache.validate()).toEqual([]);
  });

  it("creation rejects objsize < 2, a page smaller than the parent's, and pages without room", () => {
    const parent = parentHeap();
    expect(() => new Objcache({ parent, objsize: 1, pagesize: PAGE })).toThrow(RangeError);
    expect(() => new Objcache({ parent, objsize: 8, pagesize: PAGE / 2 })).toThrow(RangeError);
    expect(() => new Objcache({ parent, objsize: 8, pagesize: 3 * PAGE })).toThrow(RangeError);
    expect(() => new Objcache({ parent, objsize: PAGE, pagesize: PAGE })).toThrow(RangeError);
  });

  it("drain returns only empty pages and keeps the retained capacity", () => {
    const parent = parentHeap();
    const cache = new Objcache({ parent, objsize: 1000, pagesize: 4096 * 512, footers: new FooterTable() });
    const perPage = cache.objectsPerPage;
    const objects = Array.from({ length: perPage * 3 + 1 }, () => cache.alloc(1000));
    for (const p of objects.slice(0, perPage * 3)) cache.dealloc(p, 1000);
    expect(cache.pageCount()).toBe(4);
    // Stops once the requested bytes are released.
    const probe = new Objcache({ parent: parentHeap(), objsize: 1000, pagesize: 4096 * 512, footers: new FooterTable() });
    const probeObjects = Array.from({ length: perPage * 3 }, () => probe.alloc(1000));
    for (const p of probeObjects) probe.dealloc(p, 1000);
    expect(probe.drain(1, 0)).toBe(4096 * 512);
    expect(probe.pageCount()).toBe(2);
    const released = cache.drain(Infinity, perPage * 1000);
    expect(released).toBe(2 * 4096 * 512);
    expect(cache.pageCount()).toBe(2);
    expect(cache.total() - cache.allocated()).toBeGreaterThanOrEqual(perPage * 1000);
    expect(cache.validate()).toEqual([]);
    expect(cache.drain(Infinity, 0)).toBe(4096 * 512);
    expect(cache.pageCount()).toBe(1);
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { INVALID } from "./constants.js";
import { IdHeap } from "./id-heap.js";
import { Objcache, objcacheFromObject } from "./objcache.js";
import { FooterTable } from "./page-footer.js";
import { countingHeap } from "./test-heaps.js";

const PAGE = 1024;

const op = fc.oneof(
  fc.record({ kind: fc.constant("alloc" as const) }),
  fc.record({ kind: fc.constant("free" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("drain" as const), retain: fc.nat(3000) }),
);

describe("Objcache random steps", () => {
  it("validate() holds after every step; objects distinct, in their page, owned; accounting exact", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 300 }), fc.array(op, { maxLength: 120 }), (objsize, ops) => {
        const parent = countingHeap(IdHeap.create(0, 256 * PAGE, { pagesize: PAGE }));
        const footers = new FooterTable();
        const cache = new Objcache({ parent, objsize, pagesize: PAGE, footers });
        const live = new Set<number>();
        for (const o of ops) {
          if (o.kind === "alloc") {
            const a = cache.alloc(objsize);
            expect(a).not.toBe(INVALID);
            expect(live.has(a)).toBe(false);
            expect(objcacheFromObject(a, PAGE, footers)).toBe(cache);
            expect((a % PAGE) + objsize).toBeLessThanOrEqual(PAGE);
            live.add(a);
          } else if (o.kind === "free" && live.size > 0) {
            const a = [...live][o.pick % live.size]!;
            expect(cache.dealloc(a, objsize)).toBe(true);
            live.delete(a);
          } else if (o.kind === "drain") {
            const pagesBefore = cache.pageCount();
            const released = cache.drain(Infinity, o.retain);
            expect(released).toBe((pagesBefore - cache.pageCount()) * PAGE);
            // Releasing never takes the spare capacity below what the caller retains.
            if (released > 0) expect(cache.total() - cache.allocated()).toBeGreaterThanOrEqual(o.retain);
          }
          expect(cache.validate()).toEqual([]);
          expect(cache.allocated()).toBe(live.size * objsize);
          expect(cache.total()).toBe(cache.pageCount() * cache.objectsPerPage * objsize);
          expect(parent.allocated()).toBe(cache.pageCount() * PAGE);
        }
      }),
      { numRuns: 150 },
    );
  });

  it("prealloc_only never calls the parent after creation", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.array(fc.boolean(), { maxLength: 300 }), (count, steps) => {
        const parent = countingHeap(IdHeap.create(0, 256 * PAGE, { pagesize: PAGE }));
        const cache = new Objcache({ parent, objsize: 16, pagesize: PAGE, preallocate: count, preallocOnly: true, footers: new FooterTable() });
        const calls = parent.allocs;
        const live: number[] = [];
        for (const alloc of steps) {
          if (alloc) {
            const a = cache.alloc(16);
            if (a !== INVALID) live.push(a);
            else expect(live.length).toBe(cache.pageCount() * cache.objectsPerPage);
          } else if (live.length > 0) cache.dealloc(live.pop()!, 16);
        }
        expect(parent.allocs).toBe(calls);
        expect(cache.validate()).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });
});

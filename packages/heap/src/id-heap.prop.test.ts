import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { INVALID } from "./constants.js";
import { IdHeap } from "./id-heap.js";
import { findOrder } from "./math.js";

/** Live blocks as [start, end) in bytes. */
type Live = Map<number, number>;

function free(live: Live, base: number, end: number, pagesize: number, pages: number): boolean[] {
  const taken = new Array<boolean>(pages).fill(false);
  for (const [a, len] of live) for (let p = (a - base) / pagesize; p < (a - base + len) / pagesize; p++) taken[p] = true;
  void end;
  return taken.map((t) => !t);
}

const op = fc.oneof(
  fc.record({ kind: fc.constant("alloc" as const), pages: fc.integer({ min: 1, max: 9 }) }),
  fc.record({ kind: fc.constant("free" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("gte" as const), min: fc.nat(80) }),
);

describe("IdHeap against a set of allocated intervals", () => {
  it("no overlap, results aligned and in range, alloc fails only when no aligned hole exists, accounting exact", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 70 }),
        fc.integer({ min: 1, max: 64 }),
        fc.array(op, { maxLength: 80 }),
        (pageOrder, basePages, pages, ops) => {
          const ps = 2 ** pageOrder;
          const base = basePages * ps;
          const heap = IdHeap.create(base, pages * ps, { pagesize: ps });
          const live: Live = new Map();
          for (const o of ops) {
            if (o.kind === "alloc") {
              const align = 2 ** findOrder(o.pages);
              const holes = free(live, base, base + pages * ps, ps, pages);
              let exists = false;
              for (let p = 0; p + o.pages <= pages && !exists; p++) {
                if ((basePages + p) % align === 0 && holes.slice(p, p + o.pages).every(Boolean)) exists = true;
              }
              const a = heap.alloc(o.pages * ps);
              expect(a !== INVALID).toBe(exists);
              if (a !== INVALID) {
                expect((a / ps) % align).toBe(0);
                expect(a).toBeGreaterThanOrEqual(base);
                expect(a + o.pages * ps).toBeLessThanOrEqual(base + pages * ps);
                const p0 = (a - base) / ps;
                expect(holes.slice(p0, p0 + o.pages).every(Boolean)).toBe(true);
                live.set(a, o.pages * ps);
              }
            } else if (o.kind === "gte") {
              const holes = free(live, base, base + pages * ps, ps, pages);
              const minPage = Math.max(o.min, basePages) - basePages;
              const idx = holes.findIndex((h, i) => h && i >= minPage);
              const a = heap.allocGte(ps, o.min * ps);
              expect(a).toBe(idx < 0 ? INVALID : base + idx * ps);
              if (a !== INVALID) live.set(a, ps);
            } else if (live.size > 0) {
              const keys = [...live.keys()];
              const a = keys[o.pick % keys.length]!;
              expect(heap.dealloc(a, live.get(a)!)).toBe(true);
              live.delete(a);
            }
            expect(heap.allocated()).toBe([...live.values()].reduce((s, l) => s + l, 0));
          }
          for (const [a, len] of live) expect(heap.dealloc(a, len)).toBe(true);
          expect(heap.allocated()).toBe(0);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("randomised mode: results stay aligned and disjoint", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 40 }), (seed, sizes) => {
        let s = seed;
        const heap = IdHeap.create(0, 4096, { randomize: true, random: () => ((s = (s * 48271) % 2147483647) / 2147483647) });
        const blocks: Array<[number, number]> = [];
        for (const n of sizes) {
          const a = heap.alloc(n);
          if (a === INVALID) continue;
          expect(a % 2 ** findOrder(n)).toBe(0);
          for (const [b, m] of blocks) expect(a + n <= b || b + m <= a).toBe(true);
          blocks.push([a, n]);
        }
      }),
      { numRuns: 100 },
    );
  });
});

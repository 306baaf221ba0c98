import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { INVALID } from "./constants.js";
import { IdHeap } from "./id-heap.js";
import { findOrder, pad } from "./math.js";
import { Mcache, UNKNOWN_SIZE } from "./mcache.js";

const PAGE = 4096;

describe("Mcache random malloc/free", () => {
  it("blocks are disjoint, accounting counts class sizes, frees with or without size restore everything", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.record({ size: fc.nat(3 * PAGE) }), fc.record({ free: fc.nat(), sized: fc.boolean() })), { maxLength: 100 }),
        (ops) => {
          const parent = IdHeap.create(0, 4096 * PAGE, { pagesize: PAGE });
          const mcache = new Mcache({ parent, minOrder: 3, maxOrder: 9, pagesize: PAGE, mallocStyle: true });
          const live = new Map<number, number>();
          const charged = (n: number) => (n > 512 ? pad(n, PAGE) : 2 ** Math.max(3, findOrder(n)));
          for (const o of ops) {
            if ("size" in o) {
              const a = mcache.alloc(o.size);
              expect(a).not.toBe(INVALID);
              for (const [b, n] of live) expect(a + charged(o.size) <= b || b + charged(n) <= a).toBe(true);
              live.set(a, o.size);
            } else if (live.size > 0) {
              const [a, n] = [...live][o.free % live.size]!;
              expect(mcache.dealloc(a, o.sized ? n : UNKNOWN_SIZE)).toBe(true);
              live.delete(a);
            }
            expect(mcache.allocated()).toBe([...live.values()].reduce((s, n) => s + charged(n), 0));
          }
          for (const [a, n] of live) expect(mcache.dealloc(a, n)).toBe(true);
          expect(mcache.allocated()).toBe(0);
          mcache.destroy();
          expect(parent.allocated()).toBe(0);
        },
      ),
      { numRuns: 100 },
    );
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OrderedMap } from "./ordered-map.js";
import { RbNode } from "./rb-node.js";
import { RbTree } from "./rb-tree.js";

const op = fc.tuple(fc.constantFrom("insert", "remove", "floor", "ceiling", "lookup"), fc.integer({ min: 0, max: 60 }));

describe("RbTree vs a sorted-set model", () => {
  it("insert/remove results, lookups, neighbours and order match; invariants hold after every op", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 150 }), (ops) => {
        const t = new RbTree<number>((a, b) => a - b);
        const model = new Set<number>();
        for (const [kind, k] of ops) {
          const sorted = [...model].sort((a, b) => a - b);
          if (kind === "insert") {
            expect(t.insert(new RbNode(k))).toBe(!model.has(k));
            model.add(k);
          } else if (kind === "remove") {
            expect(t.removeByKey(k) !== undefined).toBe(model.has(k));
            model.delete(k);
          } else if (kind === "floor") {
            expect(t.lookupMaxLte(k)?.key).toBe(sorted.filter((x) => x <= k).pop());
          } else if (kind === "ceiling") {
            expect(t.lookupMinGte(k)?.key).toBe(sorted.find((x) => x >= k));
          } else {
            const n = t.lookup(k);
            expect(n?.key).toBe(model.has(k) ? k : undefined);
            if (n !== undefined) {
              const i = sorted.indexOf(k);
              expect(t.next(n)?.key).toBe(sorted[i + 1]);
              expect(t.prev(n)?.key).toBe(sorted[i - 1]);
            }
          }
          expect(t.validate()).toBeUndefined();
          expect(t.count).toBe(model.size);
        }
        expect([...t].map((n) => n.key)).toEqual([...model].sort((a, b) => a - b));
      }),
    );
  });
});

describe("OrderedMap vs Map", () => {
  it("get/set/delete/has/size and sorted iteration both ways", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.string({ maxLength: 3 }), fc.integer()), { maxLength: 150 }), (ops) => {
        const m = new OrderedMap<string, number>();
        const model = new Map<string, number>();
        for (const [isSet, k, v] of ops) {
          if (isSet) {
            m.set(k, v);
            model.set(k, v);
          } else expect(m.delete(k)).toBe(model.delete(k));
          expect(m.size).toBe(model.size);
          expect(m.get(k)).toBe(model.get(k));
          expect(m.has(k)).toBe(model.has(k));
        }
        const sorted = [...model.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        expect([...m]).toEqual(sorted);
        expect([...m.entriesReversed()]).toEqual(sorted.reverse());
        expect(m.validate()).toBeUndefined();
      }),
    );
  });
});

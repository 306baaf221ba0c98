import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PriorityQueue } from "./priority-queue.js";

type Op = { kind: "push"; value: number } | { kind: "pop" } | { kind: "remove"; pick: number } | { kind: "reorder" };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("push" as const), value: fc.integer({ min: -20, max: 20 }) }),
  fc.record({ kind: fc.constant("pop" as const) }),
  fc.record({ kind: fc.constant("remove" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("reorder" as const) }),
);

describe("PriorityQueue vs a sorted multiset model", () => {
  it("pops in comparator order, removes by identity, keeps the heap property", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        // Boxed elements make identity meaningful: equal priorities, distinct objects.
        const q = new PriorityQueue<{ v: number }>((a, b) => a.v - b.v);
        const model: { v: number }[] = [];
        for (const o of ops) {
          if (o.kind === "push") {
            const e = { v: o.value };
            q.push(e);
            model.push(e);
          } else if (o.kind === "pop") {
            const got = q.pop();
            if (model.length === 0) expect(got).toBeUndefined();
            else {
              const min = Math.min(...model.map((e) => e.v));
              expect(got?.v).toBe(min);
              model.splice(model.indexOf(got!), 1);
            }
          } else if (o.kind === "remove") {
            const target = model.length > 0 && o.pick % 3 !== 0 ? model[o.pick % model.length]! : { v: 0 };
            const present = model.includes(target);
            expect(q.remove(target)).toBe(present);
            if (present) model.splice(model.indexOf(target), 1);
          } else {
            for (const e of model) e.v = -e.v; // mutate priorities in place, then rebuild
            q.reorder();
          }
          expect(q.length).toBe(model.length);
          expect(q.validate()).toBe(true);
          let visits = 0;
          q.walk(() => (visits++, true));
          expect(visits).toBe(model.length);
        }
      }),
    );
  });
});

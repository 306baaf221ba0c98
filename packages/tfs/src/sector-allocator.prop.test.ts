import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FirstFitAllocator } from "./sector-allocator.js";

const SIZE = 200;

type Op = { op: "allocate" | "allocatePart"; count: number } | { op: "free"; pick: number } | { op: "claim"; start: number; count: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constantFrom("allocate" as const, "allocatePart" as const), count: fc.integer({ min: 1, max: 60 }) }),
  fc.record({ op: fc.constant("free" as const), pick: fc.nat() }),
  fc.record({ op: fc.constant("claim" as const), start: fc.nat(SIZE - 1), count: fc.integer({ min: 1, max: 30 }) }),
);

/** First free run of `count` in a bitmap (the model of first fit). */
function firstFit(used: boolean[], count: number): number | undefined {
  let run = 0;
  for (let i = 0; i < used.length; i++) {
    run = used[i] ? 0 : run + 1;
    if (run === count) return i - count + 1;
  }
  return undefined;
}

describe("FirstFitAllocator against a bitmap", () => {
  it("allocates first fit, never hands out a used sector, and counts free space", () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 80 }), (ops) => {
        const a = new FirstFitAllocator(SIZE);
        const used = new Array<boolean>(SIZE).fill(false);
        const held: Array<[number, number]> = [];
        const mark = (start: number, count: number, value: boolean): void => {
          for (let i = start; i < start + count; i++) used[i] = value;
        };
        for (const o of ops) {
          if (o.op === "allocate") {
            const got = a.allocate(o.count);
            expect(got).toBe(firstFit(used, o.count));
            if (got !== undefined) {
              mark(got, o.count, true);
              held.push([got, o.count]);
            }
          } else if (o.op === "allocatePart") {
            const run = a.allocatePart(o.count);
            if (run === undefined) {
              expect(used.every((u) => u)).toBe(true);
            } else {
              expect(used.slice(run.start, run.start + run.count).every((u) => !u)).toBe(true);
              expect(run.count).toBeLessThanOrEqual(o.count);
              mark(run.start, run.count, true);
              held.push([run.start, run.count]);
            }
          } else if (o.op === "free") {
            if (held.length === 0) continue;
            const [start, count] = held.splice(o.pick % held.length, 1)[0]!;
            a.free(start, count);
            mark(start, count, false);
          } else if (o.op === "claim") {
            const count = Math.min(o.count, SIZE - o.start);
            const free = used.slice(o.start, o.start + count).every((u) => !u);
            expect(a.claim(o.start, count)).toBe(free);
            if (free) {
              mark(o.start, count, true);
              held.push([o.start, count]);
            }
          }
          expect(a.freeSectors).toBe(used.filter((u) => !u).length);
        }
      }),
    );
  });

  it("a double free is a RangeError", () => {
    const a = new FirstFitAllocator(10);
    const s = a.allocate(4)!;
    a.free(s, 4);
    expect(() => a.free(s, 2)).toThrow(RangeError);
  });
});

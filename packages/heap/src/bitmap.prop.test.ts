import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Bitmap } from "./bitmap.js";
import { INVALID } from "./constants.js";
import { findOrder } from "./math.js";

const SIZE = 300;

const op = fc.oneof(
  fc.record({ kind: fc.constant("set" as const), i: fc.nat(SIZE - 1), v: fc.boolean() }),
  fc.record({ kind: fc.constant("range" as const), start: fc.nat(SIZE), n: fc.nat(80), validate: fc.boolean(), v: fc.boolean() }),
  fc.record({ kind: fc.constant("alloc" as const), n: fc.integer({ min: 1, max: 70 }), start: fc.nat(SIZE), end: fc.nat(SIZE) }),
  fc.record({ kind: fc.constant("dealloc" as const), start: fc.nat(SIZE), n: fc.integer({ min: 1, max: 70 }) }),
  fc.record({ kind: fc.constant("first" as const), start: fc.nat(SIZE), n: fc.nat(SIZE) }),
  fc.record({ kind: fc.constant("clear" as const), start: fc.nat(SIZE) }),
);

describe("Bitmap against a boolean array", () => {
  it("every operation matches the model", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const b = new Bitmap(SIZE);
        const model = new Array<boolean>(SIZE).fill(false);
        const all = (s: number, n: number, v: boolean) => model.slice(s, s + n).every((x) => x === v);
        for (const o of ops) {
          switch (o.kind) {
            case "set":
              b.set(o.i, o.v);
              model[o.i] = o.v;
              break;
            case "range": {
              const ok = o.start < SIZE && o.start + o.n <= SIZE && (!o.validate || all(o.start, o.n, !o.v));
              expect(b.rangeCheckAndSet(o.start, o.n, o.validate, o.v)).toBe(ok);
              if (ok) model.fill(o.v, o.start, o.start + o.n);
              break;
            }
            case "alloc": {
              const align = 2 ** findOrder(o.n);
              let expected = INVALID;
              for (let at = o.start; at + o.n <= Math.min(o.end, SIZE); at += align) {
                if (all(at, o.n, false)) {
                  expected = at;
                  break;
                }
              }
              expect(b.allocWithinRange(o.n, o.start, o.end)).toBe(expected);
              if (expected !== INVALID) model.fill(true, expected, expected + o.n);
              break;
            }
            case "dealloc": {
              const ok = o.start + o.n <= SIZE && all(o.start, o.n, true);
              expect(b.dealloc(o.start, o.n)).toBe(ok);
              if (ok) model.fill(false, o.start, o.start + o.n);
              break;
            }
            case "first": {
              const found = model.findIndex((x, i) => x && i >= o.start && i < o.start + o.n);
              expect(b.rangeGetFirst(o.start, o.n)).toBe(found < 0 ? INVALID : found);
              break;
            }
            case "clear": {
              const found = model.findIndex((x, i) => !x && i >= o.start);
              expect(b.findFirstClear(o.start)).toBe(found < 0 ? INVALID : found);
              break;
            }
          }
        }
        for (let i = 0; i < SIZE; i++) if (b.get(i) !== model[i]) expect(b.get(i)).toBe(model[i]);
        expect(b.countSet()).toBe(model.filter(Boolean).length);
        const copy = b.clone();
        for (let i = 0; i < SIZE; i++) if (copy.get(i) !== model[i]) expect(copy.get(i)).toBe(model[i]);
      }),
      { numRuns: 300 },
    );
  });
});

describe("Bitmap find-first-clear over mostly full maps (full-word summary)", () => {
  it("matches a linear scan of the model across many summary words", () => {
    const size = 5000;
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({ start: fc.nat(size - 1), n: fc.integer({ min: 1, max: 3000 }), v: fc.constant(true) }),
            fc.record({ start: fc.nat(size - 1), n: fc.integer({ min: 1, max: 40 }), v: fc.boolean() }),
          ),
          { maxLength: 30 },
        ),
        fc.array(fc.nat(size), { minLength: 1, maxLength: 30 }),
        (ranges, probes) => {
          const b = new Bitmap(size);
          const model = new Array<boolean>(size).fill(false);
          for (const r of ranges) {
            const n = Math.min(r.n, size - r.start);
            if (r.n % 2 === 0) b.rangeCheckAndSet(r.start, n, false, r.v);
            else for (let i = r.start; i < r.start + n; i++) b.set(i, r.v);
            model.fill(r.v, r.start, r.start + n);
          }
          const copy = new Bitmap(size);
          copy.copyFrom(b);
          for (const p of probes) {
            const found = model.findIndex((x, i) => !x && i >= p);
            expect(b.findFirstClear(p)).toBe(found < 0 ? INVALID : found);
            expect(copy.findFirstClear(p)).toBe(found < 0 ? INVALID : found);
            expect(b.clone().findFirstClear(p, size)).toBe(found < 0 ? INVALID : found);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NumericPriorityQueue } from "./numeric-priority-queue.js";

describe("NumericPriorityQueue", () => {
  it("pops the smallest priority first and grows past its capacity", () => {
    const q = new NumericPriorityQueue<string>(1);
    q.push("c", 3);
    q.push("a", 1);
    q.push("b", 2);
    expect(q.length).toBe(3);
    expect(q.peek()).toBe("a");
    expect(q.peekPriority()).toBe(1);
    expect([q.pop(), q.pop(), q.pop(), q.pop()]).toEqual(["a", "b", "c", undefined]);
    expect(q.peekPriority()).toBeUndefined();
  });

  it("replaceTop returns the old head and keeps order", () => {
    const q = new NumericPriorityQueue<number>();
    expect(q.replaceTop(7, 7)).toBeUndefined();
    q.push(3, 3);
    expect(q.replaceTop(10, 10)).toBe(3);
    expect([q.pop(), q.pop(), q.pop()]).toEqual([7, 10, undefined]);
  });

  it("rejects NaN priorities", () => {
    const q = new NumericPriorityQueue<number>();
    expect(() => q.push(1, NaN)).toThrow(RangeError);
  });

  it("matches a sorted model under random push/pop/replaceTop", () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.tuple(fc.boolean(), fc.double({ noNaN: true }).map((x) => (x === 0 ? 0 : x))), { nil: null }), { maxLength: 300 }), (ops) => {
        const q = new NumericPriorityQueue<number>(2);
        const model: number[] = [];
        for (const o of ops) {
          if (o === null) {
            model.sort((a, b) => a - b);
            expect(q.pop()).toBe(model.shift());
          } else if (o[0]) {
            q.push(o[1], o[1]);
            model.push(o[1]);
          } else {
            model.sort((a, b) => a - b);
            const head = model.length > 0 ? model.shift() : undefined;
            expect(q.replaceTop(o[1], o[1])).toBe(head);
            model.push(o[1]);
          }
          expect(q.length).toBe(model.length);
        }
        model.sort((a, b) => a - b);
        for (const v of model) expect(q.pop()).toBe(v);
      }),
    );
  });
});

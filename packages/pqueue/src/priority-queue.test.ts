import { describe, expect, it } from "vitest";
import { PriorityQueue } from "./priority-queue.js";

// The Nanos pqueue_test, re-expressed. Its predicate is `a < b` ("swap when the parent is
// smaller"), which makes a max-queue.
const maxQueue = () => PriorityQueue.fromPredicate<number>((a, b) => a < b);

function drain<T>(q: PriorityQueue<T>): T[] {
  const out: T[] = [];
  while (q.length > 0) out.push(q.pop() as T);
  return out;
}

/** Deterministic LCG so the randomised Nanos cases replay exactly. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
}

describe("PriorityQueue: Nanos basic cases", () => {
  it("single entry: peek and pop it, then the queue is empty", () => {
    const q = maxQueue();
    q.push(500);
    expect(q.peek()).toBe(500);
    expect(q.pop()).toBe(500);
    expect(q.peek()).toBeUndefined();
    expect(q.pop()).toBeUndefined();
  });

  it("keeps duplicates", () => {
    const q = maxQueue();
    q.push(500);
    q.push(500);
    expect(drain(q)).toEqual([500, 500]);
    expect(q.pop()).toBeUndefined();
  });

  it("orders left-hand, right-hand, ascending and descending inserts", () => {
    for (const input of [[500, 400], [400, 500], [300, 400, 500], [500, 400, 300]]) {
      const q = maxQueue();
      for (const v of input) q.push(v);
      expect(drain(q)).toEqual([...input].sort((a, b) => b - a));
    }
  });

  it("walk visits in array order and stops when the visitor returns false", () => {
    const q = maxQueue();
    q.push(500);
    q.push(400);
    let visited = 0;
    expect(q.walk((v) => (visited++, v !== 500))).toBe(false);
    expect(visited).toBe(1);
    expect(drain(q)).toEqual([500, 400]);

    q.push(400);
    q.push(300);
    visited = 0;
    expect(q.walk((v) => (visited++, v !== 500))).toBe(true);
    expect(visited).toBe(2);
  });

  it("remove on empty fails; remove of a single element empties the queue", () => {
    const q = maxQueue();
    expect(q.remove(1)).toBe(false);
    q.push(1);
    expect(q.remove(1)).toBe(true);
    expect(q.pop()).toBeUndefined();
  });

  it("removes the root with children; peekAt reads raw slots and is bounded", () => {
    const q = maxQueue();
    q.push(1);
    q.push(2);
    q.push(3);
    expect(q.peekAt(0)).toBe(3);
    expect(q.peekAt(3)).toBeUndefined();
    expect(q.peekAt(-1)).toBeUndefined();
    expect(q.remove(3)).toBe(true);
    expect(drain(q)).toEqual([2, 1]);
  });

  it("removes the last even and last odd slots", () => {
    const q = maxQueue();
    q.push(1);
    q.push(2);
    q.push(3);
    expect(q.remove(2)).toBe(true);
    expect(drain(q)).toEqual([3, 1]);
    q.push(1);
    q.push(2);
    expect(q.remove(1)).toBe(true);
    expect(drain(q)).toEqual([2]);
  });

  it("a removal whose replacement must move up (heal up)", () => {
    const q = maxQueue();
    for (const v of [8, 3, 7, 1, 2, 5, 6]) q.push(v);
    expect(q.remove(1)).toBe(true);
    expect(q.validate()).toBe(true);
    expect(drain(q)).toEqual([8, 7, 6, 5, 3, 2]);
  });
});

describe("PriorityQueue: Nanos randomised cases", () => {
  it("100 elements × 1000 passes, popping half each pass, pops are monotone", () => {
    const q = maxQueue();
    const next = lcg(1);
    let remain = 0;
    for (let pass = 0; pass < 1000; pass++) {
      for (let i = remain; i < 100; i++) q.push(next());
      const npop = pass === 999 ? 100 : 50;
      remain = 100 - npop;
      let last = Infinity;
      for (let i = 0; i < npop; i++) {
        const v = q.pop() as number;
        expect(v <= last).toBe(true);
        last = v;
      }
    }
    expect(q.length).toBe(0);
    expect(q.pop()).toBeUndefined();
  });

  it("removes a random subset by identity; the rest pop in order (remove_test)", () => {
    const next = lcg(2);
    const q = PriorityQueue.fromPredicate<{ val: number }>((a, b) => a.val < b.val);
    for (let pass = 0; pass < 100; pass++) {
      const elems = Array.from({ length: (next() % 512) + 1 }, () => ({ val: next() % 1000 }));
      for (const e of elems) q.push(e);
      const nRemove = next() % elems.length;
      for (let i = 0; i < nRemove; i++) expect(q.remove(elems[i]!)).toBe(true);
      const rest = drain(q);
      expect(rest.length).toBe(elems.length - nRemove);
      expect(new Set(rest)).toEqual(new Set(elems.slice(nRemove)));
      for (let i = 1; i < rest.length; i++) expect(rest[i]!.val <= rest[i - 1]!.val).toBe(true);
    }
  });

  it("reorder restores order after priorities change in place (reorder_test)", () => {
    const next = lcg(3);
    const q = PriorityQueue.fromPredicate<{ val: number }>((a, b) => a.val < b.val);
    for (let pass = 0; pass < 1000; pass++) {
      const elems = Array.from({ length: (next() % 512) + 1 }, () => ({ val: 0 }));
      for (const e of elems) q.push(e);
      for (const e of elems) e.val = next();
      q.reorder();
      expect(q.validate()).toBe(true);
      const out = drain(q).map((e) => e.val);
      expect(out).toEqual(elems.map((e) => e.val).sort((a, b) => b - a));
    }
  });
});

describe("PriorityQueue: fixed Nanos bug", () => {
  // Nanos's pop reads the last element to decide whether to refill the root; a 0 or null element
  // there is mistaken for "empty", duplicating the head and losing an element (5, 0, 7 popped
  // 7, 7, 0). We decide by the length.
  it("a max-queue of 5, 0, 7 pops 7, 5, 0", () => {
    const q = maxQueue();
    for (const v of [5, 0, 7]) q.push(v);
    expect(drain(q)).toEqual([7, 5, 0]);
  });

  it("null and undefined are ordinary elements", () => {
    const rank = (v: number | null | undefined) => (v === null ? -1 : v === undefined ? -2 : v);
    const q = new PriorityQueue<number | null | undefined>((a, b) => rank(a) - rank(b));
    for (const v of [3, null, undefined, 1]) q.push(v);
    expect(q.length).toBe(4);
    expect(drain(q)).toEqual([undefined, null, 1, 3]);
  });
});

describe("PriorityQueue: idiomatic API", () => {
  it("compare < 0 pops first; clear, toArray and iteration", () => {
    const q = new PriorityQueue<number>((a, b) => a - b);
    for (const v of [4, 2, 9, 1]) q.push(v);
    expect(q.peek()).toBe(1);
    expect(q.toArray().sort()).toEqual([1, 2, 4, 9]);
    expect([...q].length).toBe(4);
    expect(q.removeAt(10)).toBeUndefined();
    q.clear();
    expect(q.length).toBe(0);
    expect(q.pop()).toBeUndefined();
  });
});

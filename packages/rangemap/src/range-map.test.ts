import { describe, expect, it } from "vitest";
import { RangeMap, RM_ABORT, RM_MATCH, RM_NOMATCH } from "./range-map.js";
import { RangeNode } from "./range-node.js";
import { EMPTY_RANGE, range, rangeDifference, rangeEmpty, rangeIntersection, rangeRshiftPad } from "./range.js";

class ValueNode extends RangeNode {
  constructor(
    start: number,
    end: number,
    readonly val: number,
  ) {
    super(start, end);
  }
}

describe("RangeMap: Nanos range_test", () => {
  it("rejects overlap, accepts touching, looks up points and walks a range in order", () => {
    const map = new RangeMap<ValueNode>();
    const first = new ValueNode(10, 20, 1);
    expect(map.insert(first)).toBe(true);
    expect(map.insert(new ValueNode(19, 20, 2))).toBe(false);
    expect(map.insert(new ValueNode(20, 30, 3))).toBe(true);
    expect(map.lookup(19)).toBe(first);
    expect(map.lookup(9)).toBeUndefined();
    const seen: [number, number, number][] = [];
    expect(map.rangeLookup(0, 26, (n) => (seen.push([n.start, n.end, n.val]), true))).toBe(RM_MATCH);
    expect(seen).toEqual([
      [10, 20, 1],
      [20, 30, 3],
    ]);
  });

  it("range_difference for every relative position", () => {
    const a = range(10, 20);
    expect(rangeDifference(a, range(9, 10))).toEqual([a, EMPTY_RANGE]); // disjoint left
    expect(rangeDifference(a, range(9, 12))).toEqual([range(10, 10), range(12, 20)]); // over the start
    expect(rangeDifference(a, range(11, 12))).toEqual([range(10, 11), range(12, 20)]); // inside
    const [d1, d2] = rangeDifference(a, range(11, 21)); // over the end
    expect(d1).toEqual(range(10, 11));
    expect(rangeEmpty(d2)).toBe(true);
    expect(rangeDifference(a, range(20, 21))).toEqual([a, EMPTY_RANGE]); // touching right
    const [c1, c2] = rangeDifference(a, range(9, 21)); // covering
    expect(rangeEmpty(c1) && rangeEmpty(c2)).toBe(true);
  });

  it("touching ranges do not intersect", () => {
    expect(rangeIntersection(range(5, 10), range(10, 20))).toEqual(EMPTY_RANGE);
    expect(rangeIntersection(range(5, 12), range(10, 20))).toEqual(range(10, 12));
    expect(rangeRshiftPad(range(4097, 8193), 12)).toEqual(range(1, 3));
  });

  it("insertRange merges overlapping and touching ranges (the upstream merge sequence)", () => {
    const map = new RangeMap();
    const verify = (count: number, length: number) => {
      let previousEnd = -1;
      let total = 0;
      for (const n of map) {
        expect(n.start).toBeGreaterThan(previousEnd); // never even touching
        previousEnd = n.end;
        total += n.end - n.start;
      }
      expect([map.count, total]).toEqual([count, length]);
      expect(map.validate()).toBeUndefined();
    };
    verify(0, 0);
    const steps: [number, number, number, number][] = [
      [1, 2, 1, 1],
      [3, 4, 2, 2],
      [2, 3, 1, 3],
      [4, 5, 1, 4],
      [7, 8, 2, 5],
      [6, 7, 2, 6],
      [1, 9, 1, 8],
      [0, 10, 1, 10],
      [0, 1, 1, 10],
      [1, 2, 1, 10],
      [9, 10, 1, 10],
      [9, 11, 1, 11],
      [12, 14, 2, 13],
      [10, 13, 1, 14],
    ];
    for (const [start, end, count, length] of steps) {
      map.insertRange(start, end);
      verify(count, length);
    }
  });
});

describe("RangeMap holes", () => {
  it("trims, splits and removes; a hole across a gap or outside a range changes nothing", () => {
    const map = new RangeMap<ValueNode>((s, e, from) => new ValueNode(s, e, from?.val ?? -1));
    map.insert(new ValueNode(10, 30, 7));
    map.insert(new ValueNode(40, 50, 8));
    expect(map.insertHole(14, 16)).toBe(true); // split: the upper part copies the data
    expect([...map].map((n) => [n.start, n.end, n.val])).toEqual([
      [10, 14, 7],
      [16, 30, 7],
      [40, 50, 8],
    ]);
    expect(map.insertHole(16, 20)).toBe(true); // head trimmed
    expect(map.insertHole(28, 30)).toBe(true); // tail trimmed
    expect(map.insertHole(25, 45)).toBe(false); // spans a gap
    expect(map.insertHole(0, 5)).toBe(false); // outside every range
    expect(map.insertHole(10, 14)).toBe(true); // exact: removed
    expect([...map].map((n) => [n.start, n.end])).toEqual([
      [20, 28],
      [40, 50],
    ]);
    expect(map.validate()).toBeUndefined();
  });
});

describe("RangeMap walks and lookups", () => {
  const build = () => {
    const map = new RangeMap();
    map.insertRange(10, 20);
    map.insertRange(30, 40);
    return map;
  };

  it("interleaves nodes and gaps in address order, with a trailing gap", () => {
    const events: string[] = [];
    const result = build().rangeLookupWithGaps(
      5,
      45,
      (n) => (events.push(`node ${n.start}-${n.end}`), true),
      (s, e) => (events.push(`gap ${s}-${e}`), true),
    );
    expect(result).toBe(RM_MATCH);
    expect(events).toEqual(["gap 5-10", "node 10-20", "gap 20-30", "node 30-40", "gap 40-45"]);
  });

  it("reports MATCH, ABORT and NOMATCH", () => {
    const map = build();
    expect(map.rangeLookup(20, 30, () => true)).toBe(RM_NOMATCH);
    expect(map.findGaps(10, 20, () => true)).toBe(RM_NOMATCH);
    expect(map.rangeLookup(0, 50, () => false)).toBe(RM_ABORT);
    expect(map.findGaps(0, 50, () => false)).toBe(RM_ABORT);
    expect(map.findGaps(15, 35, () => true)).toBe(RM_MATCH);
  });

  it("lookupAtOrNext, lookupMaxLte, intersects, overlapping", () => {
    const map = build();
    expect(map.lookupAtOrNext(15)?.start).toBe(10);
    expect(map.lookupAtOrNext(25)?.start).toBe(30);
    expect(map.lookupAtOrNext(5)?.start).toBe(10);
    expect(map.lookupAtOrNext(40)).toBeUndefined();
    expect(map.lookupMaxLte(25)?.start).toBe(10);
    expect(map.lookupMaxLte(5)).toBeUndefined();
    expect(map.intersects(20, 30)).toBe(false);
    expect(map.intersects(19, 30)).toBe(true);
    expect([...map.overlapping(15, 31)].map((n) => n.start)).toEqual([10, 30]);
  });

  it("reinsert moves a node or restores it on conflict; remove and removal while walking", () => {
    const map = new RangeMap();
    const a = new RangeNode(0, 10);
    const b = new RangeNode(20, 30);
    map.insert(a);
    map.insert(b);
    expect(map.reinsert(a, 5, 25)).toBe(false);
    expect([a.start, a.end]).toEqual([0, 10]);
    expect(map.reinsert(a, 10, 20)).toBe(true);
    expect(map.lookup(15)).toBe(a);
    expect(map.rangeLookup(0, 100, (n) => map.remove(n))).toBe(RM_MATCH);
    expect(map.count).toBe(0);
    expect(map.remove(a)).toBe(false);
  });

  it("handles an unbounded end and the top of the number range", () => {
    const map = new RangeMap();
    map.insertRange(2 ** 52, Infinity);
    expect(map.lookup(2 ** 53)?.end).toBe(Infinity);
    expect(map.insertHole(2 ** 52, 2 ** 52 + 1)).toBe(true);
    expect(map.lookup(2 ** 52)).toBeUndefined();
    const gaps: number[][] = [];
    map.findGaps(0, Infinity, (s, e) => (gaps.push([s, e]), true));
    expect(gaps).toEqual([[0, 2 ** 52 + 1]]);
  });

  it("rejects empty and invalid ranges with a RangeError", () => {
    const map = new RangeMap();
    expect(() => map.insertRange(5, 5)).toThrow(RangeError);
    expect(() => map.insert(new RangeNode(7, 3))).toThrow(/not a non-empty range/);
    expect(() => map.insertRange(-1, 3)).toThrow(RangeError);
    expect(() => map.insertRange(1.5, 3)).toThrow(RangeError);
  });

  it("clear calls the destructor on every node", () => {
    const map = build();
    let destroyed = 0;
    map.clear(() => destroyed++);
    expect(destroyed).toBe(2);
    expect(map.count).toBe(0);
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RangeMap, RM_ABORT, RM_MATCH, RM_NOMATCH } from "./range-map.js";
import { RangeNode } from "./range-node.js";

const U = 48; // a small universe of integer points
const span = fc.tuple(fc.integer({ min: 0, max: U - 1 }), fc.integer({ min: 1, max: 12 })).map(([s, len]) => [s, Math.min(U, s + len)] as const);
const op = fc.tuple(fc.constantFrom("insert", "insertRange", "insertHole", "remove"), span);

/** Maximal runs of covered points: the canonical ranges a merged map must hold. */
function runs(covered: boolean[]): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < covered.length; i++) {
    if (!covered[i]) continue;
    const start = i;
    while (i < covered.length && covered[i]) i++;
    out.push([start, i]);
  }
  return out;
}

describe("RangeMap vs a set of covered points", () => {
  it("insert ⇔ no overlap; insertRange is union; insertHole is difference iff inside one range; walks match", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), fc.array(span, { minLength: 1, maxLength: 5 }), (ops, queries) => {
        const map = new RangeMap();
        const owner: (RangeNode | undefined)[] = new Array(U).fill(undefined);
        let merging = true; // true while every range came from insertRange (so ranges are maximal)
        for (const [kind, [s, e]] of ops) {
          const points = Array.from({ length: e - s }, (_, i) => s + i);
          if (kind === "insert") {
            const free = points.every((p) => owner[p] === undefined);
            const node = new RangeNode(s, e);
            expect(map.insert(node)).toBe(free);
            if (free) for (const p of points) owner[p] = node;
            merging = false;
          } else if (kind === "insertRange") {
            map.insertRange(s, e);
            // rebuild the model from the map's nodes: coverage must be the union
            const before = owner.map((o) => o !== undefined);
            for (const p of points) before[p] = true;
            owner.fill(undefined);
            for (const n of map) for (let p = n.start; p < n.end; p++) owner[p] = n;
            expect(owner.map((o) => o !== undefined)).toEqual(before);
          } else if (kind === "insertHole") {
            const inside = owner[s] !== undefined && points.every((p) => owner[p] === owner[s]);
            expect(map.insertHole(s, e)).toBe(inside);
            if (inside) {
              for (const p of points) owner[p] = undefined;
              owner.fill(undefined);
              for (const n of map) for (let p = n.start; p < n.end; p++) owner[p] = n;
            }
          } else {
            const node = owner[s];
            if (node !== undefined) {
              expect(map.remove(node)).toBe(true);
              for (let p = node.start; p < node.end; p++) owner[p] = undefined;
            }
          }
          expect(map.validate()).toBeUndefined();
          if (merging) expect([...map].map((n) => [n.start, n.end])).toEqual(runs(owner.map((o) => o !== undefined)));
        }
        for (const p of [0, 7, U - 1, U]) expect(map.lookup(p)).toBe(owner[p]);
        for (const [qs, qe] of queries) {
          const expected: string[] = [];
          for (let p = qs; p < qe; ) {
            const o = owner[p];
            let q = p;
            while (q < qe && owner[q] === o) q++;
            expected.push(o === undefined ? `gap ${p}-${q}` : `node ${o.start}-${o.end}`);
            p = q;
          }
          const events: string[] = [];
          const result = map.rangeLookupWithGaps(
            qs,
            qe,
            (n) => (events.push(`node ${n.start}-${n.end}`), true),
            (a, b) => (events.push(`gap ${a}-${b}`), true),
          );
          expect(events).toEqual(expected);
          expect(result).toBe(expected.length > 0 ? RM_MATCH : RM_NOMATCH);
          expect(map.intersects(qs, qe)).toBe(expected.some((x) => x.startsWith("node")));
          if (expected.length > 0) expect(map.findGaps(qs, qe, () => false)).toBe(expected.some((x) => x.startsWith("gap")) ? RM_ABORT : RM_NOMATCH);
        }
      }),
    );
  });
});

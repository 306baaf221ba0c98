// Disjoint ranges, the Nanos rangemap's job: 200000 half-open ranges (1..500 wide, one per
// 1000-wide slot, inserted in shuffled order), then 200000 stabbing queries at random points.
// The workload of DATA-STRUCTURES.md §11. Interval trees allow overlap and take closed
// intervals; ordered maps act as range maps through a floor lookup plus an end check.
import { mulberry32, runSuites, type Contender } from "@nanots/bench-kit";
import FlattenIntervalTree from "@flatten-js/interval-tree";
import { OrderedMap as SdslOrderedMap } from "js-sdsl";
import NodeIntervalTree from "node-interval-tree";
import SortedBTree from "sorted-btree";
import { RangeMap, RangeNode } from "../src/index.js";

const RANGES = 200_000;
const QUERIES = 200_000;
const SLOT = 1000;

interface RangeStore {
  insert(start: number, end: number): void;
  /** Whether `point` lies in a stored range. */
  stab(point: number): boolean;
}

// CommonJS peers whose class sits under `default` with Node's ESM interop.
const unwrap = <T>(m: T): T => ((m as { default?: T }).default ?? m) as T;
const BTree = unwrap(SortedBTree);
const IntervalTreeA = unwrap(FlattenIntervalTree);
const IntervalTreeB = unwrap(NodeIntervalTree);

function contender(name: string, ours: boolean, make: () => RangeStore): Contender {
  return {
    name,
    ours,
    make: () => {
      const random = mulberry32(11);
      const starts = new Float64Array(RANGES);
      const ends = new Float64Array(RANGES);
      const order = Array.from({ length: RANGES }, (_, i) => i);
      for (let i = RANGES - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      for (let i = 0; i < RANGES; i++) {
        const slot = order[i]!;
        const width = 1 + Math.floor(random() * 500);
        starts[i] = slot * SLOT + Math.floor(random() * (SLOT - width));
        ends[i] = starts[i]! + width;
      }
      const points = Float64Array.from({ length: QUERIES }, () => Math.floor(random() * RANGES * SLOT));
      const store = make();
      return {
        insert: () => {
          for (let i = 0; i < RANGES; i++) store.insert(starts[i]!, ends[i]!);
          return RANGES;
        },
        stab: () => {
          let hits = 0;
          for (let i = 0; i < QUERIES; i++) if (store.stab(points[i]!)) hits++;
          return hits;
        },
      };
    },
  };
}

runSuites(import.meta.url, [
  {
    title: "range map: 2e5 disjoint ranges inserted (shuffled), 2e5 stabbing queries",
    ops: { insert: RANGES, stab: QUERIES },
    contenders: [
      contender("@nanots/rangemap RangeMap", true, () => {
        const map = new RangeMap();
        return { insert: (s, e) => void map.insert(new RangeNode(s, e)), stab: (p) => map.lookup(p) !== undefined };
      }),
      contender("js-sdsl OrderedMap (as rangemap)", false, () => {
        const m = new SdslOrderedMap<number, number>();
        return {
          insert: (s, e) => void m.setElement(s, e),
          stab: (p) => {
            const it = m.reverseLowerBound(p);
            return it.isAccessible() && p < it.pointer[1];
          },
        };
      }),
      contender("sorted-btree (as rangemap)", false, () => {
        const t = new BTree<number, number>();
        const pair: [number, number] = [0, 0];
        return {
          insert: (s, e) => void t.set(s, e),
          stab: (p) => {
            const found = t.getPairOrNextLower(p, pair); // the pair at p, or the next lower: floor(p)
            return found !== undefined && p < found[1];
          },
        };
      }),
      contender("@flatten-js/interval-tree", false, () => {
        const t = new IntervalTreeA<boolean>();
        return { insert: (s, e) => void t.insert([s, e - 1], true), stab: (p) => t.search([p, p]).length > 0 };
      }),
      contender("node-interval-tree", false, () => {
        const t = new IntervalTreeB<boolean>();
        return { insert: (s, e) => void t.insert(s, e - 1, true), stab: (p) => t.search(p, p).length > 0 };
      }),
    ],
  },
]);

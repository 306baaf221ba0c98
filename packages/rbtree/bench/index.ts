// Ordered maps: 1e6 random unique integer keys inserted, 1e6 lookups (hits, random order),
// 5e5 deletes. The workload of DATA-STRUCTURES.md §11.
import { mulberry32, runSuites, type Contender } from "@nanots/bench-kit";
import { RBTree } from "bintrees";
import { OrderedMap as SdslOrderedMap } from "js-sdsl";
import SortedBTree from "sorted-btree";
import { OrderedMap, RbNode, RbTree } from "../src/index.js";

const N = 1_000_000;
const DELETES = 500_000;

interface MapLike {
  set(k: number, v: number): void;
  get(k: number): number | undefined;
  delete(k: number): void;
  readonly size: number;
}

function uniqueKeys(): Float64Array {
  const random = mulberry32(7);
  const seen = new Set<number>();
  const keys = new Float64Array(N);
  for (let i = 0; i < N; ) {
    const k = Math.floor(random() * 2 ** 40);
    if (!seen.has(k)) {
      seen.add(k);
      keys[i++] = k;
    }
  }
  return keys;
}

function contender(name: string, ours: boolean, make: () => MapLike): Contender {
  return {
    name,
    ours,
    make: () => {
      const keys = uniqueKeys();
      const probe = keys.slice().sort(() => 0); // same keys; shuffled below
      const random = mulberry32(9);
      for (let i = probe.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [probe[i], probe[j]] = [probe[j]!, probe[i]!];
      }
      const m = make();
      return {
        insert: () => {
          for (let i = 0; i < N; i++) m.set(keys[i]!, i);
          return m.size;
        },
        lookup: () => {
          let hits = 0;
          for (let i = 0; i < N; i++) if (m.get(probe[i]!) !== undefined) hits++;
          return hits;
        },
        delete: () => {
          for (let i = 0; i < DELETES; i++) m.delete(probe[i]!);
          return m.size;
        },
      };
    },
  };
}

const byNumber = (a: number, b: number) => a - b;
// sorted-btree is CommonJS with `exports.default`: under Node's ESM interop the class sits one level down.
const BTree = ((SortedBTree as unknown as { default?: typeof SortedBTree }).default ?? SortedBTree) as typeof SortedBTree;

class ValueNode extends RbNode<number> {
  constructor(
    key: number,
    public value: number,
  ) {
    super(key);
  }
}

runSuites(import.meta.url, [
  {
    title: "ordered map: 1e6 random unique int keys: insert, 1e6 lookup hits, 5e5 delete",
    ops: { insert: N, lookup: N, delete: DELETES },
    contenders: [
      contender("@nanots/rbtree OrderedMap", true, () => new OrderedMap<number, number>(byNumber)),
      contender("@nanots/rbtree RbTree (intrusive nodes)", true, () => {
        const t = new RbTree<number, ValueNode>(byNumber);
        return {
          set: (k, v) => void t.insert(new ValueNode(k, v)),
          get: (k) => t.lookup(k)?.value,
          delete: (k) => void t.removeByKey(k),
          get size() {
            return t.count;
          },
        };
      }),
      contender("js-sdsl OrderedMap", false, () => {
        const m = new SdslOrderedMap<number, number>([], byNumber);
        return {
          set: (k, v) => void m.setElement(k, v),
          get: (k) => m.getElementByKey(k),
          delete: (k) => void m.eraseElementByKey(k),
          get size() {
            return m.size();
          },
        };
      }),
      contender("bintrees RBTree", false, () => {
        const t = new RBTree<{ k: number; v: number }>((a, b) => a.k - b.k);
        const key = { k: 0, v: 0 };
        return {
          set: (k, v) => void t.insert({ k, v }),
          get: (k) => ((key.k = k), t.find(key)?.v),
          delete: (k) => void ((key.k = k), t.remove(key)),
          get size() {
            return t.size;
          },
        };
      }),
      contender("sorted-btree BTree", false, () => {
        const t = new BTree<number, number>(undefined, byNumber);
        return {
          set: (k, v) => void t.set(k, v),
          get: (k) => t.get(k),
          delete: (k) => void t.delete(k),
          get size() {
            return t.size;
          },
        };
      }),
    ],
  },
]);

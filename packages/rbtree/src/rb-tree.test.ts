import { describe, expect, it } from "vitest";
import { RbNode } from "./rb-node.js";
import { RbTree } from "./rb-tree.js";

const numeric = () => new RbTree<number>((a, b) => a - b);

function preorder(t: RbTree<number>): number[] {
  const keys: number[] = [];
  t.traverse("preorder", (n) => (keys.push(n.key), true));
  return keys;
}

// The transformation scripts of Nanos's rbtree_test: insert keys, check the exact pre-order
// shape, then remove keys and check the shape again (upstream's golden vectors).
const scripts: { insert: number[]; insertShape: number[]; remove: number[]; removeShape: number[] }[] = [
  { insert: [1], insertShape: [1], remove: [1], removeShape: [] },
  { insert: [1, 2], insertShape: [2, 1], remove: [1], removeShape: [2] },
  { insert: [1, 2, 3], insertShape: [2, 1, 3], remove: [1], removeShape: [3, 2] },
  { insert: [1, 2, 3, 4], insertShape: [2, 1, 4, 3], remove: [4], removeShape: [2, 1, 3] },
  { insert: [1, 2, 3, 4, 5], insertShape: [4, 2, 1, 3, 5], remove: [5], removeShape: [2, 1, 4, 3] },
  { insert: [1, 2, 3, 4, 5, 6], insertShape: [4, 2, 1, 3, 6, 5], remove: [1], removeShape: [4, 3, 2, 6, 5] },
  { insert: [1, 2, 3, 4, 5, 6, 7], insertShape: [4, 2, 1, 3, 6, 5, 7], remove: [3, 4], removeShape: [6, 2, 1, 5, 7] },
  { insert: [1, 2, 3, 4, 5, 6, 7, 8], insertShape: [4, 2, 1, 3, 6, 5, 8, 7], remove: [4], removeShape: [5, 2, 1, 3, 7, 6, 8] },
  { insert: [1, 2, 3, 4, 5, 6, 7, 8, 9], insertShape: [4, 2, 1, 3, 8, 6, 5, 7, 9], remove: [9], removeShape: [4, 2, 1, 3, 6, 5, 8, 7] },
  { insert: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], insertShape: [4, 2, 1, 3, 8, 6, 5, 7, 10, 9], remove: [2], removeShape: [6, 4, 3, 1, 5, 8, 7, 10, 9] },
  { insert: [3, 2, 1], insertShape: [2, 1, 3], remove: [3, 2, 1], removeShape: [] },
];

describe("RbTree: Nanos tree shapes", () => {
  scripts.forEach((s, i) => {
    it(`script ${i}: insert ${s.insert.join(",")} then remove ${s.remove.join(",")}`, () => {
      const t = numeric();
      for (const k of s.insert) {
        expect(t.insert(new RbNode(k))).toBe(true);
        expect(t.validate()).toBeUndefined();
      }
      expect(preorder(t)).toEqual(s.insertShape);
      for (const k of s.remove) {
        expect(t.removeByKey(k)?.key).toBe(k);
        expect(t.validate()).toBeUndefined();
      }
      expect(preorder(t)).toEqual(s.removeShape);
    });
  });
});

describe("RbTree: Nanos basic test", () => {
  it("inserts 0..99 up and 199..100 down, rejects duplicates, removes everything", () => {
    const t = numeric();
    const insert = (k: number) => {
      expect(t.insert(new RbNode(k))).toBe(true);
      expect(t.validate()).toBeUndefined();
      expect(t.lookup(k)?.key).toBe(k);
      // max-≤ of k−1 is the in-order predecessor (or nothing for the smallest key)
      const pred = t.prev(t.lookup(k)!);
      expect(t.lookupMaxLte(k - 1)).toBe(pred);
    };
    for (let i = 0; i < 100; i++) insert(i);
    for (let i = 199; i >= 100; i--) insert(i);
    expect(t.count).toBe(200);
    for (let i = 0; i < 200; i++) expect(t.insert(new RbNode(i))).toBe(false);
    expect(t.count).toBe(200);
    for (let i = 0; i < 200; i++) {
      expect(t.removeByKey(i)?.key).toBe(i);
      expect(t.validate()).toBeUndefined();
      expect(t.lookup(i)).toBeUndefined();
    }
    expect(t.count).toBe(0);
    expect(t.root).toBeNull();
  });

  it("random test: 16384 distinct keys from a 15-bit space, then remove all", () => {
    let seed = 12345;
    const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 17; // 15 bits
    const t = numeric();
    const keys: number[] = [];
    while (keys.length < 16384) {
      const k = rand();
      if (t.insert(new RbNode(k))) keys.push(k);
      else expect(t.lookup(k)?.key).toBe(k); // a collision: retry with another key
    }
    expect(t.count).toBe(16384);
    expect(t.validate()).toBeUndefined();
    for (const k of keys) expect(t.removeByKey(k)?.key).toBe(k);
    expect(t.count).toBe(0);
    expect(t.removeByKey(keys[0]!)).toBeUndefined();
  });
});

describe("RbTree API", () => {
  it("keeps node identity through removals that move nodes", () => {
    const t = numeric();
    const nodes = [5, 3, 8, 1, 4, 7, 9].map((k) => new RbNode(k));
    for (const n of nodes) t.insert(n);
    expect(t.remove(nodes[0]!)).toBe(true); // 5 is internal: replaced by 7's node
    for (const n of nodes.slice(1)) expect(t.lookup(n.key)).toBe(n);
    expect(t.validate()).toBeUndefined();
  });

  it("floor, ceiling, first, last, next, prev, traversal abort, iteration with removal", () => {
    const t = numeric();
    for (const k of [10, 20, 30]) t.insert(new RbNode(k));
    expect(t.lookupMaxLte(25)?.key).toBe(20);
    expect(t.lookupMaxLte(5)).toBeUndefined();
    expect(t.lookupMinGte(25)?.key).toBe(30);
    expect(t.lookupMinGte(31)).toBeUndefined();
    expect(t.first()?.key).toBe(10);
    expect(t.last()?.key).toBe(30);
    expect(t.next(t.last()!)).toBeUndefined();
    expect(t.prev(t.first()!)).toBeUndefined();
    let visits = 0;
    expect(t.traverse("inorder", () => ++visits < 2)).toBe(false);
    expect(visits).toBe(2);
    const post: number[] = [];
    t.traverse("postorder", (n) => (post.push(n.key), true));
    expect(post).toEqual([10, 30, 20]);
    for (const n of t) t.remove(n);
    expect(t.count).toBe(0);
  });

  it("clear destroys in post-order and resets the count (Nanos's destruct does not)", () => {
    const t = numeric();
    for (const k of [1, 2, 3]) t.insert(new RbNode(k));
    const destroyed: number[] = [];
    t.clear((n) => destroyed.push(n.key));
    expect(destroyed).toEqual([1, 3, 2]);
    expect(t.count).toBe(0);
    expect(t.first()).toBeUndefined();
  });

  it("validate reports a broken tree", () => {
    const t = numeric();
    for (const k of [1, 2, 3]) t.insert(new RbNode(k));
    (t.root as RbNode<number>).key = 100;
    expect(t.validate()).toMatch(/out of order/);
  });
});

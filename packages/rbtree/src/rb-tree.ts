import { RbNode } from "./rb-node.js";

/** Orders two keys: negative, zero or positive, as `Array.prototype.sort` expects. */
export type KeyCompare<K> = (a: K, b: K) => number;

/** Traversal orders of {@link RbTree.traverse}. */
export type TraversalOrder = "inorder" | "preorder" | "postorder";

type Node = RbNode<unknown>;

/** Rotates `h`'s right child up (a left rotation); the new head keeps `h`'s link colour. */
function rotateLeft(h: Node): Node {
  const x = h.right as Node;
  const moved = x.left;
  h.right = moved;
  h.rightRed = x.leftRed;
  if (moved !== null) moved.parent = h;
  x.left = h;
  x.leftRed = true;
  x.parent = h.parent;
  h.parent = x;
  return x;
}

/** Mirror of {@link rotateLeft}. */
function rotateRight(h: Node): Node {
  const x = h.left as Node;
  const moved = x.right;
  h.left = moved;
  h.leftRed = x.rightRed;
  if (moved !== null) moved.parent = h;
  x.right = h;
  x.rightRed = true;
  x.parent = h.parent;
  h.parent = x;
  return x;
}

function leftmost(h: Node): Node {
  while (h.left !== null) h = h.left;
  return h;
}

function rightmost(h: Node): Node {
  while (h.right !== null) h = h.right;
  return h;
}

/**
 * Nanos's red-black tree: Sedgewick's left-leaning red-black tree (2-3 variant), with the same
 * insert fix-up and the same delete (move-red-left/right, replacement by the minimum of the right
 * subtree), so every sequence of inserts and removes leaves exactly the tree shape Nanos leaves.
 * Keys are unique; nodes are intrusive ({@link RbNode}); nothing is allocated per operation.
 *
 * @example
 * ```ts
 * const tree = new RbTree<number, RbNode<number>>((a, b) => a - b);
 * for (const k of [3, 1, 2]) tree.insert(new RbNode(k));
 * tree.lookup(2)?.key;        // 2
 * tree.lookupMaxLte(10)?.key; // 3
 * ```
 */
export class RbTree<K, N extends RbNode<K> = RbNode<K>> {
  /** The root node, or `null` when empty. */
  root: N | null = null;
  private readonly compare: KeyCompare<K>;
  private nodeCount = 0;
  // Out-parameters of the recursive insert/remove, kept as fields to avoid allocation.
  private found: Node | null = null;
  private removedMin: Node | null = null;
  /**
   * The colour of the link above the subtree head being re-balanced: set by a caller before it
   * descends into a child, updated by colour flips, read back into the parent's flag after.
   */
  private red = false;

  constructor(compare: KeyCompare<K>) {
    this.compare = compare;
  }

  /** Flips the colours of `h`'s link and of both child links (both children exist). */
  private colorFlip(h: Node): void {
    this.red = !this.red;
    h.leftRed = !h.leftRed;
    h.rightRed = !h.rightRed;
  }

  /** Restores the left-leaning invariants on the way up: lean left, no red pairs, no 4-nodes. */
  private fixUp(h: Node): Node {
    if (!h.leftRed && h.rightRed) h = rotateLeft(h);
    if (h.leftRed && (h.left as Node).leftRed) h = rotateRight(h);
    if (h.leftRed && h.rightRed) this.colorFlip(h);
    return h;
  }

  /** Pushes a red link down the left spine so the left child is not a 2-node. */
  private moveRedLeft(h: Node): Node {
    const l = h.left;
    if (l === null || (!h.leftRed && !l.leftRed)) {
      this.colorFlip(h);
      const r = h.right;
      if (r === null || !r.leftRed) return h;
      h.right = rotateRight(r);
      h = rotateLeft(h);
      this.colorFlip(h);
    }
    return h;
  }

  /** Pushes a red link down the right spine so the right child is not a 2-node. */
  private moveRedRight(h: Node): Node {
    const r = h.right;
    if (r === null || (!h.rightRed && !r.leftRed)) {
      this.colorFlip(h);
      const l = h.left;
      if (l === null || !l.leftRed) return h;
      h = rotateRight(h);
      this.colorFlip(h);
    }
    return h;
  }

  /** Number of nodes. */
  get count(): number {
    return this.nodeCount;
  }

  /**
   * Inserts `node` (its links are reset). Returns `false`, leaving the tree's contents unchanged,
   * when a node with an equal key is already present (see {@link RbTree.findOrInsert}).
   */
  insert(node: N): boolean {
    return this.findOrInsert(node) === node;
  }

  /**
   * Inserts `node` unless a node with an equal key exists; returns that existing node, or
   * `node` itself when it was inserted. One descent either way.
   */
  findOrInsert(node: N): N {
    const n = node as Node;
    n.left = n.right = n.parent = null;
    n.leftRed = n.rightRed = false;
    if (this.root === null) {
      this.root = node;
      this.nodeCount = 1;
      return node;
    }
    this.found = null;
    this.red = false; // the root's link is black
    this.root = this.insertBelow(this.root as Node, n) as N;
    const existing = this.found as N | null;
    this.found = null;
    if (existing !== null) return existing;
    this.nodeCount++;
    return node;
  }

  private insertBelow(h: Node, n: Node): Node {
    const d = this.compare(n.key as K, h.key as K);
    const red = this.red;
    if (d < 0) {
      const l = h.left;
      if (l === null) {
        h.left = n;
        h.leftRed = true; // a new node hangs on a red link
        n.parent = h;
      } else {
        this.red = h.leftRed;
        h.left = this.insertBelow(l, n);
        h.leftRed = this.red;
      }
    } else if (d > 0) {
      const r = h.right;
      if (r === null) {
        h.right = n;
        h.rightRed = true;
        n.parent = h;
      } else {
        this.red = h.rightRed;
        h.right = this.insertBelow(r, n);
        h.rightRed = this.red;
      }
    } else this.found = h;
    this.red = red;
    return this.fixUp(h);
  }

  /**
   * Removes the node whose key equals `key` and returns it (detached), or `undefined` when there
   * is none. As in Nanos, a failed removal may still rebalance the tree on its way down.
   */
  removeByKey(key: K): N | undefined {
    this.found = null;
    this.red = false;
    const root = this.root === null ? null : this.removeBelow(this.root as Node, key);
    if (root !== null) root.parent = null;
    this.root = root as N | null;
    const removed = this.found as N | null;
    this.found = null;
    if (removed === null) return undefined;
    this.nodeCount--;
    const r = removed as Node;
    r.left = r.right = r.parent = null;
    r.leftRed = r.rightRed = false;
    return removed;
  }

  /** Removes `node` (by its key); returns whether it was in the tree. */
  remove(node: N): boolean {
    return this.removeByKey(node.key) !== undefined;
  }

  private removeMin(h: Node): Node | null {
    if (h.left === null) {
      this.removedMin = h;
      this.red = false; // an empty link is black
      return null;
    }
    h = this.moveRedLeft(h);
    const red = this.red;
    this.red = h.leftRed;
    h.left = this.removeMin(h.left as Node);
    h.leftRed = this.red;
    this.red = red;
    return this.fixUp(h);
  }

  private removeBelow(h: Node, key: K): Node | null {
    const compare = this.compare;
    if (compare(key, h.key as K) < 0) {
      if (h.left === null) return h; // not found
      h = this.moveRedLeft(h);
      const red = this.red;
      this.red = h.leftRed;
      h.left = this.removeBelow(h.left as Node, key);
      h.leftRed = this.red;
      this.red = red;
      return this.fixUp(h);
    }
    if (compare(key, h.key as K) > 0 && h.right === null) return h; // not found
    if (h.leftRed) h = rotateRight(h);
    if (compare(key, h.key as K) === 0 && h.left === null && h.right === null) {
      this.found = h; // a match at a leaf simply goes
      this.red = false;
      return null;
    }
    h = this.moveRedRight(h);
    if (compare(key, h.key as K) !== 0) {
      if (h.right === null) return h; // not found
      const red = this.red;
      this.red = h.rightRed;
      h.right = this.removeBelow(h.right, key);
      h.rightRed = this.red;
      this.red = red;
      return this.fixUp(h);
    }
    // Replace the match by the minimum of its right subtree, moving nodes (not keys), so
    // intrusive nodes keep their identity. The minimum takes over the match's link colour.
    const red = this.red;
    this.red = h.rightRed;
    this.removedMin = null;
    const rest = this.removeMin(h.right as Node);
    const restRed = this.red;
    const min = this.removedMin as unknown as Node;
    this.removedMin = null;
    if (rest !== null) rest.parent = min;
    min.parent = h.parent;
    min.left = h.left;
    min.leftRed = h.leftRed;
    if (h.left !== null) h.left.parent = min;
    min.right = rest;
    min.rightRed = restRed;
    const p = h.parent;
    if (p !== null) {
      if (p.left === h) p.left = min;
      else p.right = min;
    }
    this.red = red;
    this.found = h;
    return this.fixUp(min);
  }

  /** The node whose key equals `key`, or `undefined`. */
  lookup(key: K): N | undefined {
    const compare = this.compare;
    let h = this.root as Node | null;
    while (h !== null) {
      const d = compare(key, h.key as K);
      if (d === 0) return h as N;
      h = d < 0 ? h.left : h.right;
    }
    return undefined;
  }

  /** The node with the largest key ≤ `key` (floor), or `undefined`. */
  lookupMaxLte(key: K): N | undefined {
    const compare = this.compare;
    let h = this.root as Node | null;
    let best: Node | undefined;
    while (h !== null) {
      const d = compare(key, h.key as K);
      if (d === 0) return h as N;
      if (d > 0) {
        best = h;
        h = h.right;
      } else h = h.left;
    }
    return best as N | undefined;
  }

  /** The node with the smallest key ≥ `key` (ceiling), or `undefined`. */
  lookupMinGte(key: K): N | undefined {
    const compare = this.compare;
    let h = this.root as Node | null;
    let best: Node | undefined;
    while (h !== null) {
      const d = compare(key, h.key as K);
      if (d === 0) return h as N;
      if (d < 0) {
        best = h;
        h = h.left;
      } else h = h.right;
    }
    return best as N | undefined;
  }

  /** The node with the smallest key, or `undefined` when empty. */
  first(): N | undefined {
    return this.root === null ? undefined : (leftmost(this.root) as N);
  }

  /** The node with the largest key, or `undefined` when empty. */
  last(): N | undefined {
    return this.root === null ? undefined : (rightmost(this.root) as N);
  }

  /** In-order successor of `node` (amortised O(1)), or `undefined` at the end. */
  next(node: N): N | undefined {
    let h = node as Node;
    if (h.right !== null) return leftmost(h.right) as N;
    for (let p = h.parent; p !== null; h = p, p = p.parent) if (p.left === h) return p as N;
    return undefined;
  }

  /** In-order predecessor of `node`, or `undefined` at the start. */
  prev(node: N): N | undefined {
    let h = node as Node;
    if (h.left !== null) return rightmost(h.left) as N;
    for (let p = h.parent; p !== null; h = p, p = p.parent) if (p.right === h) return p as N;
    return undefined;
  }

  /**
   * Visits every node in `order`, stopping as soon as `visit` returns `false`. Returns `false`
   * when stopped early, `true` otherwise.
   */
  traverse(order: TraversalOrder, visit: (node: N) => boolean): boolean {
    const walk = (h: Node | null): boolean => {
      if (h === null) return true;
      if (order === "preorder" && !visit(h as N)) return false;
      if (!walk(h.left)) return false;
      if (order === "inorder" && !visit(h as N)) return false;
      if (!walk(h.right)) return false;
      return order !== "postorder" || visit(h as N);
    };
    return walk(this.root);
  }

  /** Nodes in key order. Removing the node just yielded is safe. */
  *[Symbol.iterator](): IterableIterator<N> {
    for (let n = this.first(); n !== undefined; ) {
      const following = this.next(n);
      yield n;
      n = following;
    }
  }

  /**
   * Empties the tree, calling `destroy` on every node in post-order first (children before
   * parents). Unlike Nanos's `destruct_rbtree`, the count is reset too.
   */
  clear(destroy?: (node: N) => void): void {
    if (destroy !== undefined) this.traverse("postorder", (n) => (destroy(n), true));
    this.root = null;
    this.nodeCount = 0;
  }

  /**
   * Checks every invariant Nanos's `rbtree_validate` checks (parent links, no red node with a red
   * child, no right-leaning red link, equal black height on every path, in-order agrees with
   * prev/next and the ends have none), plus strictly increasing keys, black empty links and the
   * count.
   * Returns a description of the first violation, or `undefined` when the tree is sound.
   */
  validate(): string | undefined {
    const root = this.root as Node | null;
    if (root === null) return this.nodeCount === 0 ? undefined : `count ${this.nodeCount} but the tree is empty`;
    if (root.parent !== null) return "the root has a parent";
    let blackHeight = -1;
    let problem: string | undefined;
    // `red` is h's own colour: its parent's flag for it (the root is black).
    const check = (h: Node, red: boolean, blacks: number): boolean => {
      for (const [c, cRed] of [
        [h.left, h.leftRed],
        [h.right, h.rightRed],
      ] as const) {
        if (c === null) {
          if (cRed) return (problem = `empty link of ${String(h.key)} is red`), false;
          continue;
        }
        if (c.parent !== h) return (problem = `node ${String(c.key)} has the wrong parent`), false;
        if (red && cRed) return (problem = `red node ${String(h.key)} has a red child ${String(c.key)}`), false;
      }
      if (!h.leftRed && h.rightRed) return (problem = `right-leaning red link at ${String(h.key)}`), false;
      if (h.left === null || h.right === null) {
        // Every path ends at a missing child: count the blacks above it.
        if (blackHeight === -1) blackHeight = blacks;
        else if (blackHeight !== blacks) return (problem = `black height differs below ${String(h.key)}`), false;
      }
      if (h.left !== null && !check(h.left, h.leftRed, blacks + (h.leftRed ? 0 : 1))) return false;
      return h.right === null || check(h.right, h.rightRed, blacks + (h.rightRed ? 0 : 1));
    };
    if (!check(root, false, 1)) return problem;
    let seen = 0;
    let last: N | undefined;
    const inOrder = this.traverse("inorder", (n) => {
      if (this.prev(n) !== last) return (problem = `prev of ${String(n.key)} disagrees with in-order`), false;
      if (last !== undefined) {
        if (this.next(last) !== n) return (problem = `next of ${String(last.key)} disagrees with in-order`), false;
        if (this.compare(last.key, n.key) >= 0) return (problem = `keys out of order at ${String(n.key)}`), false;
      }
      last = n;
      seen++;
      return true;
    });
    if (!inOrder) return problem;
    if (last !== undefined && this.next(last) !== undefined) return "the last node has a successor";
    if (seen !== this.nodeCount) return `count ${this.nodeCount} but ${seen} nodes`;
    return undefined;
  }
}

import { RbNode } from "./rb-node.js";

/** Orders two keys: negative, zero or positive, as `Array.prototype.sort` expects. */
export type KeyCompare<K> = (a: K, b: K) => number;

/** Traversal orders of {@link RbTree.traverse}. */
export type TraversalOrder = "inorder" | "preorder" | "postorder";

type Node = RbNode<unknown>;

const isRed = (n: Node | null): boolean => n !== null && n.red;

/** Rotates `h`'s right child up to the left (a left rotation); returns the new subtree head. */
function rotateLeft(h: Node): Node {
  const x = h.right as Node;
  const moved = x.left;
  h.right = moved;
  if (moved !== null) moved.parent = h;
  x.left = h;
  x.parent = h.parent;
  x.red = h.red;
  h.parent = x;
  h.red = true;
  return x;
}

/** Mirror of {@link rotateLeft}. */
function rotateRight(h: Node): Node {
  const x = h.left as Node;
  const moved = x.right;
  h.left = moved;
  if (moved !== null) moved.parent = h;
  x.right = h;
  x.parent = h.parent;
  x.red = h.red;
  h.parent = x;
  h.red = true;
  return x;
}

function colorFlip(h: Node): void {
  h.red = !h.red;
  (h.left as Node).red = !(h.left as Node).red;
  (h.right as Node).red = !(h.right as Node).red;
}

/** Restores the left-leaning invariants on the way back up: lean left, no red pairs, no 4-nodes. */
function fixUp(h: Node): Node {
  if (!isRed(h.left) && isRed(h.right)) h = rotateLeft(h);
  if (isRed(h.left) && isRed((h.left as Node).left)) h = rotateRight(h);
  if (isRed(h.left) && isRed(h.right)) colorFlip(h);
  return h;
}

/** Pushes a red link down the left spine so the left child is not a 2-node. */
function moveRedLeft(h: Node): Node {
  const l = h.left;
  if (l === null || (!l.red && !isRed(l.left))) {
    colorFlip(h);
    const r = h.right;
    if (r === null || !isRed(r.left)) return h;
    h.right = rotateRight(r);
    h = rotateLeft(h);
    colorFlip(h);
  }
  return h;
}

/** Pushes a red link down the right spine so the right child is not a 2-node. */
function moveRedRight(h: Node): Node {
  const r = h.right;
  if (r === null || (!r.red && !isRed(r.left))) {
    colorFlip(h);
    const l = h.left;
    if (l === null || !isRed(l.left)) return h;
    h = rotateRight(h);
    colorFlip(h);
  }
  return h;
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

  constructor(compare: KeyCompare<K>) {
    this.compare = compare;
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
    if (this.root === null) {
      n.red = false;
      this.root = node;
      this.nodeCount = 1;
      return node;
    }
    n.red = true;
    this.found = null;
    const root = this.insertBelow(this.root as Node, n);
    root.red = false;
    this.root = root as N;
    const existing = this.found as N | null;
    this.found = null;
    if (existing !== null) return existing;
    this.nodeCount++;
    return node;
  }

  private insertBelow(h: Node, n: Node): Node {
    const d = this.compare(n.key as K, h.key as K);
    if (d < 0) {
      const l = h.left;
      if (l === null) {
        h.left = n;
        n.parent = h;
      } else h.left = this.insertBelow(l, n);
    } else if (d > 0) {
      const r = h.right;
      if (r === null) {
        h.right = n;
        n.parent = h;
      } else h.right = this.insertBelow(r, n);
    } else this.found = h;
    return fixUp(h);
  }

  /**
   * Removes the node whose key equals `key` and returns it (detached), or `undefined` when there
   * is none. As in Nanos, a failed removal may still rebalance the tree on its way down.
   */
  removeByKey(key: K): N | undefined {
    this.found = null;
    const root = this.root === null ? null : this.removeBelow(this.root as Node, key);
    if (root !== null) {
      root.red = false;
      root.parent = null;
    }
    this.root = root as N | null;
    const removed = this.found as N | null;
    this.found = null;
    if (removed === null) return undefined;
    this.nodeCount--;
    const r = removed as Node;
    r.left = r.right = r.parent = null;
    r.red = false;
    return removed;
  }

  /** Removes `node` (by its key); returns whether it was in the tree. */
  remove(node: N): boolean {
    return this.removeByKey(node.key) !== undefined;
  }

  private removeMin(h: Node): Node | null {
    if (h.left === null) {
      this.removedMin = h;
      return null;
    }
    h = moveRedLeft(h);
    const l = this.removeMin(h.left as Node);
    h.left = l;
    return fixUp(h);
  }

  private removeBelow(h: Node, key: K): Node | null {
    const compare = this.compare;
    if (compare(key, h.key as K) < 0) {
      if (h.left === null) return h; // not found
      h = moveRedLeft(h);
      h.left = this.removeBelow(h.left as Node, key);
      return fixUp(h);
    }
    if (compare(key, h.key as K) > 0 && h.right === null) return h; // not found
    if (isRed(h.left)) h = rotateRight(h);
    if (compare(key, h.key as K) === 0 && h.left === null && h.right === null) {
      this.found = h; // a match at a leaf simply goes
      return null;
    }
    h = moveRedRight(h);
    if (compare(key, h.key as K) !== 0) {
      if (h.right === null) return h; // not found
      h.right = this.removeBelow(h.right, key);
      return fixUp(h);
    }
    // Replace the match by the minimum of its right subtree, moving nodes (not keys), so
    // intrusive nodes keep their identity.
    this.removedMin = null;
    const rest = this.removeMin(h.right as Node);
    const min = this.removedMin as unknown as Node;
    this.removedMin = null;
    if (rest !== null) rest.parent = min;
    min.parent = h.parent;
    min.red = h.red;
    min.left = h.left;
    if (h.left !== null) h.left.parent = min;
    min.right = rest;
    const p = h.parent;
    if (p !== null) {
      if (p.left === h) p.left = min;
      else p.right = min;
    }
    this.found = h;
    return fixUp(min);
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
   * prev/next and the ends have none), plus strictly increasing keys, a black root and the count.
   * Returns a description of the first violation, or `undefined` when the tree is sound.
   */
  validate(): string | undefined {
    const root = this.root as Node | null;
    if (root === null) return this.nodeCount === 0 ? undefined : `count ${this.nodeCount} but the tree is empty`;
    if (root.red) return "the root is red";
    if (root.parent !== null) return "the root has a parent";
    let blackHeight = -1;
    let problem: string | undefined;
    const check = (h: Node, blacks: number): boolean => {
      for (const c of [h.left, h.right]) {
        if (c === null) continue;
        if (c.parent !== h) return (problem = `node ${String(c.key)} has the wrong parent`), false;
        if (h.red && c.red) return (problem = `red node ${String(h.key)} has a red child ${String(c.key)}`), false;
      }
      if (!isRed(h.left) && isRed(h.right)) return (problem = `right-leaning red link at ${String(h.key)}`), false;
      if (h.left === null || h.right === null) {
        // Every path ends at a missing child: count the blacks above it.
        if (blackHeight === -1) blackHeight = blacks;
        else if (blackHeight !== blacks) return (problem = `black height differs below ${String(h.key)}`), false;
      }
      if (h.left !== null && !check(h.left, blacks + (h.left.red ? 0 : 1))) return false;
      return h.right === null || check(h.right, blacks + (h.right.red ? 0 : 1));
    };
    if (!check(root, 1)) return problem;
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

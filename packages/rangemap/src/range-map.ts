import { RbTree } from "@nanots/rbtree";
import { rangesIntersect } from "./range.js";
import { RangeNode } from "./range-node.js";

/** Result of a range walk: at least one handler ran and none aborted. */
export const RM_MATCH = 1;
/** Result of a range walk: a handler returned `false`. */
export const RM_ABORT = 0;
/** Result of a range walk: no handler ran. */
export const RM_NOMATCH = -1;
/** {@link RM_MATCH}, {@link RM_ABORT} or {@link RM_NOMATCH}. */
export type RangeWalkResult = typeof RM_MATCH | typeof RM_ABORT | typeof RM_NOMATCH;

/** Called for a node overlapping a query; return `false` to stop the walk. */
export type NodeHandler<N> = (node: N) => boolean;
/** Called for an uncovered part `[start, end)` of a query; return `false` to stop the walk. */
export type GapHandler = (start: number, end: number) => boolean;

const byStart = (a: number, b: number) => (a < b ? -1 : a > b ? 1 : 0);

function checkRange(start: number, end: number): void {
  if (!(start >= 0 && start < end) || !Number.isInteger(start) || !(Number.isInteger(end) || end === Infinity)) {
    throw new RangeError(`rangemap: [${start}, ${end}) is not a non-empty range of integers ≥ 0`);
  }
}

/**
 * Non-overlapping half-open ranges keyed by start, on Nanos's red-black tree: the Nanos
 * `rangemap` (id-heap ranges, virtual memory maps, page cache, file extents).
 *
 * Every walk visits only the nodes that intersect its query. Nodes are intrusive
 * ({@link RangeNode}, subclass to attach data); the map creates nodes itself only when
 * {@link RangeMap.insertRange} or {@link RangeMap.insertHole} need one, through `makeNode`.
 *
 * @example
 * ```ts
 * const map = new RangeMap();
 * map.insertRange(10, 20);
 * map.insertRange(20, 30);     // touching: merged into [10, 30)
 * map.insertHole(14, 16);      // split: [10, 14) and [16, 30)
 * map.lookup(15);              // undefined
 * map.findGaps(0, 40, (s, e) => (console.log(s, e), true)); // 0 10, 14 16, 30 40
 * ```
 */
export class RangeMap<N extends RangeNode = RangeNode> implements Iterable<N> {
  private readonly tree = new RbTree<number, N>(byStart);
  private readonly makeNode: (start: number, end: number, from: N | undefined) => N;

  /**
   * @param makeNode creates the nodes that `insertRange` and `insertHole` need (`from` is the
   * node being split, so its data can be copied). Defaults to plain {@link RangeNode}s.
   */
  constructor(makeNode?: (start: number, end: number, from: N | undefined) => N) {
    this.makeNode = makeNode ?? ((start, end) => new RangeNode(start, end) as N);
  }

  /** Number of ranges. */
  get count(): number {
    return this.tree.count;
  }

  /**
   * Inserts `node` unless it overlaps a range already present (touching is fine). Returns
   * whether it was inserted. Throws `RangeError` for an empty or invalid range.
   */
  insert(node: N): boolean {
    checkRange(node.start, node.end);
    // One descent: insert, then check the two neighbours (and back out on overlap).
    if (!this.tree.insert(node)) return false;
    const before = this.tree.prev(node);
    const after = this.tree.next(node);
    if ((before !== undefined && before.end > node.start) || (after !== undefined && after.start < node.end)) {
      this.tree.remove(node);
      return false;
    }
    return true;
  }

  /**
   * Moves `node` to `[start, end)`. When that overlaps another range, the node keeps its old
   * range and `false` is returned.
   */
  reinsert(node: N, start: number, end: number): boolean {
    checkRange(start, end);
    const oldStart = node.start;
    const oldEnd = node.end;
    this.tree.remove(node);
    node.key = start;
    node.end = end;
    if (this.insert(node)) return true;
    node.key = oldStart;
    node.end = oldEnd;
    this.tree.insert(node);
    return false;
  }

  /**
   * Adds `[start, end)` as a set union: every overlapping or touching range merges into the first
   * of them, which is stretched; the others are removed. A node is created only when nothing
   * merged. Returns the node that now covers the range.
   */
  insertRange(start: number, end: number): N {
    checkRange(start, end);
    let n = this.tree.lookupMaxLte(start) ?? this.tree.first();
    if (n !== undefined && n.end < start) n = this.tree.next(n);
    let merged: N | undefined;
    while (n !== undefined && n.start <= end) {
      const following = this.tree.next(n);
      if (merged === undefined) {
        // Lowering the key in place keeps the order: every range below ends before `start`.
        if (n.start > start) n.key = start;
        if (n.end < end) n.end = end;
        merged = n;
      } else {
        if (merged.end < n.end) merged.end = n.end;
        this.tree.remove(n);
      }
      n = following;
    }
    if (merged !== undefined) return merged;
    const node = this.makeNode(start, end, undefined);
    this.tree.insert(node);
    return node;
  }

  /**
   * Removes `[start, end)`, which must lie inside a single range: that range is trimmed, split in
   * two (the upper part is a new node from `makeNode`) or removed. Returns `false`, changing
   * nothing, when the hole is not inside one range.
   */
  insertHole(start: number, end: number): boolean {
    checkRange(start, end);
    const n = this.lookup(start);
    if (n === undefined || n.end < end) return false;
    const nodeEnd = n.end;
    if (n.start < start) {
      n.end = start; // shrinking the end keeps the key
      if (nodeEnd > end) this.tree.insert(this.makeNode(end, nodeEnd, n));
    } else if (nodeEnd > end) {
      n.key = end; // raising the key in place keeps the order: the hole was the node's head
    } else this.tree.remove(n);
    return true;
  }

  /** Removes `node`; returns whether it was in the map. */
  remove(node: N): boolean {
    return this.tree.lookup(node.start) === node && this.tree.remove(node);
  }

  /** The range containing `point`, or `undefined`. */
  lookup(point: number): N | undefined {
    const n = this.tree.lookupMaxLte(point);
    return n !== undefined && point < n.end ? n : undefined;
  }

  /** The range containing `point`, else the first range after it, else `undefined`. */
  lookupAtOrNext(point: number): N | undefined {
    const n = this.tree.lookupMaxLte(point);
    if (n === undefined) return this.tree.first();
    return point < n.end ? n : this.tree.next(n);
  }

  /** The last range whose start is ≤ `point` (it may end before `point`). */
  lookupMaxLte(point: number): N | undefined {
    return this.tree.lookupMaxLte(point);
  }

  /** Whether any range overlaps `[start, end)`. */
  intersects(start: number, end: number): boolean {
    const n = this.lookupAtOrNext(start);
    return n !== undefined && n.start < end && start < end;
  }

  /** Calls `visit` on every range overlapping `[start, end)`, in order. */
  rangeLookup(start: number, end: number, visit: NodeHandler<N>): RangeWalkResult {
    return this.walk(start, end, visit, null);
  }

  /**
   * Calls `visit` on every range overlapping `[start, end)` and `gap` on every uncovered part of
   * it (clipped to the query, trailing gap included), interleaved in address order.
   */
  rangeLookupWithGaps(start: number, end: number, visit: NodeHandler<N>, gap: GapHandler): RangeWalkResult {
    return this.walk(start, end, visit, gap);
  }

  /** Calls `gap` on every uncovered part of `[start, end)`, in order. */
  findGaps(start: number, end: number, gap: GapHandler): RangeWalkResult {
    return this.walk(start, end, null, gap);
  }

  private walk(start: number, end: number, visit: NodeHandler<N> | null, gap: GapHandler | null): RangeWalkResult {
    let matched = false;
    let edge = start;
    for (let n = this.lookupAtOrNext(start); n !== undefined && n.start < end; ) {
      const following = this.tree.next(n); // the handler may remove n
      if (gap !== null && n.start > edge) {
        matched = true;
        if (!gap(edge, n.start)) return RM_ABORT;
      }
      if (n.end > edge) edge = n.end;
      if (visit !== null) {
        matched = true;
        if (!visit(n)) return RM_ABORT;
      }
      n = following;
    }
    if (gap !== null && edge < end) {
      matched = true;
      if (!gap(edge, end)) return RM_ABORT;
    }
    return matched ? RM_MATCH : RM_NOMATCH;
  }

  /** The ranges overlapping `[start, end)`, in order (removing the one just yielded is safe). */
  *overlapping(start: number, end: number): IterableIterator<N> {
    for (let n = this.lookupAtOrNext(start); n !== undefined && n.start < end; ) {
      const following = this.tree.next(n);
      yield n;
      n = following;
    }
  }

  /** The lowest range. */
  first(): N | undefined {
    return this.tree.first();
  }

  /** The highest range. */
  last(): N | undefined {
    return this.tree.last();
  }

  /** The range after `node`. */
  next(node: N): N | undefined {
    return this.tree.next(node);
  }

  /** The range before `node`. */
  prev(node: N): N | undefined {
    return this.tree.prev(node);
  }

  /** Ranges in order; removing the range just yielded is safe. */
  [Symbol.iterator](): IterableIterator<N> {
    return this.tree[Symbol.iterator]();
  }

  /** Removes every range, calling `destroy` on each first (post-order, as Nanos's destruct). */
  clear(destroy?: (node: N) => void): void {
    this.tree.clear(destroy);
  }

  /**
   * Checks the tree invariants and that ranges are non-empty and disjoint in start order.
   * Returns a description of the first violation, or `undefined`.
   */
  validate(): string | undefined {
    const problem = this.tree.validate();
    if (problem !== undefined) return problem;
    let last: N | undefined;
    for (const n of this) {
      if (!(n.start < n.end)) return `empty range [${n.start}, ${n.end})`;
      if (last !== undefined && rangesIntersect(last, n)) return `[${last.start}, ${last.end}) overlaps [${n.start}, ${n.end})`;
      last = n;
    }
    return undefined;
  }
}

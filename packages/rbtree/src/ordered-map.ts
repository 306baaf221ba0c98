import { RbNode } from "./rb-node.js";
import { RbTree, type KeyCompare } from "./rb-tree.js";

/** A key–value node of an {@link OrderedMap}. */
class MapNode<K, V> extends RbNode<K> {
  value: V;
  constructor(key: K, value: V) {
    super(key);
    this.value = value;
  }
}

/** Natural order of numbers, strings and bigints. */
export function naturalOrder<K>(a: K, b: K): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A sorted map on {@link RbTree}: the API people expect from an ordered map (`get`, `set`,
 * `delete`, `floor`, `ceiling`, iteration both ways), with Nanos's tree underneath.
 *
 * @example
 * ```ts
 * const m = new OrderedMap<number, string>();
 * m.set(10, "ten").set(20, "twenty");
 * m.floor(15);        // [10, "ten"]
 * [...m.keys()];      // [10, 20]
 * ```
 */
export class OrderedMap<K, V> implements Iterable<[K, V]> {
  private readonly tree: RbTree<K, MapNode<K, V>>;

  /** @param compare key order; numbers, strings and bigints sort naturally by default. */
  constructor(compare: KeyCompare<K> = naturalOrder, entries?: Iterable<readonly [K, V]>) {
    this.tree = new RbTree<K, MapNode<K, V>>(compare);
    if (entries !== undefined) for (const [k, v] of entries) this.set(k, v);
  }

  /** Number of entries. */
  get size(): number {
    return this.tree.count;
  }

  /** The value stored under `key`, or `undefined`. */
  get(key: K): V | undefined {
    return this.tree.lookup(key)?.value;
  }

  /** Whether `key` is present. */
  has(key: K): boolean {
    return this.tree.lookup(key) !== undefined;
  }

  /** Stores `value` under `key`, replacing any previous value (one descent). */
  set(key: K, value: V): this {
    const node = new MapNode(key, value);
    const existing = this.tree.findOrInsert(node);
    if (existing !== node) existing.value = value;
    return this;
  }

  /** Removes `key`; returns whether it was present. */
  delete(key: K): boolean {
    return this.tree.removeByKey(key) !== undefined;
  }

  /** Removes every entry. */
  clear(): void {
    this.tree.clear();
  }

  /** The entry with the largest key ≤ `key`. */
  floor(key: K): [K, V] | undefined {
    return entry(this.tree.lookupMaxLte(key));
  }

  /** The entry with the smallest key ≥ `key`. */
  ceiling(key: K): [K, V] | undefined {
    return entry(this.tree.lookupMinGte(key));
  }

  /** The entry with the smallest key. */
  min(): [K, V] | undefined {
    return entry(this.tree.first());
  }

  /** The entry with the largest key. */
  max(): [K, V] | undefined {
    return entry(this.tree.last());
  }

  /** Entries in ascending key order (deleting the entry just yielded is safe). */
  *entries(): IterableIterator<[K, V]> {
    for (const n of this.tree) yield [n.key, n.value];
  }

  /** Entries in descending key order (deleting the entry just yielded is safe). */
  *entriesReversed(): IterableIterator<[K, V]> {
    for (let n = this.tree.last(); n !== undefined; ) {
      const before = this.tree.prev(n);
      yield [n.key, n.value];
      n = before;
    }
  }

  /** Keys in ascending order. */
  *keys(): IterableIterator<K> {
    for (const n of this.tree) yield n.key;
  }

  /** Values in ascending key order. */
  *values(): IterableIterator<V> {
    for (const n of this.tree) yield n.value;
  }

  /** Calls `fn` for every entry in ascending key order. */
  forEach(fn: (value: V, key: K, map: this) => void): void {
    for (const n of this.tree) fn(n.value, n.key, this);
  }

  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries();
  }

  /** Checks the underlying tree's invariants; a description of the first violation or `undefined`. */
  validate(): string | undefined {
    return this.tree.validate();
  }
}

function entry<K, V>(n: MapNode<K, V> | undefined): [K, V] | undefined {
  return n === undefined ? undefined : [n.key, n.value];
}

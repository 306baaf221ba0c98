import { TupleError } from "./tuple-error.js";

/** Most buckets a table grows to (Nanos `TABLE_MAX_BUCKETS`); chains get longer after that. */
export const MAX_BUCKETS = 131072;

class Entry<K, V> {
  removed = false;
  constructor(
    readonly key: K,
    public value: V | undefined,
    readonly hash: number,
    public next: Entry<K, V> | undefined,
  ) {}
}

/** Options of {@link HashTable}. */
export interface HashTableOptions {
  /**
   * Preallocated table (Nanos `allocate_table_preallocated`): exactly this many buckets, never
   * resized, and at most this many entries; one more insert throws.
   */
  preallocate?: number;
}

/**
 * The Nanos hash table: separate chaining with a caller-supplied hash and equality. Buckets are a
 * power of two (starting at 4) indexed by the **low bits** of the hash; the table doubles when
 * an insert finds more entries than buckets, up to {@link MAX_BUCKETS}, and never shrinks. Each
 * entry keeps its full hash, and `equals` runs only when hashes match.
 *
 * As in Nanos, *absent* is the "no value" value: `get` returns `undefined` when the key is
 * missing, `set(key, undefined)` deletes, and on update the **originally stored key object is
 * kept** (only the value changes). `setNoReplace(key, undefined)` does store an entry whose value
 * is absent (Nanos does the same with 0): it counts, but `get` cannot tell it from a missing key.
 *
 * @typeParam K key type; @typeParam V value type.
 * @example
 * ```ts
 * const t = new HashTable<string, number>((s) => s.length, (a, b) => a === b);
 * t.set("one", 1);
 * t.get("one"); // 1
 * t.set("one", undefined); // deletes
 * ```
 */
export class HashTable<K, V> implements Iterable<[K, V | undefined]> {
  readonly #hash: (key: K) => number;
  readonly #equals: (a: K, b: K) => boolean;
  readonly #limit: number | undefined;
  #buckets: Array<Entry<K, V> | undefined>;
  #count = 0;

  /**
   * @param hash any number; only its low 32 bits pick the bucket, all of it is compared.
   * @param equals key equality, called only for keys with equal hashes.
   */
  constructor(hash: (key: K) => number, equals: (a: K, b: K) => boolean, options: HashTableOptions = {}) {
    this.#hash = hash;
    this.#equals = equals;
    const n = options.preallocate;
    if (n !== undefined && !(Number.isSafeInteger(n) && n > 0 && (n & (n - 1)) === 0)) {
      throw new TupleError(`preallocated bucket count ${n} is not a positive power of two`);
    }
    this.#limit = n;
    this.#buckets = new Array<Entry<K, V> | undefined>(n ?? 4).fill(undefined);
  }

  /** Number of entries (Nanos `table_elements`). */
  get count(): number {
    return this.#count;
  }

  /** Number of buckets. */
  get bucketCount(): number {
    return this.#buckets.length;
  }

  // A hash that is NaN or infinite would never equal itself or pick a bucket: treat it as 0.
  #hashOf(key: K): number {
    const hash = this.#hash(key);
    return Number.isFinite(hash) ? hash : 0;
  }

  #find(key: K, hash: number): Entry<K, V> | undefined {
    for (let e = this.#buckets[hash & (this.#buckets.length - 1)]; e !== undefined; e = e.next) {
      if (e.hash === hash && this.#equals(e.key, key)) return e;
    }
    return undefined;
  }

  /** The value stored for `key`, or `undefined` (Nanos `table_find`). */
  get(key: K): V | undefined {
    return this.#find(key, this.#hashOf(key))?.value;
  }

  /** True when an entry for `key` exists (even one holding an absent value). */
  has(key: K): boolean {
    return this.#find(key, this.#hashOf(key)) !== undefined;
  }

  /**
   * Stores `value` for `key`; `undefined` deletes. An existing entry keeps its original key
   * object (Nanos `table_set`).
   */
  set(key: K, value: V | undefined): void {
    const hash = this.#hashOf(key);
    const found = this.#find(key, hash);
    if (found !== undefined) {
      if (value === undefined) this.#unlink(found);
      else found.value = value;
    } else if (value !== undefined) {
      this.#insert(key, value, hash);
    }
  }

  /** Inserts only when `key` is absent; true if inserted (Nanos `table_set_noreplace`). */
  setNoReplace(key: K, value: V | undefined): boolean {
    const hash = this.#hashOf(key);
    if (this.#find(key, hash) !== undefined) return false;
    this.#insert(key, value, hash);
    return true;
  }

  /** Removes `key`, returning its value or `undefined` (Nanos `table_remove`). */
  remove(key: K): V | undefined {
    const found = this.#find(key, this.#hashOf(key));
    if (found === undefined) return undefined;
    this.#unlink(found);
    return found.value;
  }

  /** Removes every entry; the bucket count stays. */
  clear(): void {
    for (const head of this.#buckets) for (let e = head; e !== undefined; e = e.next) e.removed = true;
    this.#buckets.fill(undefined);
    this.#count = 0;
  }

  /**
   * Calls `handler` for each entry in bucket order, then chain order; returning `false` stops
   * the walk (the result is then `false`). Removing any entries during the walk is safe (removed
   * entries are not visited). Inserting may resize the table, after which the walk may repeat
   * or miss entries, as in Nanos.
   */
  forEach(handler: (value: V | undefined, key: K) => boolean | void): boolean {
    for (const [key, value] of this) if (handler(value, key) === false) return false;
    return true;
  }

  /** The entries, in {@link forEach} order, with the same safety against removal. */
  *entries(): IterableIterator<[K, V | undefined]> {
    const buckets = this.#buckets;
    for (let i = 0; i < buckets.length; i++) {
      for (let e = buckets[i]; e !== undefined; e = e.next) {
        if (!e.removed) yield [e.key, e.value];
      }
    }
  }

  /** The keys, in {@link forEach} order. */
  *keys(): IterableIterator<K> {
    for (const [key] of this.entries()) yield key;
  }

  /** The values, in {@link forEach} order. */
  *values(): IterableIterator<V | undefined> {
    for (const [, value] of this.entries()) yield value;
  }

  /** Same as {@link entries}. */
  [Symbol.iterator](): IterableIterator<[K, V | undefined]> {
    return this.entries();
  }

  /**
   * Checks the structure: every entry sits in the bucket its hash selects and the count matches.
   * @throws {@link TupleError} describing the first inconsistency.
   */
  validate(): void {
    let seen = 0;
    const mask = this.#buckets.length - 1;
    this.#buckets.forEach((head, i) => {
      for (let e = head; e !== undefined; e = e.next) {
        if ((e.hash & mask) !== i || e.removed) throw new TupleError(`hash table entry misplaced in bucket ${i}`);
        seen++;
      }
    });
    if (seen !== this.#count) throw new TupleError(`hash table holds ${seen} entries but counts ${this.#count}`);
  }

  #insert(key: K, value: V | undefined, hash: number): void {
    if (this.#limit !== undefined && this.#count >= this.#limit) {
      throw new TupleError(`preallocated hash table is full (${this.#limit} entries)`);
    }
    const index = hash & (this.#buckets.length - 1);
    const entry = new Entry(key, value, hash, undefined);
    // New entries go to the tail of their chain.
    let tail = this.#buckets[index];
    if (tail === undefined) this.#buckets[index] = entry;
    else {
      while (tail.next !== undefined) tail = tail.next;
      tail.next = entry;
    }
    if (this.#count++ > this.#buckets.length && this.#limit === undefined && this.#buckets.length <= MAX_BUCKETS / 2) {
      this.#resize(this.#buckets.length * 2);
    }
  }

  #unlink(entry: Entry<K, V>): void {
    const index = entry.hash & (this.#buckets.length - 1);
    let e = this.#buckets[index];
    if (e === entry) this.#buckets[index] = entry.next;
    else {
      while (e!.next !== entry) e = e!.next;
      e!.next = entry.next;
    }
    // entry.next stays, so a walk standing on this entry can go on.
    entry.removed = true;
    this.#count--;
  }

  #resize(size: number): void {
    const buckets = new Array<Entry<K, V> | undefined>(size).fill(undefined);
    // Each entry is pushed on the front of its new chain, which reverses chains, as in Nanos.
    for (const head of this.#buckets) {
      for (let e = head, next: Entry<K, V> | undefined; e !== undefined; e = next) {
        next = e.next;
        const index = e.hash & (size - 1);
        e.next = buckets[index];
        buckets[index] = e;
      }
    }
    this.#buckets = buckets;
  }
}

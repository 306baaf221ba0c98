/**
 * Orders two elements: negative when `a` must leave the queue before `b`, positive when after,
 * zero when either may go first (the same contract as `Array.prototype.sort`).
 */
export type Compare<T> = (a: T, b: T) => number;

/**
 * A Nanos-style predicate: `below(parent, child)` returns true when `parent` should sit below
 * `child`, i.e. the two must be swapped. `(a, b) => a < b` gives a max-queue, `(a, b) => a > b` a
 * min-queue, as in Nanos's `allocate_pqueue`.
 */
export type Predicate<T> = (parent: T, child: T) => boolean;

/**
 * A binary-heap priority queue with a comparator, removal by identity and in-place reorder:
 * the Nanos `pqueue` (kernel timers), with an idiomatic API.
 *
 * Elements may be any value, including `0`, `null` and `undefined`: unlike Nanos, `pop` decides
 * by the length, never by the value it moves (see the README). Duplicates are allowed.
 *
 * @example
 * ```ts
 * const q = new PriorityQueue<number>((a, b) => a - b); // smallest first
 * q.push(5); q.push(1); q.push(3);
 * q.pop(); // 1
 * ```
 */
export class PriorityQueue<T> {
  /** The heap in array order: `items[0]` is the head; children of `i` are `2i+1`, `2i+2`. */
  private readonly items: T[] = [];
  private readonly compare: Compare<T>;

  constructor(compare: Compare<T>) {
    this.compare = compare;
  }

  /**
   * A queue ordered by a Nanos `pqueue` predicate (`true` means "swap parent and child"), so
   * code ported from Nanos keeps its meaning: `(a, b) => a < b` pops the largest first.
   */
  static fromPredicate<T>(below: Predicate<T>): PriorityQueue<T> {
    return new PriorityQueue<T>((a, b) => (below(b, a) ? -1 : below(a, b) ? 1 : 0));
  }

  /** Number of elements. */
  get length(): number {
    return this.items.length;
  }

  /** Adds an element. O(log n). */
  push(value: T): void {
    const items = this.items;
    items.push(value);
    this.siftUp(items.length - 1, value);
  }

  /** Removes and returns the head, or `undefined` when empty. O(log n). */
  pop(): T | undefined {
    const items = this.items;
    const n = items.length;
    if (n === 0) return undefined;
    const head = items[0];
    const last = items.pop() as T;
    if (n > 1) this.siftDown(0, last);
    return head;
  }

  /** The head without removing it, or `undefined` when empty. */
  peek(): T | undefined {
    return this.items[0];
  }

  /**
   * The element in raw array slot `index` (0 is the head), or `undefined` when out of range.
   * Slots follow heap order, not priority order.
   */
  peekAt(index: number): T | undefined {
    return index >= 0 && index < this.items.length ? this.items[index] : undefined;
  }

  /**
   * Removes the first element identical (`Object.is`) to `value`, found by a linear search as in
   * Nanos. Returns whether one was found. O(n).
   */
  remove(value: T): boolean {
    const items = this.items;
    for (let i = 0; i < items.length; i++) {
      if (Object.is(items[i], value)) {
        this.removeAt(i);
        return true;
      }
    }
    return false;
  }

  /** Removes and returns the element in slot `index`, or `undefined` when out of range. O(log n). */
  removeAt(index: number): T | undefined {
    const items = this.items;
    if (!(index >= 0 && index < items.length)) return undefined;
    const removed = items[index];
    const last = items.pop() as T;
    if (index < items.length) {
      // The moved element may belong above or below the hole.
      if (index > 0 && this.compare(last, items[(index - 1) >> 1] as T) < 0) this.siftUp(index, last);
      else this.siftDown(index, last);
    }
    return removed as T;
  }

  /**
   * Restores heap order after priorities changed in place (Floyd's bottom-up build). O(n).
   */
  reorder(): void {
    const items = this.items;
    for (let i = (items.length >> 1) - 1; i >= 0; i--) this.siftDown(i, items[i] as T);
  }

  /**
   * Visits elements in array (heap) order, not priority order. Stops as soon as `visit` returns
   * `false`; returns `false` when it stopped early, `true` when every element was visited.
   */
  walk(visit: (value: T, index: number) => boolean): boolean {
    const items = this.items;
    for (let i = 0; i < items.length; i++) if (!visit(items[i] as T, i)) return false;
    return true;
  }

  /** Removes every element. */
  clear(): void {
    this.items.length = 0;
  }

  /** Elements in heap array order (a copy). */
  toArray(): T[] {
    return this.items.slice();
  }

  /** Iterates in heap array order (no removal). */
  [Symbol.iterator](): IterableIterator<T> {
    return this.items[Symbol.iterator]();
  }

  /** Whether every parent orders before-or-equal its children. O(n); for tests and debugging. */
  validate(): boolean {
    const items = this.items;
    for (let i = 1; i < items.length; i++) if (this.compare(items[i] as T, items[(i - 1) >> 1] as T) < 0) return false;
    return true;
  }

  /** Moves `value` from the hole at `index` up to its place (parents shift down into the hole). */
  private siftUp(index: number, value: T): void {
    const items = this.items;
    const compare = this.compare;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = items[parentIndex] as T;
      if (compare(value, parent) >= 0) break;
      items[index] = parent;
      index = parentIndex;
    }
    items[index] = value;
  }

  /** Moves `value` from the hole at `index` down to its place (the better child moves up). */
  private siftDown(index: number, value: T): void {
    const items = this.items;
    const compare = this.compare;
    const n = items.length;
    const half = n >> 1;
    while (index < half) {
      let child = 2 * index + 1;
      let best = items[child] as T;
      const right = child + 1;
      if (right < n && compare(items[right] as T, best) < 0) {
        child = right;
        best = items[right] as T;
      }
      if (compare(best, value) >= 0) break;
      items[index] = best;
      index = child;
    }
    items[index] = value;
  }
}

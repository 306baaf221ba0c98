/**
 * A min-queue of values keyed by numeric priorities, stored in typed arrays: the fastest shape
 * when priorities are plain numbers (timer deadlines, distances). Smallest priority pops first;
 * ties leave in unspecified order.
 *
 * @example
 * ```ts
 * const q = new NumericPriorityQueue<string>();
 * q.push("later", 20); q.push("soon", 5);
 * q.peekPriority(); // 5
 * q.pop();          // "soon"
 * ```
 */
export class NumericPriorityQueue<T> {
  private values: T[] = [];
  private priorities: Float64Array;
  private size = 0;

  /** @param capacity initial room; the arrays double when full. */
  constructor(capacity = 64) {
    this.priorities = new Float64Array(Math.max(1, capacity));
  }

  /** Number of elements. */
  get length(): number {
    return this.size;
  }

  /** Adds `value` with `priority` (NaN is rejected: it would break the ordering). O(log n). */
  push(value: T, priority: number): void {
    if (priority !== priority) throw new RangeError("NumericPriorityQueue: priority is NaN");
    if (this.size === this.priorities.length) {
      const grown = new Float64Array(this.priorities.length * 2);
      grown.set(this.priorities);
      this.priorities = grown;
    }
    const values = this.values;
    const priorities = this.priorities;
    let index = this.size++;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const parentPriority = priorities[parent]!;
      if (parentPriority <= priority) break;
      values[index] = values[parent] as T;
      priorities[index] = parentPriority;
      index = parent;
    }
    values[index] = value;
    priorities[index] = priority;
  }

  /** Removes and returns the value with the smallest priority, or `undefined` when empty. */
  pop(): T | undefined {
    if (this.size === 0) return undefined;
    const values = this.values;
    const head = values[0];
    const last = --this.size;
    if (last > 0) this.siftDown(values[last] as T, this.priorities[last]!);
    // Vacated slots keep stale references (clearing each one costs a third of pop's speed);
    // dropping the tail once the queue has shrunk to a quarter bounds what they retain.
    if (last < values.length >> 2) values.length = last;
    return head;
  }

  /**
   * Replaces the head by `value` with `priority` and returns the old head, in one sift instead of
   * a pop and a push. On an empty queue it just pushes and returns `undefined`.
   */
  replaceTop(value: T, priority: number): T | undefined {
    if (this.size === 0) {
      this.push(value, priority);
      return undefined;
    }
    if (priority !== priority) throw new RangeError("NumericPriorityQueue: priority is NaN");
    const head = this.values[0];
    this.siftDown(value, priority);
    return head;
  }

  /** The value with the smallest priority, or `undefined` when empty. */
  peek(): T | undefined {
    return this.size === 0 ? undefined : this.values[0];
  }

  /** The smallest priority, or `undefined` when empty. */
  peekPriority(): number | undefined {
    return this.size === 0 ? undefined : this.priorities[0];
  }

  /** Removes every element. */
  clear(): void {
    this.values.fill(undefined as T, 0, this.size);
    this.size = 0;
  }

  /** Places `value` at the root hole and sifts it down over `this.size` elements. */
  private siftDown(value: T, priority: number): void {
    const values = this.values;
    const priorities = this.priorities;
    const n = this.size;
    const half = n >> 1;
    let index = 0;
    while (index < half) {
      let child = 2 * index + 1;
      let best = priorities[child]!;
      const right = child + 1;
      if (right < n) {
        const rightPriority = priorities[right]!;
        if (rightPriority < best) {
          child = right;
          best = rightPriority;
        }
      }
      if (best >= priority) break;
      values[index] = values[child] as T;
      priorities[index] = best;
      index = child;
    }
    values[index] = value;
    priorities[index] = priority;
  }
}

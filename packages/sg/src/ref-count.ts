/**
 * A reference count on memory that fragments point into (a page-cache page, a network buffer).
 * `onFree` runs once, when the last reference is released.
 *
 * @example
 * ```ts
 * const ref = new RefCount(() => pool.give(page)); // 1 reference
 * ref.retain();  // 2
 * ref.release(); // 1
 * ref.release(); // 0: onFree runs
 * ```
 */
export class RefCount {
  private count: number;
  private readonly onFree: () => void;

  constructor(onFree: () => void, initial = 1) {
    if (!(Number.isInteger(initial) && initial >= 1)) throw new RangeError(`RefCount: initial count must be a positive integer, got ${initial}`);
    this.onFree = onFree;
    this.count = initial;
  }

  /** References currently held. */
  get references(): number {
    return this.count;
  }

  /** Takes one more reference. */
  retain(): void {
    if (this.count === 0) throw new Error("RefCount: retain after the memory was freed");
    this.count++;
  }

  /** Drops one reference; frees the memory when it was the last. */
  release(): void {
    if (this.count === 0) throw new Error("RefCount: released more often than retained");
    if (--this.count === 0) this.onFree();
  }
}

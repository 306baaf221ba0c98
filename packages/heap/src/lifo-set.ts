/**
 * A set of numbers that pops the most recently added member and removes any member in O(1)
 * amortised: a stack plus a membership count, with removed entries skipped lazily.
 */
export class LifoSet {
  private readonly stack: number[] = [];
  private readonly members = new Set<number>();

  get size(): number {
    return this.members.size;
  }

  has(value: number): boolean {
    return this.members.has(value);
  }

  add(value: number): void {
    this.members.add(value);
    this.stack.push(value);
  }

  delete(value: number): boolean {
    if (!this.members.delete(value)) return false;
    if (this.stack.length > 2 * this.members.size + 64) this.compact();
    return true;
  }

  /** Removes and returns the most recently added member, or undefined when empty. */
  pop(): number | undefined {
    while (this.stack.length > 0) {
      const value = this.stack.pop()!;
      // Only the topmost copy of a value is live: deeper copies predate a delete and re-add.
      if (this.members.delete(value)) {
        return value;
      }
    }
    return undefined;
  }

  /** Drops stale entries, keeping only the topmost copy of each member. */
  private compact(): void {
    const seen = new Set<number>();
    const kept: number[] = [];
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const value = this.stack[i]!;
      if (this.members.has(value) && !seen.has(value)) {
        seen.add(value);
        kept.push(value);
      }
    }
    kept.reverse();
    this.stack.length = kept.length;
    for (let i = 0; i < kept.length; i++) this.stack[i] = kept[i]!;
  }
}

import { RbNode } from "@nanots/rbtree";

/**
 * A range stored in a {@link RangeMap}: `[start, end)`, keyed by `start`. Subclass it to attach
 * data (as Nanos embeds an `rmnode` in its records), or use `RangeMap`'s `value` nodes.
 *
 * Do not change `start`/`end` of a node that is in a map; use `RangeMap.reinsert`.
 */
export class RangeNode extends RbNode<number> {
  end: number;

  constructor(start: number, end: number) {
    super(start);
    this.end = end;
  }

  /** First element of the range (the tree key). */
  get start(): number {
    return this.key;
  }
}

import { INVALID } from "./constants.js";
import { heapFree, managementOf, type Heap, type ManagementInfo } from "./heap.js";

/**
 * A view of a parent that keeps `reserved` bytes out of reach (Nanos `reserve_heap`): an
 * allocation fails when the parent's free bytes are below `reserved + bytes`.
 */
export class ReserveHeap implements Heap {
  readonly pagesize: number;

  constructor(
    private readonly parent: Heap,
    /** Bytes kept free in the parent. */
    readonly reserved: number,
  ) {
    this.pagesize = parent.pagesize;
  }

  alloc(bytes: number): number {
    const free = heapFree(this.parent);
    if (free === INVALID || free < this.reserved + bytes) return INVALID;
    return this.parent.alloc(bytes);
  }

  dealloc(address: number, bytes: number): boolean {
    return this.parent.dealloc(address, bytes);
  }

  allocated(): number {
    return this.parent.allocated();
  }

  /** The parent's total minus the reserve. */
  total(): number {
    const total = this.parent.total();
    return total === INVALID ? INVALID : total - this.reserved;
  }

  management(): ManagementInfo {
    return managementOf(this, "reserve", { reserved: this.reserved });
  }

  /** Does nothing: the parent belongs to the caller. */
  destroy(): void {}
}

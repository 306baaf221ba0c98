import { managementOf, type Heap, type ManagementInfo } from "./heap.js";

/** Base of the heaps that count their own bytes (id heap, page heap). */
export abstract class AccountedHeap implements Heap {
  abstract readonly pagesize: number;
  /** The `type` reported by {@link AccountedHeap.management}. */
  protected abstract readonly kind: string;
  protected allocatedBytes = 0;
  protected totalBytes = 0;

  abstract alloc(bytes: number): number;
  abstract dealloc(address: number, bytes: number): boolean;

  /** Bytes allocated. */
  allocated(): number {
    return this.allocatedBytes;
  }

  /** Bytes in all ranges. */
  total(): number {
    return this.totalBytes;
  }

  management(): ManagementInfo {
    return managementOf(this, this.kind);
  }

  /** Forgets every range and resets the counters. */
  destroy(): void {
    this.allocatedBytes = 0;
    this.totalBytes = 0;
  }
}

import { INVALID } from "./constants.js";
import { ignoreDiagnostic, type Diagnostic } from "./diagnostic.js";
import { managementOf, type Heap, type ManagementInfo } from "./heap.js";

/**
 * A heap of one fixed block size over a parent (Nanos `freelist`). Freed blocks are reused LIFO
 * and never returned to the parent. Other sizes fail with {@link INVALID}.
 *
 * Differs from Nanos: the list lives in a TS array instead of inside the freed blocks, and frees
 * of addresses that are not live blocks are reported and ignored.
 */
export class FreelistHeap implements Heap {
  readonly pagesize: number;
  private readonly reusable: number[] = [];
  private readonly live = new Set<number>();
  private takenBytes = 0;

  constructor(
    private readonly parent: Heap,
    /** The only size this heap serves. */
    readonly size: number,
    private readonly onError: Diagnostic = ignoreDiagnostic,
  ) {
    this.pagesize = size;
  }

  alloc(bytes: number): number {
    if (bytes !== this.size) {
      this.onError(`freelist: allocation of ${bytes} bytes from a heap of ${this.size}-byte blocks`);
      return INVALID;
    }
    let address = this.reusable.pop();
    if (address === undefined) {
      address = this.parent.alloc(this.size);
      if (address === INVALID) return INVALID;
      this.takenBytes += this.size;
    }
    this.live.add(address);
    return address;
  }

  dealloc(address: number, bytes: number): boolean {
    if (bytes !== this.size || !this.live.delete(address)) {
      this.onError(`freelist: free of ${bytes} bytes at ${address} is not a live ${this.size}-byte block; leaking`);
      return false;
    }
    this.reusable.push(address);
    return true;
  }

  /** Bytes in live blocks. */
  allocated(): number {
    return this.live.size * this.size;
  }

  /** Bytes ever taken from the parent. */
  total(): number {
    return this.takenBytes;
  }

  management(): ManagementInfo {
    return managementOf(this, "freelist");
  }

  /** Returns every block ever taken to the parent. */
  destroy(): void {
    for (const address of [...this.reusable, ...this.live]) this.parent.dealloc(address, this.size);
    this.reusable.length = 0;
    this.live.clear();
    this.takenBytes = 0;
  }
}

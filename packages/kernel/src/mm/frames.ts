// Physical page frames of guest RAM, handed out by an @nanots/heap id heap (as Nanos's
// physical heap is one).
import { IdHeap, INVALID } from "@nanots/heap";

export const PAGE_SIZE = 4096;

/** Allocates and frees 4 KiB frames of guest physical memory. */
export class FrameAllocator {
  private readonly heap = new IdHeap({ pagesize: PAGE_SIZE });
  private used = 0;

  private readonly total: number;

  /** Frames in [start, end) (page-aligned physical addresses) are available. */
  constructor(start: number, end: number) {
    this.heap.addRange(start, end - start);
    this.total = Math.floor((end - start) / PAGE_SIZE);
  }

  /** A free frame's physical address, or -1 when guest RAM is exhausted. */
  allocate(): number {
    const frame = this.heap.alloc(PAGE_SIZE);
    if (frame === INVALID) return -1;
    this.used++;
    return frame;
  }

  free(frame: number): void {
    if (this.heap.dealloc(frame, PAGE_SIZE)) this.used--;
  }

  /** Frames in use. */
  get inUse(): number {
    return this.used;
  }

  /** Frames still free. */
  get available(): number {
    return this.total - this.used;
  }
}

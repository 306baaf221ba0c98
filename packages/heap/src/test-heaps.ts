// Test helpers: a parent heap that counts calls, used to prove what touches the parent.
import type { Heap } from "./heap.js";

/** Wraps `heap`, counting alloc and dealloc calls. */
export function countingHeap(heap: Heap): Heap & { allocs: number; deallocs: number } {
  const counted = {
    pagesize: heap.pagesize,
    allocs: 0,
    deallocs: 0,
    alloc(bytes: number) {
      counted.allocs++;
      return heap.alloc(bytes);
    },
    dealloc(address: number, bytes: number) {
      counted.deallocs++;
      return heap.dealloc(address, bytes);
    },
    allocated: () => heap.allocated(),
    total: () => heap.total(),
    management: () => heap.management(),
    destroy: () => heap.destroy(),
  };
  return counted;
}

import { INVALID } from "./constants.js";

/** Statistics a heap reports, the fields of Nanos's `management` tuple. */
export interface ManagementInfo {
  /** Kind of heap: "id", "objcache", "mcache", "page", … */
  type: string;
  pagesize: number;
  allocated: number;
  total: number;
  free: number;
  /** Extra per-heap details (mcache size classes, wrapped parent). */
  [key: string]: unknown;
}

/**
 * The common allocator interface (Nanos `struct heap`). Addresses and sizes are plain numbers,
 * exact below 2^53.
 */
export interface Heap {
  /** Allocation granule in bytes (a power of two). */
  readonly pagesize: number;
  /** Allocates `bytes`; returns the address or {@link INVALID}. Never throws. */
  alloc(bytes: number): number;
  /**
   * Frees a block; the caller passes the size back. Returns false (and leaks the block) when the
   * free is invalid; the reason goes to the heap's diagnostic callback.
   */
  dealloc(address: number, bytes: number): boolean;
  /** Bytes in use, or {@link INVALID} when the heap does not keep the statistic. */
  allocated(): number;
  /** Bytes under management, or {@link INVALID} when unknown. */
  total(): number;
  /** Statistics as one object. */
  management(): ManagementInfo;
  /** Releases everything the heap took from its parents. */
  destroy(): void;
}

/** A heap that returns usable memory: each block has a physical and a virtual address. */
export interface BackedHeap extends Heap {
  /** Allocates and maps; returns `{ virt, phys }` or undefined on failure. */
  allocMap(bytes: number): { virt: number; phys: number } | undefined;
  /** Unmaps and frees a block; `phys` may be {@link INVALID} to look it up from the mapping. */
  deallocUnmap(virt: number, phys: number, bytes: number): boolean;
}

/** `drain` length meaning "release everything releasable" (Nanos `CACHE_DRAIN_ALL`). */
export const CACHE_DRAIN_ALL = Infinity;

/** A heap that caches memory it could give back (Nanos `caching_heap`). */
export interface CachingHeap extends Heap {
  /** Returns cached memory to the parent until `bytes` are released, keeping at least `retain` bytes of free capacity. Returns bytes released. */
  drain(bytes: number, retain: number): number;
}

/** total − allocated, or {@link INVALID} when either is unknown (Nanos `heap_free`). */
export function heapFree(heap: Heap): number {
  const total = heap.total();
  const allocated = heap.allocated();
  return total === INVALID || allocated === INVALID ? INVALID : total - allocated;
}

/** Builds a {@link ManagementInfo} from a heap's statistics. */
export function managementOf(heap: Heap, type: string, extra: Record<string, unknown> = {}): ManagementInfo {
  const allocated = heap.allocated();
  const total = heap.total();
  return { type, pagesize: heap.pagesize, allocated, total, free: heapFree(heap), ...extra };
}

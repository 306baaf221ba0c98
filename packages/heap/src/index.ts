// Public API of @nanots/heap: re-exports only.
export { INVALID, MAX_ADDRESS } from "./constants.js";
export { ignoreDiagnostic, type Diagnostic } from "./diagnostic.js";
export { CACHE_DRAIN_ALL, heapFree, managementOf, type BackedHeap, type CachingHeap, type Heap, type ManagementInfo } from "./heap.js";
export { findOrder, isPowerOfTwo, pad } from "./math.js";
export { Bitmap, BITMAP_EXTEND_BITS } from "./bitmap.js";
export { IdHeap, type IdHeapOptions } from "./id-heap.js";
export { PageHeap, PAGE_HEAP_AREA_PAGES, PAGE_HEAP_MAX_ORDER, type PageHeapOptions } from "./page-heap.js";

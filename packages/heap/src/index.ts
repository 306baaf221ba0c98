// Public API of @nanots/heap: re-exports only.
export { INVALID, MAX_ADDRESS } from "./constants.js";
export { ignoreDiagnostic, type Diagnostic } from "./diagnostic.js";
export { CACHE_DRAIN_ALL, heapFree, managementOf, type BackedHeap, type CachingHeap, type Heap, type ManagementInfo } from "./heap.js";
export { findOrder, isPowerOfTwo, pad } from "./math.js";
export { Bitmap, BITMAP_EXTEND_BITS, BITMAP_MAX_STORAGE_BITS } from "./bitmap.js";
export { IdHeap, type IdHeapOptions } from "./id-heap.js";
export { PageHeap, PAGE_HEAP_AREA_PAGES, PAGE_HEAP_MAX_ORDER, type PageHeapOptions } from "./page-heap.js";
export { FreelistHeap } from "./freelist.js";
export { ReserveHeap } from "./reserve-heap.js";
export { MemoryMapper, type Mapper } from "./mapper.js";
export { LinearBackedHeap, type LinearBackedHeapOptions } from "./linear-backed-heap.js";
export { PagedBackedHeap } from "./paged-backed-heap.js";
export { FOOTER_MAGIC, FooterTable, sharedFooters, type PageFooter } from "./page-footer.js";
export { Objcache, objcacheFromObject, OBJCACHE_FOOTER_BYTES, OBJCACHE_MAX_OBJECTS_PER_PAGE, type ObjcacheOptions } from "./objcache.js";
export { Mcache, UNKNOWN_SIZE, type McacheOptions } from "./mcache.js";

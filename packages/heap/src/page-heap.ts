import { RangeMap, RangeNode } from "@nanots/rangemap";
import { Bitmap, BITMAP_MAX_STORAGE_BITS } from "./bitmap.js";
import { INVALID } from "./constants.js";
import { ignoreDiagnostic, type Diagnostic } from "./diagnostic.js";
import { AccountedHeap } from "./accounted-heap.js";
import { LifoSet } from "./lifo-set.js";
import { findOrder, isCount, isPowerOfTwo } from "./math.js";

/** Areas never cross a boundary of this many pages, so no buddy pair does either. */
export const PAGE_HEAP_AREA_PAGES = 65536;
/** The largest buddy order (2 MiB blocks with 4 KiB pages). */
export const PAGE_HEAP_MAX_ORDER = 9;

/** Physical memory added with addRange, in pages. */
class PhysicalRange extends RangeNode {
  /** One bit per page of the range: set while allocated. */
  readonly inUse: Bitmap;

  constructor(start: number, end: number) {
    super(start, end);
    this.inUse = new Bitmap(end - start);
  }
}

/** Options of {@link PageHeap}. */
export interface PageHeapOptions {
  /** Bytes per page (a power of two). Default 4096. */
  pagesize?: number;
  /** Largest block in bytes: pagesize × 2^k with k ≤ 9. Default pagesize × 512. */
  maxPageSize?: number;
  /** Receives messages about invalid frees and overlapping ranges. */
  onError?: Diagnostic;
}

/**
 * The physical buddy allocator (Nanos `pageheap`). Blocks are naturally aligned powers of two of
 * at most `maxPageSize`; a request that is not a power of two releases its tail at once, frees
 * may come in any page-granular pieces, and free lists are LIFO, so the most recently freed
 * block is handed out first.
 *
 * Differs from Nanos: area headers live in TS structures, so no memory is lost to them; frees of
 * pages that are not allocated are reported and leaked instead of corrupting the lists.
 */
export class PageHeap extends AccountedHeap {
  protected readonly kind = "page";
  readonly pagesize: number;
  /** Largest order, log2(maxPageSize / pagesize). */
  readonly maxOrder: number;
  private readonly ranges = new RangeMap<PhysicalRange>();
  /** Free block start pages, per order. */
  private readonly free: LifoSet[] = [];
  private readonly onError: Diagnostic;

  /** @throws RangeError for a pagesize or maxPageSize that is not a power of two, or more than 512 pages. */
  constructor(options: PageHeapOptions = {}) {
    super();
    const pagesize = options.pagesize ?? 4096;
    const maxPageSize = options.maxPageSize ?? pagesize * 2 ** PAGE_HEAP_MAX_ORDER;
    if (!isPowerOfTwo(pagesize)) throw new RangeError(`page heap pagesize must be a power of two, got ${pagesize}`);
    const maxPages = maxPageSize / pagesize;
    if (!isPowerOfTwo(maxPages) || maxPages > 2 ** PAGE_HEAP_MAX_ORDER) {
      throw new RangeError(`maxPageSize must be pagesize × 2^k with k ≤ ${PAGE_HEAP_MAX_ORDER}, got ${maxPageSize}`);
    }
    this.pagesize = pagesize;
    this.maxOrder = findOrder(maxPages);
    for (let order = 0; order <= this.maxOrder; order++) this.free.push(new LifoSet());
    this.onError = options.onError ?? ignoreDiagnostic;
  }

  /**
   * Adds physical memory `[base, base + length)` in whole pages (partial pages are dropped);
   * false if it overlaps or has more than 2^31 pages.
   */
  addRange(base: number, length: number): boolean {
    if (!isCount(base) || !isCount(length)) return false;
    const start = Math.ceil(base / this.pagesize);
    const end = Math.floor((base + length) / this.pagesize);
    if (end <= start) return false;
    if (end - start > BITMAP_MAX_STORAGE_BITS) {
      this.onError(`page heap: range of ${end - start} pages exceeds the ${BITMAP_MAX_STORAGE_BITS} pages one range can track; add it in pieces`);
      return false;
    }
    if (!this.ranges.insert(new PhysicalRange(start, end))) {
      this.onError(`page heap: range [${base}, ${base + length}) overlaps memory already added`);
      return false;
    }
    // Pushed from the top down so the lowest block is handed out first.
    const blocks: Array<[number, number]> = [];
    for (let page = start; page < end; page += 2 ** blocks[blocks.length - 1]![1]) blocks.push([page, this.largestOrderAt(page, end)]);
    for (let i = blocks.length - 1; i >= 0; i--) this.free[blocks[i]![1]]!.add(blocks[i]![0]);
    this.totalBytes += (end - start) * this.pagesize;
    return true;
  }

  /** Allocates `bytes` rounded up to pages; the block is aligned to the next power of two of its page count. */
  alloc(bytes: number): number {
    if (!(bytes > 0)) return INVALID;
    const pages = Math.ceil(bytes / this.pagesize);
    const order = findOrder(pages);
    if (order > this.maxOrder) return INVALID;
    let found = order;
    while (found <= this.maxOrder && this.free[found]!.size === 0) found++;
    if (found > this.maxOrder) return INVALID;
    const page = this.free[found]!.pop()!;
    // Split down, keeping the lower half; the upper halves go on the free lists.
    for (let o = found - 1; o >= order; o--) this.free[o]!.add(page + 2 ** o);
    const range = this.rangeOf(page)!;
    range.inUse.rangeCheckAndSet(page - range.start, 2 ** order, false, true);
    this.allocatedBytes += 2 ** order * this.pagesize;
    // A request that is not a power of two gives its tail back at once.
    if (pages < 2 ** order) this.release(range, page + pages, page + 2 ** order);
    return page * this.pagesize;
  }

  private rangeOf(page: number): PhysicalRange | undefined {
    return this.ranges.lookup(page);
  }

  /** Frees pages `[from, to)` of `range` (all allocated), merging with free buddies. */
  private release(range: PhysicalRange, from: number, to: number): void {
    range.inUse.rangeCheckAndSet(from - range.start, to - from, false, false);
    this.allocatedBytes -= (to - from) * this.pagesize;
    // Each maximal aligned power-of-two piece merges upwards while its buddy is free.
    for (let piece = from; piece < to; ) {
      let order = this.largestOrderAt(piece, to);
      const next = piece + 2 ** order;
      let page = piece;
      while (order < this.maxOrder) {
        const size = 2 ** order;
        const buddy = (page / size) % 2 === 0 ? page + size : page - size;
        const merged = Math.min(page, buddy);
        if (merged < range.start || merged + 2 * size > range.end || !this.free[order]!.delete(buddy)) break;
        page = merged;
        order++;
      }
      this.free[order]!.add(page);
      piece = next;
    }
  }

  /** Largest order (≤ maxOrder) of a naturally aligned block starting at `page` and ending by `end`. */
  private largestOrderAt(page: number, end: number): number {
    let order = this.maxOrder;
    while (order > 0 && (page % 2 ** order !== 0 || page + 2 ** order > end)) order--;
    return order;
  }

  /**
   * Frees `bytes` at `address` in any page-granular piece of earlier allocations. Unaligned frees
   * and frees of pages that are not allocated are reported, leak and return false.
   */
  dealloc(address: number, bytes: number): boolean {
    const ps = this.pagesize;
    if (!isCount(address) || !isCount(bytes) || bytes === 0 || address % ps !== 0 || bytes % ps !== 0) {
      this.onError(`page heap: free of ${bytes} bytes at ${address} is not a whole number of pages; leaking`);
      return false;
    }
    const from = address / ps;
    const to = from + bytes / ps;
    const range = this.rangeOf(from);
    if (range === undefined || to > range.end || range.inUse.findFirstClear(from - range.start, to - range.start) !== INVALID) {
      this.onError(`page heap: free of [${address}, ${address + bytes}) includes pages that are not allocated; leaking`);
      return false;
    }
    this.release(range, from, to);
    return true;
  }

  /** Forgets every range. */
  override destroy(): void {
    super.destroy();
    this.ranges.clear();
    for (const list of this.free) while (list.pop() !== undefined);
  }
}

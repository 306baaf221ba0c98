import { RangeMap, RangeNode, RM_ABORT } from "@nanots/rangemap";
import { Bitmap } from "./bitmap.js";
import { INVALID, MAX_ADDRESS } from "./constants.js";
import { ignoreDiagnostic, type Diagnostic } from "./diagnostic.js";
import { AccountedHeap } from "./accounted-heap.js";
import type { Heap } from "./heap.js";
import { findOrder, isCount, isPowerOfTwo, pad, truncate } from "./math.js";

/** Next-fit hints are kept for allocation orders 0..9 (1 to 512 pages). */
const HINT_COUNT = 10;
/** Bitmaps start on a 64-page boundary so searches stay word-aligned. */
const BITMAP_ORIGIN_ALIGN = 64;

/** One range of the heap, in pages, with its bitmap and next-fit hints. */
class IdRange extends RangeNode {
  /** Page number of bitmap bit 0: `start` rounded down to 64 pages. */
  readonly bitmapStart: number;
  readonly bitmap: Bitmap;
  /** Next-fit search start (a bitmap bit) per allocation order. */
  readonly hints = new Array<number>(HINT_COUNT).fill(0);

  constructor(start: number, end: number, bitmap?: Bitmap) {
    super(start, end);
    this.bitmapStart = truncate(start, BITMAP_ORIGIN_ALIGN);
    this.bitmap = bitmap ?? new Bitmap(end - this.bitmapStart);
  }
}

/** Options of {@link IdHeap}. */
export interface IdHeapOptions {
  /** Bytes per id (a power of two; 1 for plain integer ids). Default 1. */
  pagesize?: number;
  /** Grows from this heap when no range can serve a request (Nanos `create_id_heap_backed`). */
  parent?: Heap;
  /** Randomised allocation (ASLR); see {@link IdHeap.setRandomize}. */
  randomize?: boolean;
  /** Source of uniform numbers in [0, 1) for randomised allocation; default `Math.random`. */
  random?: () => number;
  /** Receives messages about invalid frees and overlapping ranges. */
  onError?: Diagnostic;
}

/**
 * Nanos's number and address-space allocator. Each range has a bitmap with one bit per page;
 * allocations are aligned (as absolute addresses) to the next power of two ≥ the page count,
 * searched next-fit per order with wrap-around, and only the requested pages are marked.
 *
 * Ranges live in a `@nanots/rangemap` RangeMap. Addresses are numbers below 2^53. Differs from Nanos: randomised starts are rounded up to the
 * alignment (Nanos left them misaligned), and a free or validated `setArea` that would fail part
 * way is checked first and changes nothing.
 */
export class IdHeap extends AccountedHeap {
  protected readonly kind = "id";
  readonly pagesize: number;
  private readonly ranges = new RangeMap<IdRange>();
  private readonly parent: Heap | undefined;
  private readonly random: () => number;
  private readonly onError: Diagnostic;
  private randomize: boolean;

  /**
   * @throws RangeError when `pagesize` is not a power of two.
   */
  constructor(options: IdHeapOptions = {}) {
    super();
    const pagesize = options.pagesize ?? 1;
    if (!isPowerOfTwo(pagesize)) throw new RangeError(`id heap pagesize must be a power of two, got ${pagesize}`);
    this.pagesize = pagesize;
    this.parent = options.parent;
    this.random = options.random ?? Math.random;
    this.onError = options.onError ?? ignoreDiagnostic;
    this.randomize = options.randomize ?? false;
  }

  /** An id heap with one range `[base, base + length)` (Nanos `create_id_heap`). */
  static create(base: number, length: number, options: IdHeapOptions = {}): IdHeap {
    const heap = new IdHeap(options);
    if (!heap.addRange(base, length)) throw new RangeError(`invalid id heap range base ${base}, length ${length}`);
    return heap;
  }

  /**
   * Adds `[base, base + length)`; both page-aligned, at least one page. `length = Infinity` means
   * up to 2^53, rounded down to a multiple of 64 pages. False (with a diagnostic) for invalid or
   * overlapping ranges.
   */
  addRange(base: number, length: number): boolean {
    const ps = this.pagesize;
    if (length === Infinity && isCount(base)) length = truncate(MAX_ADDRESS + 1 - base, ps * BITMAP_ORIGIN_ALIGN);
    if (!isCount(base) || !Number.isInteger(length) || base % ps !== 0 || length % ps !== 0 || length < ps || base + length > MAX_ADDRESS + 1) {
      this.onError(`id heap: range base ${base}, length ${length} must be page-aligned (${ps}), at least one page, and end at or below 2^53`);
      return false;
    }
    const start = base / ps;
    const end = start + length / ps;
    const conflict = this.ranges.overlapping(start, end).next();
    if (conflict.done !== true) {
      this.onError(`id heap: range [${base}, ${base + length}) overlaps [${conflict.value.start * ps}, ${conflict.value.end * ps})`);
      return false;
    }
    const range = new IdRange(start, end);
    this.ranges.insert(range);
    // The bits between the 64-page origin and the range start are not part of the range.
    if (start > range.bitmapStart) range.bitmap.rangeCheckAndSet(0, start - range.bitmapStart, false, true);
    this.totalBytes += length;
    return true;
  }

  /** The ranges in bytes, in address order. */
  rangeList(): Array<{ start: number; end: number }> {
    return [...this.ranges].map((r) => ({ start: r.start * this.pagesize, end: r.end * this.pagesize }));
  }

  /** Turns randomised allocation on or off. Randomised results keep their power-of-two alignment. */
  setRandomize(randomize: boolean): void {
    this.randomize = randomize;
  }

  private pagesOf(bytes: number): number {
    return Math.ceil(bytes / this.pagesize);
  }

  /** Allocates in range `r` restricted to pages `[lo, hi)`; returns the address or INVALID. */
  private allocFrom(r: IdRange, pages: number, lo: number, hi: number): number {
    const start = Math.max(r.start, lo);
    const end = Math.min(r.end, hi);
    if (start >= end) return INVALID;
    const order = findOrder(pages);
    const rounded = 2 ** order;
    const first = pad(start, rounded) - r.bitmapStart;
    const last = end - r.bitmapStart;
    if (first > last || last - first < pages) return INVALID;
    const margin = Math.max(0, truncate(last - first, rounded) - rounded);
    let from = first;
    if (this.randomize && margin > 0) {
      // Rounded up to the alignment: Nanos used the raw offset and returned misaligned blocks.
      from += pad(Math.floor(this.random() * margin), rounded);
    } else {
      const hint = r.hints[Math.min(order, HINT_COUNT - 1)]!;
      if (hint >= first && hint < last) from = Math.min(pad(hint + r.bitmapStart, rounded) - r.bitmapStart, first + margin);
    }
    let bit = r.bitmap.allocWithinRange(pages, from, last);
    if (bit === INVALID && from > first) bit = r.bitmap.allocWithinRange(pages, first, from);
    if (bit === INVALID) return INVALID;
    if (order < HINT_COUNT) r.hints[order] = bit + rounded;
    this.allocatedBytes += pages * this.pagesize;
    return (r.bitmapStart + bit) * this.pagesize;
  }

  private allocWindow(pages: number, lo: number, hi: number): number {
    for (const r of this.ranges.overlapping(lo, hi)) {
      const address = this.allocFrom(r, pages, lo, hi);
      if (address !== INVALID) return address;
    }
    return INVALID;
  }

  /** Allocates `bytes` rounded up to pages; grows from the parent once if every range fails. */
  alloc(bytes: number): number {
    if (!(bytes > 0) || !Number.isSafeInteger(Math.ceil(bytes))) return INVALID;
    const pages = this.pagesOf(bytes);
    const address = this.allocWindow(pages, 0, Infinity);
    if (address !== INVALID || this.parent === undefined) return address;
    const length = pad(bytes, this.parent.pagesize);
    const base = this.parent.alloc(length);
    if (base === INVALID) return INVALID;
    if (!this.addRange(base, length)) {
      this.parent.dealloc(base, length);
      return INVALID;
    }
    return this.allocWindow(pages, base / this.pagesize, (base + length) / this.pagesize);
  }

  /**
   * Allocation restricted to `[start, end)` (Nanos `id_heap_alloc_subrange`): `start` rounds up
   * and `end` down to pages; never grows from the parent.
   */
  allocSubrange(bytes: number, start: number, end: number): number {
    if (!(bytes > 0) || !isCount(start) || !(end >= 0)) return INVALID;
    const lo = pad(start, this.pagesize) / this.pagesize;
    const hi = end === Infinity ? Infinity : Math.floor(end / this.pagesize);
    const pages = this.pagesOf(bytes);
    if (lo >= hi || hi - lo < pages) return INVALID;
    return this.allocWindow(pages, lo, hi);
  }

  /** Moves the next-fit hint for allocations of `bytes` to address `next`; ranges above it restart at their beginning. */
  setNext(bytes: number, next: number): void {
    if (!(bytes > 0) || !(next >= 0)) return;
    const order = findOrder(this.pagesOf(bytes));
    if (order >= HINT_COUNT) return;
    const page = Math.floor(next / this.pagesize);
    for (const r of this.ranges) {
      if (page >= r.start && page < r.end) r.hints[order] = page - r.bitmapStart;
      else if (r.start > page) r.hints[order] = 0;
    }
  }

  /** Allocates at or above `min` (Nanos `id_heap_alloc_gte`); for one id it is the lowest free id ≥ min. */
  allocGte(bytes: number, min: number): number {
    this.setNext(bytes, min);
    return this.allocSubrange(bytes, min, Infinity);
  }

  /** The ranges overlapping pages `[lo, hi)`, or undefined (with a diagnostic) if part of it is in no range. */
  private coveringRanges(lo: number, hi: number, what: string): IdRange[] | undefined {
    if (this.ranges.findGaps(lo, hi, () => false) === RM_ABORT) {
      this.onError(`id heap: ${what} [${lo * this.pagesize}, ${hi * this.pagesize}) is not inside the heap's ranges`);
      return undefined;
    }
    return [...this.ranges.overlapping(lo, hi)];
  }

  /**
   * Frees a block; it may span several ranges. Unaligned, out-of-range or not-allocated frees are
   * reported, leak, and return false.
   */
  dealloc(address: number, bytes: number): boolean {
    if (bytes === 0) return true;
    const ps = this.pagesize;
    if (!isCount(address) || !isCount(bytes) || address % ps !== 0 || bytes % ps !== 0) {
      this.onError(`id heap: free of ${bytes} bytes at ${address} is not page-aligned (${ps}); leaking`);
      return false;
    }
    const lo = address / ps;
    const hi = lo + bytes / ps;
    const covering = this.coveringRanges(lo, hi, "free");
    if (covering === undefined) return false;
    for (const r of covering) {
      const from = Math.max(lo, r.start);
      if (r.bitmap.findFirstClear(from - r.bitmapStart, Math.min(hi, r.end) - r.bitmapStart) !== INVALID) {
        this.onError(`id heap: free of [${address}, ${address + bytes}) includes pages that are not allocated; leaking`);
        return false;
      }
    }
    for (const r of covering) {
      const from = Math.max(lo, r.start);
      const pages = Math.min(hi, r.end) - from;
      const bit = from - r.bitmapStart;
      r.bitmap.dealloc(bit, pages);
      const order = findOrder(pages);
      // Only naturally aligned power-of-two pieces may pull the hint back, keeping it aligned.
      if (pages === 2 ** order && from % pages === 0 && order < HINT_COUNT && bit < r.hints[order]!) r.hints[order] = bit;
      this.allocatedBytes -= pages * ps;
    }
    return true;
  }

  /**
   * Marks `[base, base + length)` allocated or free without the allocator (Nanos `set_area`);
   * base rounds down and length up to pages. With `validate` every page must be in the opposite
   * state (else nothing changes) and `allocated` is updated; without it the counter is untouched.
   */
  setArea(base: number, length: number, validate: boolean, allocate: boolean): boolean {
    if (!isCount(base) || !isCount(length)) return false;
    const ps = this.pagesize;
    const lo = Math.floor(base / ps);
    const hi = lo + Math.ceil((length + (base % ps)) / ps);
    const covering = this.coveringRanges(lo, hi, "area");
    if (covering === undefined) return false;
    const pieces = covering.map((r) => ({ r, bit: Math.max(lo, r.start) - r.bitmapStart, n: Math.min(hi, r.end) - Math.max(lo, r.start) }));
    if (!pieces.every(({ r, bit, n }) => r.bitmap.extend(bit + n - 1))) return false;
    if (validate) {
      for (const { r, bit, n } of pieces) {
        const conflict = allocate ? r.bitmap.rangeGetFirst(bit, n) : r.bitmap.findFirstClear(bit, bit + n);
        if (conflict !== INVALID) return false;
      }
    }
    for (const { r, bit, n } of pieces) r.bitmap.rangeCheckAndSet(bit, n, false, allocate);
    if (validate) this.allocatedBytes += (allocate ? 1 : -1) * (hi - lo) * ps;
    return true;
  }

  /** A deep copy: same ranges, bitmaps, hints, counters and options (Nanos `clone_id_heap`). */
  clone(): IdHeap {
    const copy = new IdHeap({ pagesize: this.pagesize, parent: this.parent, randomize: this.randomize, random: this.random, onError: this.onError });
    for (const r of this.ranges) {
      const twin = new IdRange(r.start, r.end, r.bitmap.clone());
      twin.hints.splice(0, HINT_COUNT, ...r.hints);
      copy.ranges.insert(twin);
    }
    copy.allocatedBytes = this.allocatedBytes;
    copy.totalBytes = this.totalBytes;
    return copy;
  }

  /** Drops every range. Ranges taken from a parent are not returned, as in Nanos. */
  override destroy(): void {
    super.destroy();
    this.ranges.clear();
  }
}

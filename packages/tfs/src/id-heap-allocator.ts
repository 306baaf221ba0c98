import { IdHeap, INVALID } from "@nanots/heap";
import type { FirstFitAllocator, SectorAllocator, SectorRun } from "./sector-allocator.js";

/**
 * A {@link SectorAllocator} on the Nanos id heap of `@nanots/heap` (one id per sector). The id
 * heap aligns every allocation to the power of two at or above its size, as Nanos's id heap
 * does; the images Nanos's TFS writes are laid out first fit without that alignment (log
 * extension at sector 1, data from 3073 — see the fixtures), so {@link FirstFitAllocator} stays
 * the default and this one is an option (`Tfs.mount(device, { allocator: (n) => new
 * IdHeapAllocator(n) })`). Its bitmap covers at most 2^31 sectors (1 TiB).
 */
export class IdHeapAllocator implements SectorAllocator {
  readonly #heap: IdHeap;

  /** All of `[0, sectorCount)` free. */
  constructor(sectorCount: number) {
    this.#heap = IdHeap.create(0, Math.max(1, sectorCount));
    if (sectorCount < 1) this.#heap.setArea(0, 1, true, true);
  }

  get freeSectors(): number {
    return this.#heap.total() - this.#heap.allocated();
  }

  allocate(count: number): number | undefined {
    const start = this.#heap.alloc(count);
    return start === INVALID ? undefined : start;
  }

  allocatePart(count: number): SectorRun | undefined {
    // The largest power-of-two share of the request that still fits.
    for (let n = count; n >= 1; n = n === 1 ? 0 : Math.floor(n / 2)) {
      const start = this.#heap.alloc(n);
      if (start !== INVALID) return { start, count: n };
    }
    return undefined;
  }

  free(start: number, count: number): void {
    if (count > 0 && !this.#heap.dealloc(start, count)) throw new RangeError(`free of sectors [${start}, ${start + count}) that are not allocated`);
  }

  claim(start: number, count: number): boolean {
    return count <= 0 || this.#heap.setArea(start, count, true, true);
  }
}

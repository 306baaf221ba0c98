import { INVALID } from "./constants.js";
import { isCount } from "./math.js";

/** The page tables a backed heap writes: virtual pages mapped to physical pages. */
export interface Mapper {
  /** Bytes per mapping granule. */
  readonly pagesize: number;
  /** Maps `[virt, virt + length)` to `[phys, phys + length)`; false if any page is already mapped or an argument is unaligned. */
  map(virt: number, phys: number, length: number): boolean;
  /** Unmaps `[virt, virt + length)`; unmapped pages are skipped. */
  unmap(virt: number, length: number): void;
  /** Physical address of `virt`, or {@link INVALID} when it is not mapped. */
  physicalOf(virt: number): number;
}

/** A {@link Mapper} kept in a Map, for tests and simulations. */
export class MemoryMapper implements Mapper {
  private readonly pages = new Map<number, number>();

  constructor(readonly pagesize = 4096) {}

  /** Number of mapped pages. */
  get mappedPages(): number {
    return this.pages.size;
  }

  map(virt: number, phys: number, length: number): boolean {
    const ps = this.pagesize;
    if (!isCount(virt) || !isCount(phys) || !isCount(length) || virt % ps || phys % ps || length % ps) return false;
    for (let off = 0; off < length; off += ps) if (this.pages.has((virt + off) / ps)) return false;
    for (let off = 0; off < length; off += ps) this.pages.set((virt + off) / ps, (phys + off) / ps);
    return true;
  }

  unmap(virt: number, length: number): void {
    const first = Math.floor(virt / this.pagesize);
    const last = Math.ceil((virt + length) / this.pagesize);
    for (let page = first; page < last; page++) this.pages.delete(page);
  }

  physicalOf(virt: number): number {
    const page = this.pages.get(Math.floor(virt / this.pagesize));
    return page === undefined ? INVALID : page * this.pagesize + (virt % this.pagesize);
  }
}

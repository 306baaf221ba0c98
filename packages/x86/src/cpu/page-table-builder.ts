// Writes x86-64 4-level page tables into guest RAM: what a kernel (or a test) uses to give the
// CPU an address space.

const PAGE = 4096;
const P = 1;
const RW = 2;
const US = 4;

/** Permissions of a mapping. */
export interface PagePermissions {
  write?: boolean;
  execute?: boolean;
  /** Reachable from user mode (default true). */
  user?: boolean;
}

/**
 * Builds and edits page tables in `mem`. Table pages come from `allocate`, which returns the
 * physical address of a zeroed 4 KiB page.
 */
export class PageTableBuilder {
  /** Physical address of the PML4; load it into `cpu.cr3`. */
  readonly root: number;
  private readonly view: DataView;

  constructor(
    private readonly mem: Uint8Array,
    private readonly allocate: () => number,
  ) {
    this.view = new DataView(mem.buffer, mem.byteOffset, mem.byteLength);
    this.root = this.newTable();
  }

  private newTable(): number {
    const page = this.allocate();
    if (page % PAGE !== 0 || page + PAGE > this.mem.length) throw new RangeError(`page-table page ${page} is not a page of guest RAM`);
    this.mem.fill(0, page, page + PAGE);
    return page;
  }

  /** The physical address of the page-table entry for `va` at level 1, creating tables on the way. */
  private leafEntry(va: number, create: boolean): number {
    let table = this.root;
    for (let shift = 39; shift > 12; shift -= 9) {
      const entry = table + (Math.floor(va / 2 ** shift) % 512) * 8;
      let lo = this.view.getUint32(entry, true);
      if ((lo & P) === 0) {
        if (!create) return -1;
        const next = this.newTable();
        // Intermediate levels allow everything; the leaf decides.
        lo = next | P | RW | US;
        this.view.setUint32(entry, lo >>> 0, true);
        this.view.setUint32(entry + 4, 0, true);
      }
      table = (lo & 0xfffff000) >>> 0;
    }
    return table + (Math.floor(va / PAGE) % 512) * 8;
  }

  /** Maps the 4 KiB page at `va` to physical page `pa`. */
  map(va: number, pa: number, permissions: PagePermissions = {}): void {
    if (va % PAGE !== 0 || pa % PAGE !== 0) throw new RangeError("map: addresses must be page-aligned");
    const entry = this.leafEntry(va, true);
    const lo = pa | P | (permissions.write ? RW : 0) | (permissions.user === false ? 0 : US);
    this.view.setUint32(entry, lo >>> 0, true);
    this.view.setUint32(entry + 4, permissions.execute ? 0 : 0x80000000, true);
  }

  /** Removes the mapping of the page at `va` (the caller flushes the TLB). */
  unmap(va: number): void {
    const entry = this.leafEntry(va, false);
    if (entry < 0) return;
    this.view.setUint32(entry, 0, true);
    this.view.setUint32(entry + 4, 0, true);
  }

  /** Changes the permissions of a mapped page; returns false when it is not mapped. */
  protect(va: number, permissions: PagePermissions): boolean {
    const entry = this.leafEntry(va, false);
    if (entry < 0) return false;
    const lo = this.view.getUint32(entry, true);
    if ((lo & P) === 0) return false;
    this.map(va, (lo & 0xfffff000) >>> 0, permissions);
    return true;
  }

  /** The physical page mapped at `va`, or -1. */
  lookup(va: number): number {
    const entry = this.leafEntry(va, false);
    if (entry < 0) return -1;
    const lo = this.view.getUint32(entry, true);
    return (lo & P) === 0 ? -1 : (lo & 0xfffff000) >>> 0;
  }
}

import { INVALID } from "./constants.js";
import { ignoreDiagnostic, type Diagnostic } from "./diagnostic.js";
import { managementOf, type BackedHeap, type Heap, type ManagementInfo } from "./heap.js";
import type { Mapper } from "./mapper.js";
import { pad } from "./math.js";

/**
 * A backed heap that takes physical pages and virtual space separately and maps them (Nanos
 * `page_backed_heap`). If the virtual allocation fails, the physical pages are given back.
 *
 * Differs from Nanos: `allocated`/`total` report the physical heap's figures (Nanos left them
 * unset).
 */
export class PagedBackedHeap implements BackedHeap {
  readonly pagesize: number;

  constructor(
    private readonly physical: Heap,
    private readonly virtual: Heap,
    private readonly mapper: Mapper,
    private readonly onError: Diagnostic = ignoreDiagnostic,
  ) {
    this.pagesize = Math.max(physical.pagesize, virtual.pagesize, mapper.pagesize);
  }

  allocMap(bytes: number): { virt: number; phys: number } | undefined {
    if (!(bytes > 0)) return undefined;
    const length = pad(bytes, this.pagesize);
    const phys = this.physical.alloc(length);
    if (phys === INVALID) return undefined;
    const virt = this.virtual.alloc(length);
    if (virt === INVALID) {
      this.physical.dealloc(phys, length);
      return undefined;
    }
    if (!this.mapper.map(virt, phys, length)) {
      this.onError(`paged backed heap: cannot map ${length} bytes at ${virt}`);
      this.virtual.dealloc(virt, length);
      this.physical.dealloc(phys, length);
      return undefined;
    }
    return { virt, phys };
  }

  alloc(bytes: number): number {
    return this.allocMap(bytes)?.virt ?? INVALID;
  }

  /** Unmaps and frees; `phys` = {@link INVALID} looks the physical address up in the mapper. */
  deallocUnmap(virt: number, phys: number, bytes: number): boolean {
    if (virt % this.pagesize !== 0) {
      this.onError(`paged backed heap: free at unaligned address ${virt}; leaking`);
      return false;
    }
    const length = pad(bytes, this.pagesize);
    const base = phys === INVALID ? this.mapper.physicalOf(virt) : phys;
    if (base === INVALID) {
      this.onError(`paged backed heap: free of ${virt}, which is not mapped; leaking`);
      return false;
    }
    this.mapper.unmap(virt, length);
    const virtualOk = this.virtual.dealloc(virt, length);
    return this.physical.dealloc(base, length) && virtualOk;
  }

  dealloc(address: number, bytes: number): boolean {
    return this.deallocUnmap(address, INVALID, bytes);
  }

  allocated(): number {
    return this.physical.allocated();
  }

  total(): number {
    return this.physical.total();
  }

  management(): ManagementInfo {
    return managementOf(this, "page_backed");
  }

  destroy(): void {}
}

import { INVALID } from "./constants.js";
import { managementOf, type BackedHeap, type Heap, type ManagementInfo } from "./heap.js";
import type { Mapper } from "./mapper.js";
import { pad, truncate } from "./math.js";

/** Options of {@link LinearBackedHeap}. */
export interface LinearBackedHeapOptions {
  /** Virtual address of physical address 0 (the direct map's offset). */
  virtBase: number;
  /** Blocks must end at or below this physical address. Default: no limit. */
  physLimit?: number;
  /** When given, the physical ranges are mapped at creation in chunks of `chunk` bytes. */
  mapper?: Mapper;
  /** Physical ranges to map at creation. */
  ranges?: Array<{ start: number; end: number }>;
  /** Mapping chunk in bytes (Nanos 2^LINEAR_BACKED_PAGELOG). Default 1 GiB. */
  chunk?: number;
}

/**
 * A direct-mapped backed heap (Nanos `linear_backed_heap`): virtual = physical + `virtBase`, so
 * allocations do no mapping work.
 *
 * Differs from Nanos: the creation-time mapping covers exactly the chunks that overlap each range;
 * Nanos's inclusive loop bound mapped one chunk past each range's end.
 */
export class LinearBackedHeap implements BackedHeap {
  readonly pagesize: number;
  private readonly virtBase: number;
  private readonly physLimit: number;

  constructor(private readonly physical: Heap, options: LinearBackedHeapOptions) {
    this.pagesize = physical.pagesize;
    this.virtBase = options.virtBase;
    this.physLimit = options.physLimit ?? Infinity;
    const { mapper, ranges = [] } = options;
    const chunk = options.chunk ?? 2 ** 30;
    if (mapper !== undefined) {
      for (const r of ranges) {
        for (let p = truncate(r.start, chunk); p < pad(r.end, chunk); p += chunk) {
          if (mapper.physicalOf(this.virtBase + p) === INVALID) mapper.map(this.virtBase + p, p, chunk);
        }
      }
    }
  }

  allocMap(bytes: number): { virt: number; phys: number } | undefined {
    const phys = this.physical.alloc(bytes);
    if (phys === INVALID) return undefined;
    if (phys + bytes > this.physLimit) {
      this.physical.dealloc(phys, bytes);
      return undefined;
    }
    return { virt: phys + this.virtBase, phys };
  }

  alloc(bytes: number): number {
    return this.allocMap(bytes)?.virt ?? INVALID;
  }

  dealloc(address: number, bytes: number): boolean {
    return this.physical.dealloc(address - this.virtBase, bytes);
  }

  deallocUnmap(virt: number, _phys: number, bytes: number): boolean {
    return this.dealloc(virt, bytes);
  }

  allocated(): number {
    return this.physical.allocated();
  }

  total(): number {
    return this.physical.total();
  }

  management(): ManagementInfo {
    return managementOf(this, "linear_backed");
  }

  destroy(): void {}
}

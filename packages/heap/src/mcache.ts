import { INVALID } from "./constants.js";
import { ignoreDiagnostic, type Diagnostic } from "./diagnostic.js";
import { managementOf, type CachingHeap, type Heap, type ManagementInfo } from "./heap.js";
import { findOrder, isPowerOfTwo, pad } from "./math.js";
import { Objcache } from "./objcache.js";
import { FooterTable } from "./page-footer.js";

/** Size passed to {@link Mcache.dealloc} when the caller does not know it (malloc-style `free`). */
export const UNKNOWN_SIZE = -1;

/** Options of {@link Mcache}. */
export interface McacheOptions {
  /** Where pages and large blocks come from. */
  parent: Heap;
  /** Smallest class is 2^minOrder bytes (≥ 1, so objects are at least 2 bytes). */
  minOrder: number;
  /** Largest class is 2^maxOrder bytes, below `pagesize`. */
  maxOrder: number;
  /** Objcache page size: a power of two ≥ the parent's pagesize. */
  pagesize: number;
  /** Record parent blocks so frees may pass {@link UNKNOWN_SIZE}. */
  mallocStyle?: boolean;
  onError?: Diagnostic;
}

/**
 * A size-class allocator (Nanos `mcache`): one {@link Objcache} per power of two from 2^minOrder
 * to 2^maxOrder; larger requests go to the parent rounded to its pagesize. `allocated` counts
 * class sizes, not requested sizes.
 */
export class Mcache implements CachingHeap {
  /** The smallest class size. */
  readonly pagesize: number;
  private readonly parent: Heap;
  private readonly classes: Objcache[] = [];
  private readonly minOrder: number;
  private readonly maxOrder: number;
  private readonly objcachePagesize: number;
  private readonly footers = new FooterTable();
  /** Parent blocks by address → padded size (malloc style only). */
  private readonly large: Map<number, number> | undefined;
  private largeBytes = 0;
  private readonly onError: Diagnostic;

  /** @throws RangeError for orders or a pagesize Nanos would reject. */
  constructor(options: McacheOptions) {
    const { parent, minOrder, maxOrder, pagesize } = options;
    if (!Number.isInteger(minOrder) || minOrder < 1 || !Number.isInteger(maxOrder) || minOrder > maxOrder) {
      throw new RangeError(`mcache orders must satisfy 1 ≤ minOrder ≤ maxOrder, got ${minOrder}..${maxOrder}`);
    }
    if (!isPowerOfTwo(pagesize) || pagesize < parent.pagesize || 2 ** maxOrder >= pagesize) {
      throw new RangeError(`mcache pagesize must be a power of two ≥ ${parent.pagesize} and above 2^maxOrder, got ${pagesize}`);
    }
    this.parent = parent;
    this.minOrder = minOrder;
    this.maxOrder = maxOrder;
    this.objcachePagesize = pagesize;
    this.pagesize = 2 ** minOrder;
    this.onError = options.onError ?? ignoreDiagnostic;
    this.large = options.mallocStyle === true ? new Map() : undefined;
    for (let order = minOrder; order <= maxOrder; order++) {
      this.classes.push(new Objcache({ parent, objsize: 2 ** order, pagesize, owner: this, footers: this.footers, onError: this.onError }));
    }
  }

  private classFor(bytes: number): Objcache {
    return this.classes[Math.max(findOrder(bytes), this.minOrder) - this.minOrder]!;
  }

  alloc(bytes: number): number {
    if (!(bytes >= 0)) return INVALID;
    if (bytes > 2 ** this.maxOrder) {
      const length = pad(bytes, this.parent.pagesize);
      const address = this.parent.alloc(length);
      if (address === INVALID) return INVALID;
      this.large?.set(address, length);
      this.largeBytes += length;
      return address;
    }
    const cache = this.classFor(bytes);
    return cache.alloc(cache.objsize);
  }

  /**
   * Frees a block. `bytes` may be {@link UNKNOWN_SIZE} in malloc style. A size above the owning
   * class, or an address in no class page, is reported and leaked.
   */
  dealloc(address: number, bytes: number): boolean {
    if (bytes === UNKNOWN_SIZE) {
      if (this.large === undefined) {
        this.onError(`mcache: free of ${address} without a size needs mallocStyle; leaking`);
        return false;
      }
      const length = this.large.get(address);
      if (length !== undefined) return this.freeLarge(address, length);
    } else if (bytes > 2 ** this.maxOrder) {
      const length = pad(bytes, this.parent.pagesize);
      if (this.large !== undefined && this.large.get(address) !== length) {
        this.onError(`mcache: free of ${bytes} bytes at ${address} does not match a large block; leaking`);
        return false;
      }
      return this.freeLarge(address, length);
    }
    const cache = this.findClass(address);
    if (cache === undefined) {
      this.onError(`mcache: ${address} is in no size-class page; leaking`);
      return false;
    }
    if (bytes !== UNKNOWN_SIZE && bytes > cache.objsize) {
      this.onError(`mcache: free of ${bytes} bytes at ${address} exceeds its ${cache.objsize}-byte class; leaking`);
      return false;
    }
    return cache.dealloc(address, cache.objsize);
  }

  /** The class owning `address`, found through its page footer. */
  private findClass(address: number): Objcache | undefined {
    const footer = this.footers.find(address, this.objcachePagesize);
    if (footer === undefined || footer.owner !== this) return undefined;
    return this.classes[findOrder(footer.objsize) - this.minOrder];
  }

  private freeLarge(address: number, length: number): boolean {
    this.large?.delete(address);
    this.largeBytes -= length;
    return this.parent.dealloc(address, length);
  }

  drain(bytes: number, retain: number): number {
    let released = 0;
    for (const cache of this.classes) {
      if (released >= bytes) break;
      released += cache.drain(bytes - released, retain);
    }
    return released;
  }

  /** Bytes in class objects (class sizes) plus parent blocks. */
  allocated(): number {
    return this.classes.reduce((sum, c) => sum + c.allocated(), this.largeBytes);
  }

  /** Sum of the classes' totals; parent blocks are not included, as in Nanos. */
  total(): number {
    return this.classes.reduce((sum, c) => sum + c.total(), 0);
  }

  management(): ManagementInfo {
    const caches: Record<string, ManagementInfo> = {};
    for (const c of this.classes) caches[String(c.objsize)] = c.management();
    return managementOf(this, "mcache", { caches });
  }

  /** Destroys every class and frees recorded parent blocks. */
  destroy(): void {
    for (const c of this.classes) c.destroy();
    if (this.large !== undefined) for (const [address, length] of this.large) this.freeLarge(address, length);
  }
}

import { INVALID } from "./constants.js";
import { ignoreDiagnostic, type Diagnostic } from "./diagnostic.js";
import { managementOf, type CachingHeap, type Heap, type ManagementInfo } from "./heap.js";
import { isPowerOfTwo } from "./math.js";
import { FOOTER_MAGIC, sharedFooters, type FooterTable, type PageFooter } from "./page-footer.js";
import { PageList } from "./page-list.js";

/** Bytes the footer occupies at the end of each page (magic, indexes, owner, list links). */
export const OBJCACHE_FOOTER_BYTES = 32;
/** Objects are addressed by a 16-bit index. */
export const OBJCACHE_MAX_OBJECTS_PER_PAGE = 65535;

/** Options of {@link Objcache}. */
export interface ObjcacheOptions {
  /** Where pages come from; it must return blocks aligned to `pagesize`. */
  parent: Heap;
  /** Size of every object, at least 2 bytes. */
  objsize: number;
  /** Page size: a power of two ≥ the parent's pagesize. */
  pagesize: number;
  /** Heap named as owner in the footers (Nanos `allocate_wrapped_objcache`). Default: the cache. */
  owner?: Heap;
  /** Footer table shared by caches that must find each other's objects. Default: a process-wide one. */
  footers?: FooterTable;
  /** Objects to provide for up front (Nanos `allocate_objcache_preallocated`). */
  preallocate?: number;
  /** With `preallocate`, never take pages after creation. */
  preallocOnly?: boolean;
  onError?: Diagnostic;
}

/**
 * A slab cache of fixed-size objects (Nanos `objcache`). Pages with space sit on a free list,
 * full pages on a full list; a new page goes to the free list's head, a page that fills moves to
 * the full list's tail, and a full page that gets an object back moves to the free list's head.
 * Within a page, freed objects are reused LIFO before never-used ones.
 *
 * Differs from Nanos: footers are kept in a {@link FooterTable} instead of page memory, and a
 * double free is reported and ignored instead of corrupting the free chain.
 */
export class Objcache implements CachingHeap {
  readonly pagesize: number;
  readonly objsize: number;
  /** Objects that fit in one page before its footer. */
  readonly objectsPerPage: number;
  private readonly parent: Heap;
  private readonly owner: Heap;
  private readonly footers: FooterTable;
  private readonly preallocOnly: boolean;
  private readonly onError: Diagnostic;
  private readonly freePages = new PageList();
  private readonly fullPages = new PageList();
  private totalObjects = 0;
  private allocatedObjects = 0;

  /** @throws RangeError for an objsize below 2, a bad pagesize, no room for an object, or a failed preallocation. */
  constructor(options: ObjcacheOptions) {
    const { parent, objsize, pagesize } = options;
    if (!Number.isSafeInteger(objsize) || objsize < 2) throw new RangeError(`objcache objsize must be at least 2, got ${objsize}`);
    if (!isPowerOfTwo(pagesize) || pagesize < parent.pagesize) {
      throw new RangeError(`objcache pagesize must be a power of two ≥ the parent's ${parent.pagesize}, got ${pagesize}`);
    }
    const perPage = Math.min(Math.floor((pagesize - OBJCACHE_FOOTER_BYTES) / objsize), OBJCACHE_MAX_OBJECTS_PER_PAGE);
    if (perPage < 1) throw new RangeError(`objcache page of ${pagesize} bytes has no room for a ${objsize}-byte object`);
    this.parent = parent;
    this.objsize = objsize;
    this.pagesize = pagesize;
    this.objectsPerPage = perPage;
    this.owner = options.owner ?? this;
    this.footers = options.footers ?? sharedFooters;
    this.onError = options.onError ?? ignoreDiagnostic;
    const pages = Math.ceil((options.preallocate ?? 0) / perPage);
    for (let i = 0; i < pages; i++) {
      if (!this.addPage()) throw new RangeError(`objcache: the parent could not provide ${pages} preallocated pages`);
    }
    this.preallocOnly = options.preallocOnly === true && pages > 0;
  }

  private addPage(): boolean {
    const base = this.parent.alloc(this.pagesize);
    if (base === INVALID) return false;
    if (base % this.pagesize !== 0) {
      this.onError(`objcache: parent returned ${base}, not aligned to the ${this.pagesize}-byte page`);
      this.parent.dealloc(base, this.pagesize);
      return false;
    }
    const page: PageFooter = {
      magic: FOOTER_MAGIC,
      owner: this.owner,
      objsize: this.objsize,
      base,
      freeChain: [],
      nextNew: 0,
      avail: this.objectsPerPage,
      used: new Uint8Array(this.objectsPerPage),
      list: "free",
      prev: undefined,
      next: undefined,
    };
    this.footers.set(page);
    this.freePages.pushFront(page);
    this.totalObjects += this.objectsPerPage;
    return true;
  }

  alloc(bytes: number): number {
    if (bytes !== this.objsize) {
      this.onError(`objcache: allocation of ${bytes} bytes from a cache of ${this.objsize}-byte objects`);
      return INVALID;
    }
    if (this.freePages.head === undefined && (this.preallocOnly || !this.addPage())) return INVALID;
    const page = this.freePages.head!;
    const index = page.freeChain.length > 0 ? page.freeChain.pop()! : page.nextNew++;
    page.used[index] = 1;
    page.avail--;
    this.allocatedObjects++;
    if (page.avail === 0) {
      this.freePages.remove(page);
      page.list = "full";
      this.fullPages.pushBack(page);
    }
    return page.base + index * this.objsize;
  }

  dealloc(address: number, bytes: number): boolean {
    if (bytes !== this.objsize) {
      this.onError(`objcache: free of ${bytes} bytes at ${address} in a cache of ${this.objsize}-byte objects; leaking`);
      return false;
    }
    const page = this.footers.find(address, this.pagesize);
    if (page === undefined || page.owner !== this.owner) {
      this.onError(`objcache: ${address} is not in a page of this cache; leaking`);
      return false;
    }
    const offset = address - page.base;
    const index = offset / this.objsize;
    if (!Number.isInteger(index) || index >= this.objectsPerPage || page.used[index] !== 1) {
      this.onError(`objcache: ${address} is not an allocated object; leaking`);
      return false;
    }
    page.used[index] = 0;
    page.freeChain.push(index);
    if (page.avail === 0) {
      this.fullPages.remove(page);
      page.list = "free";
      this.freePages.pushFront(page);
    }
    page.avail++;
    this.allocatedObjects--;
    return true;
  }

  /**
   * Returns completely empty pages to the parent until `bytes` have been released, keeping at
   * least `retain` bytes of free-object capacity; returns the bytes released. Two passes, as in
   * Nanos: the first releases empty pages once the capacity counted so far covers `retain`; the
   * second releases more only while a whole page (pagesize) above `retain` is counted.
   */
  drain(bytes: number, retain: number): number {
    let retained = 0;
    let drained = 0;
    for (let page = this.freePages.head; page !== undefined; ) {
      const following = page.next;
      if (retained >= retain && page.avail === this.objectsPerPage) {
        this.releasePage(page);
        drained += this.pagesize;
        if (drained >= bytes) return drained;
      } else {
        retained += page.avail * this.objsize;
      }
      page = following;
    }
    for (let page = this.freePages.head; page !== undefined; ) {
      if (retained < retain + this.pagesize) break;
      const following = page.next;
      if (page.avail === this.objectsPerPage) {
        this.releasePage(page);
        drained += this.pagesize;
        if (drained >= bytes) break;
        retained -= this.pagesize;
      }
      page = following;
    }
    return drained;
  }

  private releasePage(page: PageFooter): void {
    (page.list === "free" ? this.freePages : this.fullPages).remove(page);
    this.footers.delete(page.base);
    page.magic = 0;
    this.totalObjects -= this.objectsPerPage;
    this.parent.dealloc(page.base, this.pagesize);
  }

  /** Checks every Nanos `objcache_validate` invariant; returns the violations (empty when sound). */
  validate(): string[] {
    const problems: string[] = [];
    let pages = 0;
    let avail = 0;
    for (const [list, name] of [[this.freePages, "free"], [this.fullPages, "full"]] as const) {
      for (const page of list) {
        pages++;
        avail += page.avail;
        const where = `page ${page.base} on the ${name} list`;
        if (page.magic !== FOOTER_MAGIC) problems.push(`${where} has a bad magic`);
        if (page.list !== name) problems.push(`${where} is marked ${page.list}`);
        if (page.owner !== this.owner) problems.push(`${where} names another owner`);
        if (this.footers.find(page.base, this.pagesize) !== page) problems.push(`${where} is missing from the footer table`);
        if (page.freeChain.length + (this.objectsPerPage - page.nextNew) !== page.avail) {
          problems.push(`${where}: free chain ${page.freeChain.length} + never used ${this.objectsPerPage - page.nextNew} ≠ avail ${page.avail}`);
        }
        const used = page.used.reduce((sum, u) => sum + u, 0);
        if (used !== this.objectsPerPage - page.avail) problems.push(`${where}: ${used} objects marked used, avail ${page.avail}`);
        if (name === "free" && page.avail === 0) problems.push(`${where} has no space`);
        if (name === "full" && (page.avail !== 0 || page.freeChain.length !== 0 || page.nextNew !== this.objectsPerPage)) {
          problems.push(`${where} is not full`);
        }
      }
    }
    if (this.totalObjects !== pages * this.objectsPerPage) problems.push(`total objects ${this.totalObjects} ≠ ${pages} pages × ${this.objectsPerPage}`);
    if (this.allocatedObjects !== this.totalObjects - avail) problems.push(`allocated objects ${this.allocatedObjects} ≠ total ${this.totalObjects} − avail ${avail}`);
    return problems;
  }

  /** Number of pages held. */
  pageCount(): number {
    return this.freePages.length + this.fullPages.length;
  }

  /** Bytes in allocated objects. */
  allocated(): number {
    return this.allocatedObjects * this.objsize;
  }

  /** Bytes of object capacity in all pages. */
  total(): number {
    return this.totalObjects * this.objsize;
  }

  management(): ManagementInfo {
    return managementOf(this, "objcache", { objsize: this.objsize, pages: this.pageCount() });
  }

  /** Returns every page to the parent. */
  destroy(): void {
    for (const list of [this.freePages, this.fullPages]) {
      while (list.head !== undefined) this.releasePage(list.head);
    }
    this.allocatedObjects = 0;
  }
}

/** The heap owning the objcache page that holds `address` (Nanos `objcache_from_object`), or undefined. */
export function objcacheFromObject(address: number, pagesize: number, footers: FooterTable = sharedFooters): Heap | undefined {
  return footers.find(address, pagesize)?.owner;
}

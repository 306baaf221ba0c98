// The memory system calls: brk, mmap, munmap, mprotect, mremap, madvise, with Linux's argument
// checks and errno values, over an AddressSpace.
import { AddressSpace, pageDown, pageUp, type MapOptions } from "./address-space.js";
import { Prot, type PageSource, type Vmap } from "./vmap.js";

const EINVAL = 22;
const ENOMEM = 12;
const EEXIST = 17;
/** The top of the 47-bit user half. */
const USER_TOP = 2 ** 47;
const EACCES = 13;
const EFAULT = 14;

/** mmap flags. */
export const MapFlag = {
  Shared: 0x1,
  Private: 0x2,
  SharedValidate: 0x3,
  Fixed: 0x10,
  Anonymous: 0x20,
  GrowsDown: 0x100,
  Populate: 0x8000,
  Stack: 0x20000,
  FixedNoReplace: 0x100000,
} as const;

/** madvise advice values Linux knows (MADV_NORMAL … MADV_COLLAPSE; 5–7 are unused). */
const MADVICE = new Set([0, 1, 2, 3, 4, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25]);
const MADV_DONTNEED = 4;

const PROT_RWX = Prot.Read | Prot.Write | Prot.Exec;
const PROT_SEM = 8;

/** mremap flags. */
const MREMAP_MAYMOVE = 1;
const MREMAP_FIXED = 2;

/** Where things go in the user address space. */
export interface MemoryLayout {
  /** Lowest address mmap may return (Linux's mmap_min_addr). */
  mmapMin: number;
  /** mmap searches downward from here. */
  mmapTop: number;
  /** Start of the program break (end of the program's bss, page-aligned). */
  brkStart: number;
  /** The break may not grow past this address. */
  brkLimit: number;
}

/** A file to map: its contents and whether it was opened for writing. */
export interface MappableFile {
  source: PageSource;
  name: string;
  writable: boolean;
}

/** Options that map more of `v` as it continues at address `at` (the file at the matching offset). */
function likeVmap(v: Vmap, at: number): MapOptions {
  return { name: v.name, ...(v.source ? { source: v.source, sourceOffset: v.sourceOffset + (at - v.start) } : {}), shared: v.shared, mayWrite: v.mayWrite };
}

/** Implements the memory syscalls; each returns the Linux result (negative errno on error). */
export class MemoryManager {
  private brkCurrent: number;

  constructor(
    readonly space: AddressSpace,
    readonly layout: MemoryLayout,
  ) {
    this.brkCurrent = layout.brkStart;
  }

  /** The current program break. */
  get brkValue(): number {
    return this.brkCurrent;
  }

  brk(addr: number): number {
    const start = this.layout.brkStart;
    if (addr < start || addr > this.layout.brkLimit) return this.brkCurrent;
    const oldEnd = pageUp(this.brkCurrent);
    const newEnd = pageUp(addr);
    if (newEnd > oldEnd) {
      if (this.space.overlapping(oldEnd, newEnd).length > 0) return this.brkCurrent;
      // Extend the heap vmap (merging is cosmetic: one vmap per growth is fine for Linux too).
      this.space.map(oldEnd, newEnd, Prot.Read | Prot.Write, { name: "[heap]" });
    } else if (newEnd < oldEnd) this.space.unmap(newEnd, oldEnd);
    this.brkCurrent = addr;
    return addr;
  }

  mmap(addr: number, length: number, prot: number, flags: number, file: MappableFile | undefined, offset: number): number {
    const type = flags & 0xf;
    if (length <= 0 || !Number.isSafeInteger(length)) return -EINVAL;
    if (type !== MapFlag.Shared && type !== MapFlag.Private && type !== MapFlag.SharedValidate) return -EINVAL;
    if (offset % 4096 !== 0 || offset < 0) return -EINVAL;
    // Linux ignores protection bits mmap does not know (mprotect refuses them).
    prot &= PROT_RWX;
    const anonymous = (flags & MapFlag.Anonymous) !== 0;
    if (anonymous && type !== MapFlag.Private && (flags & MapFlag.GrowsDown) !== 0) return -EINVAL;
    if (!anonymous && file === undefined) return -EINVAL;
    const shared = type !== MapFlag.Private;
    if (!anonymous && shared && (prot & Prot.Write) !== 0 && file !== undefined && !file.writable) return -EACCES;
    const size = pageUp(length);
    if (size > 2 ** 47) return -ENOMEM;
    let start: number;
    const fixed = (flags & (MapFlag.Fixed | MapFlag.FixedNoReplace)) !== 0;
    if (fixed) {
      if (addr % 4096 !== 0) return -EINVAL;
      if (addr < this.layout.mmapMin || addr + size > 2 ** 47) return -ENOMEM;
      if ((flags & MapFlag.FixedNoReplace) !== 0 && this.space.overlapping(addr, addr + size).length > 0) return -EEXIST;
      start = addr;
    } else {
      // A free hint is honoured, as Linux does; otherwise search down from the top.
      const hint = pageDown(addr);
      if (hint >= this.layout.mmapMin && hint + size <= this.layout.mmapTop && this.space.overlapping(hint, hint + size).length === 0) start = hint;
      else start = this.space.findFree(size, this.layout.mmapMin, this.layout.mmapTop);
      if (start < 0) return -ENOMEM;
    }
    this.space.map(start, start + size, prot, {
      name: anonymous ? (flags & MapFlag.Stack ? "[stack]" : "") : file!.name,
      ...(anonymous ? {} : { source: file!.source, sourceOffset: offset }),
      shared,
      mayWrite: anonymous || !shared || file!.writable,
    });
    // MAP_POPULATE fills the pages now, leaving an eighth of RAM for everything else.
    if ((flags & MapFlag.Populate) !== 0) this.space.prefault(start, start + size, Math.ceil((this.space.frames.available + this.space.frames.inUse) / 8));
    return start;
  }

  munmap(addr: number, length: number): number {
    if (addr % 4096 !== 0 || length <= 0 || !Number.isSafeInteger(addr + length)) return -EINVAL;
    this.space.unmap(addr, addr + pageUp(length));
    return 0;
  }

  mprotect(addr: number, length: number, prot: number): number {
    // PROT_SEM is accepted (and means nothing on x86); any other unknown bit is EINVAL.
    if (addr % 4096 !== 0 || (prot & ~(PROT_RWX | PROT_SEM)) !== 0 || length < 0) return -EINVAL;
    if (length === 0) return 0;
    const end = addr + pageUp(length);
    if ((prot & Prot.Write) !== 0) {
      // A shared mapping of a read-only file cannot become writable: EACCES there, after the
      // vmaps before it changed (as Linux goes vma by vma).
      const denied = this.space.overlapping(addr, end).find((v) => !v.mayWrite);
      if (denied !== undefined && this.space.covers(addr, Math.max(addr, denied.start))) {
        if (denied.start > addr) this.space.protect(addr, denied.start, prot & PROT_RWX);
        return -EACCES;
      }
    }
    return this.space.protect(addr, end, prot & PROT_RWX) ? 0 : -ENOMEM;
  }

  /**
   * mremap with Linux's rules: the old range must lie in one vmap (EFAULT); shrinking unmaps the
   * tail; growing extends in place when the pages after are free, else moves with
   * MREMAP_MAYMOVE (ENOMEM without); MREMAP_FIXED moves to `newAddr`, which must not overlap
   * the old range. A move keeps the pages (no copy) and a file mapping its file.
   */
  mremap(oldAddr: number, oldSize: number, newSize: number, flags: number, newAddr: number): number {
    if (oldAddr % 4096 !== 0 || (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED)) !== 0) return -EINVAL;
    if ((flags & MREMAP_FIXED) !== 0 && (flags & MREMAP_MAYMOVE) === 0) return -EINVAL;
    const oldLength = pageUp(oldSize);
    const newLength = pageUp(newSize);
    if (newLength === 0 || !Number.isSafeInteger(oldAddr + oldLength) || oldAddr + oldLength > USER_TOP) return -EINVAL;
    const fixed = (flags & MREMAP_FIXED) !== 0;
    if (fixed) {
      if (newAddr % 4096 !== 0 || !(newAddr >= 0 && newAddr + newLength <= USER_TOP)) return -EINVAL;
      if (newAddr < oldAddr + oldLength && oldAddr < newAddr + newLength) return -EINVAL;
    }
    const v = this.space.vmaps.lookup(oldAddr);
    if (v === undefined || v.end < oldAddr + oldLength) return -EFAULT;
    if (!fixed && newLength <= oldLength) {
      if (newLength < oldLength) this.space.unmap(oldAddr + newLength, oldAddr + oldLength);
      return oldAddr;
    }
    const grown = (at: number): void => {
      // The new part continues the vmap: zeros, or the file at the following offsets.
      if (newLength <= oldLength) return;
      this.space.map(at + oldLength, at + newLength, v.prot, likeVmap(v, oldAddr + oldLength));
    };
    if (!fixed && v.end === oldAddr + oldLength && oldAddr + newLength <= USER_TOP && this.space.overlapping(oldAddr + oldLength, oldAddr + newLength).length === 0) {
      grown(oldAddr);
      return oldAddr;
    }
    if ((flags & MREMAP_MAYMOVE) === 0) return -ENOMEM;
    const target = fixed ? newAddr : this.space.findFree(newLength, this.layout.mmapMin, this.layout.mmapTop);
    if (target < 0) return -ENOMEM;
    const kept = Math.min(oldLength, newLength);
    this.space.move(oldAddr, oldAddr + kept, target);
    if (oldLength > kept) this.space.unmap(oldAddr + kept, oldAddr + oldLength);
    grown(target);
    return target;
  }

  /**
   * madvise. MADV_DONTNEED drops the pages of private mappings: they fault back in zeroed
   * (anonymous) or from the file; shared memory keeps its contents, as Linux's page cache and
   * shmem do. Every other advice Linux knows is accepted and changes nothing; an unknown one is
   * EINVAL; a range with unmapped parts is ENOMEM (after advising the mapped parts, as Linux).
   */
  madvise(addr: number, length: number, advice: number): number {
    if (addr % 4096 !== 0 || length < 0) return -EINVAL;
    if (!MADVICE.has(advice)) return -EINVAL;
    const end = addr + pageUp(length);
    if (end === addr) return 0;
    if (advice === MADV_DONTNEED) {
      for (const v of this.space.overlapping(addr, end)) {
        if (v.shared) continue;
        const s = Math.max(v.start, addr);
        const e = Math.min(v.end, end);
        // Remap the same vmap: present pages are freed and will fault back in zeroed (or from the file).
        this.space.map(s, e, v.prot, likeVmap(v, s));
      }
    }
    return this.space.covers(addr, end) ? 0 : -ENOMEM;
  }

  /**
   * msync: shared file mappings in the range reach their files (whatever the flags: MS_ASYNC
   * writes now too). ENOMEM when part of the range is unmapped, as Linux.
   */
  msync(addr: number, length: number): number {
    if (addr % 4096 !== 0 || length < 0) return -EINVAL;
    const end = addr + pageUp(length);
    this.space.writeBack(addr, end);
    return this.space.covers(addr, end) ? 0 : -ENOMEM;
  }

  /**
   * mincore: one byte per page of [addr, addr + length) into `out`, bit 0 set for a page
   * present in memory (touched and not given back). ENOMEM when part of the range is unmapped.
   */
  mincore(addr: number, length: number): Uint8Array | number {
    if (addr % 4096 !== 0) return -EINVAL;
    const end = addr + pageUp(length);
    if (!Number.isSafeInteger(end) || end > 2 ** 47 || !this.space.covers(addr, end)) return -ENOMEM;
    const pages = new Uint8Array((end - addr) / 4096);
    for (let i = 0; i < pages.length; i++) pages[i] = this.space.isResident(addr + i * 4096) ? 1 : 0;
    return pages;
  }
}

// The memory system calls: brk, mmap, munmap, mprotect, mremap, madvise, with Linux's argument
// checks and errno values, over an AddressSpace.
import { AddressSpace, pageDown, pageUp } from "./address-space.js";
import { Prot, type PageSource } from "./vmap.js";

const EINVAL = 22;
const ENOMEM = 12;
const EEXIST = 17;
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
  Stack: 0x20000,
  FixedNoReplace: 0x100000,
} as const;

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
    if ((prot & ~7) !== 0) return -EINVAL;
    const anonymous = (flags & MapFlag.Anonymous) !== 0;
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
    });
    return start;
  }

  munmap(addr: number, length: number): number {
    if (addr % 4096 !== 0 || length <= 0 || !Number.isSafeInteger(addr + length)) return -EINVAL;
    this.space.unmap(addr, addr + pageUp(length));
    return 0;
  }

  mprotect(addr: number, length: number, prot: number): number {
    if (addr % 4096 !== 0 || (prot & ~7) !== 0 || length < 0) return -EINVAL;
    if (length === 0) return 0;
    return this.space.protect(addr, addr + pageUp(length), prot) ? 0 : -ENOMEM;
  }

  mremap(oldAddr: number, oldSize: number, newSize: number, flags: number, newAddr: number): number {
    if (oldAddr % 4096 !== 0 || newSize <= 0 || (flags & ~3) !== 0) return -EINVAL;
    if ((flags & MREMAP_FIXED) !== 0 && (flags & MREMAP_MAYMOVE) === 0) return -EINVAL;
    const oldLength = pageUp(oldSize);
    const newLength = pageUp(newSize);
    const vmaps = this.space.overlapping(oldAddr, oldAddr + Math.max(oldLength, 1));
    const v = vmaps[0];
    if (v === undefined || v.start > oldAddr || v.end < oldAddr + oldLength) return -EFAULT;
    if (newLength <= oldLength && (flags & MREMAP_FIXED) === 0) {
      if (newLength < oldLength) this.space.unmap(oldAddr + newLength, oldAddr + oldLength);
      return oldAddr;
    }
    // Grow in place when the following range is free.
    if ((flags & MREMAP_FIXED) === 0 && this.space.overlapping(oldAddr + oldLength, oldAddr + newLength).length === 0 && oldAddr + newLength <= 2 ** 47) {
      this.space.map(oldAddr + oldLength, oldAddr + newLength, v.prot, { name: v.name, ...(v.source ? { source: v.source, sourceOffset: v.sourceOffset + (oldAddr + oldLength - v.start) } : {}), shared: v.shared });
      return oldAddr;
    }
    if ((flags & MREMAP_MAYMOVE) === 0) return -ENOMEM;
    let target: number;
    if ((flags & MREMAP_FIXED) !== 0) {
      if (newAddr % 4096 !== 0) return -EINVAL;
      target = newAddr;
    } else {
      target = this.space.findFree(newLength, this.layout.mmapMin, this.layout.mmapTop);
      if (target < 0) return -ENOMEM;
    }
    // Move: copy the old contents (through the page tables), then drop the old range.
    const copyLength = Math.min(oldLength, newLength);
    const data = this.space.read(oldAddr, copyLength);
    const prot = v.prot;
    this.space.map(target, target + newLength, prot | Prot.Write, { name: v.name, shared: v.shared });
    if (data !== undefined) this.space.write(target, data);
    if ((prot & Prot.Write) === 0) this.space.protect(target, target + newLength, prot);
    this.space.unmap(oldAddr, oldAddr + oldLength);
    return target;
  }

  /** madvise: MADV_DONTNEED (4) drops the pages of private anonymous memory; the rest is advice. */
  madvise(addr: number, length: number, advice: number): number {
    if (addr % 4096 !== 0 || length < 0) return -EINVAL;
    if (advice === 4) {
      const end = addr + pageUp(length);
      for (const v of this.space.overlapping(addr, end)) {
        const s = Math.max(v.start, addr);
        const e = Math.min(v.end, end);
        // Remap the same vmap: present pages are freed and will fault back in zeroed (or from the file).
        this.space.map(s, e, v.prot, { name: v.name, ...(v.source ? { source: v.source, sourceOffset: v.sourceOffset + (s - v.start) } : {}), shared: v.shared });
      }
    }
    return 0;
  }
}

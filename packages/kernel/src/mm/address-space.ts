// The process's address space: vmaps in a RangeMap, pages mapped on demand into real x86-64
// page tables that the CPU walks, and the copies between kernel and user memory.
import { RangeMap } from "@nanots/rangemap";
import { Access, PageFaultCode, PageTableBuilder, type Cpu } from "@nanots/x86";
import { FrameAllocator, PAGE_SIZE } from "./frames.js";
import { Prot, Vmap, type PageSource } from "./vmap.js";

const PAGE = PAGE_SIZE;
/** Frames kept back for page tables: mapping one page needs at most three new ones. */
const TABLE_RESERVE = 8;
const UTF8 = new TextDecoder();

/** Rounds up to a page. */
export function pageUp(n: number): number {
  return Math.ceil(n / PAGE) * PAGE;
}

/** Rounds down to a page. */
export function pageDown(n: number): number {
  return Math.floor(n / PAGE) * PAGE;
}

/** Options of {@link AddressSpace.map}. */
export interface MapOptions {
  name?: string;
  source?: PageSource;
  sourceOffset?: number;
  shared?: boolean;
  /** Whether mprotect may make it writable (default true). */
  mayWrite?: boolean;
}

/**
 * Vmaps plus page tables. Pages are allocated and filled when first touched (by the CPU, through
 * {@link handleFault}, or by the kernel's copies), so large reservations cost nothing.
 */
export class AddressSpace {
  readonly vmaps = new RangeMap<Vmap>();
  readonly pages: PageTableBuilder;
  /** Virtual page number → frame of every page present in the page tables. */
  private readonly present = new Map<number, number>();
  private readonly scratch = new Uint8Array(PAGE);
  /** Frames that belong to kernel objects (PageSource.frame): never freed here. */
  private readonly kernelFrames = new Set<number>();
  /** Virtual pages of private mappings that map a kernel frame read-only until their first store (copy on write). */
  private readonly borrowed = new Set<number>();
  private peakPages = 0;

  constructor(
    readonly cpu: Cpu,
    readonly frames: FrameAllocator,
  ) {
    this.pages = new PageTableBuilder(cpu.mem, () => this.takeFrame());
    cpu.cr3 = this.pages.root;
    cpu.flushTlb();
  }

  private takeFrame(): number {
    const frame = this.frames.allocate();
    if (frame < 0) throw new RangeError("guest RAM exhausted (raise it with -m)");
    return frame;
  }

  /** Pages present (resident) now. */
  get residentPages(): number {
    return this.present.size;
  }

  /** The most pages that have been present at once (getrusage's ru_maxrss). */
  get peakResidentPages(): number {
    return this.peakPages;
  }

  /**
   * Creates a vmap over [start, end) (page-aligned), replacing whatever was mapped there.
   */
  map(start: number, end: number, prot: number, options: MapOptions = {}): Vmap {
    const replaced = this.removeRange(start, end);
    const vmap = new Vmap(start, end, prot, options.name ?? "", options.source, options.sourceOffset ?? 0, options.shared ?? false, options.mayWrite ?? true);
    this.vmaps.insert(vmap);
    this.mergeAt(end);
    const merged = this.mergeAt(start) ?? vmap;
    this.releaseUnused(replaced);
    return merged;
  }

  /**
   * Joins the vmap ending at `addr` and the one starting there when nothing tells them apart
   * (protection, name, sharing, the same source at consecutive offsets), as Linux merges vmas:
   * mremap works on one vmap, and a heap grown page by page stays one. Returns the joined vmap.
   */
  private mergeAt(addr: number): Vmap | undefined {
    const before = this.vmaps.lookup(addr - 1);
    const after = this.vmaps.lookup(addr);
    if (before === undefined || after === undefined || before === after || before.end !== addr) return undefined;
    if (before.prot !== after.prot || before.name !== after.name || before.shared !== after.shared || before.source !== after.source || before.mayWrite !== after.mayWrite) return undefined;
    if (before.source !== undefined && before.sourceOffset + (before.end - before.start) !== after.sourceOffset) return undefined;
    this.vmaps.remove(after);
    this.vmaps.reinsert(before, before.start, after.end);
    return before;
  }

  /**
   * Moves the mappings of [start, end) to `to` (mremap): vmaps keep their sources, and present
   * pages keep their frames (no copy). Whatever was mapped at the destination is unmapped.
   */
  move(start: number, end: number, to: number): void {
    const delta = to - start;
    const left = this.removeRange(to, to + (end - start));
    const moving = this.overlapping(start, end).map((v) => v.slice(Math.max(v.start, start), Math.min(v.end, end)));
    const frames: Array<[number, number]> = [];
    for (let va = start; va < end; va += PAGE) {
      const frame = this.present.get(va / PAGE);
      if (frame === undefined) continue;
      frames.push([va, frame]);
      if (this.borrowed.delete(va / PAGE)) this.borrowed.add((va + delta) / PAGE);
      this.present.delete(va / PAGE);
      this.pages.unmap(va);
      this.cpu.invalidatePage(va);
    }
    // The frames left the range, so unmapping it now only drops the vmaps.
    left.push(...this.removeRange(start, end));
    for (const v of moving) this.vmaps.insert(v.relocate(delta));
    for (const [va, frame] of frames) {
      const v = this.vmaps.lookup(va + delta)!;
      this.present.set((va + delta) / PAGE, frame);
      this.cpu.discardCode(frame / PAGE);
      if (v.prot !== Prot.None) this.mapPage(va + delta, frame, v.prot);
    }
    this.mergeAt(to);
    this.mergeAt(to + (end - start));
    this.releaseUnused(left);
  }

  /** The vmaps overlapping [start, end). */
  overlapping(start: number, end: number): Vmap[] {
    const found: Vmap[] = [];
    this.vmaps.rangeLookup(start, end, (v) => {
      found.push(v);
      return true;
    });
    return found;
  }

  /**
   * Writes the present pages of MAP_SHARED file mappings in [start, end) back to their files
   * (msync, munmap, exit), clipped to the file's pages.
   */
  writeBack(start: number, end: number): void {
    for (const v of this.overlapping(start, end)) {
      if (!v.shared || (v.prot & Prot.Write) === 0 || v.source?.writeBack === undefined) continue;
      for (let va = Math.max(v.start, start); va < Math.min(v.end, end); va += PAGE) {
        const frame = this.present.get(va / PAGE);
        if (frame === undefined) continue;
        v.source.writeBack(v.sourceOffset + (va - v.start), this.cpu.mem.slice(frame, frame + PAGE));
      }
    }
  }

  /** Removes [start, end) from the address space: splits vmaps, frees their present pages. */
  unmap(start: number, end: number): void {
    this.releaseUnused(this.removeRange(start, end));
  }

  /** Does the work of {@link unmap}; returns the sources of the vmaps it removed (for {@link releaseUnused}). */
  private removeRange(start: number, end: number): PageSource[] {
    this.writeBack(start, end);
    const sources: PageSource[] = [];
    for (const v of this.overlapping(start, end)) {
      this.vmaps.remove(v);
      if (v.source?.lastUnmapped !== undefined) sources.push(v.source);
      if (v.start < start) this.vmaps.insert(v.slice(v.start, start));
      if (v.end > end) this.vmaps.insert(v.slice(end, v.end));
    }
    this.dropPages(start, end);
    return sources;
  }

  /** Whether a vmap uses `source`. */
  uses(source: PageSource): boolean {
    for (const v of this.vmaps) if (v.source === source) return true;
    return false;
  }

  /** Tells each of `sources` that no vmap uses it any more, if none does. */
  private releaseUnused(sources: PageSource[]): void {
    if (sources.length === 0) return;
    const used = new Set<PageSource>();
    for (const v of this.vmaps) if (v.source !== undefined) used.add(v.source);
    for (const source of new Set(sources)) if (!used.has(source)) source.lastUnmapped?.();
  }

  /** A frame for a kernel object's page (see {@link PageSource.frame}), or -1 when RAM is short; never freed by unmapping. */
  takeKernelFrame(): number {
    if (this.frames.available <= TABLE_RESERVE) return -1;
    const frame = this.takeFrame();
    this.kernelFrames.add(frame);
    this.cpu.discardCode(frame / PAGE);
    return frame;
  }

  /** Gives back a frame from {@link takeKernelFrame}; no vmap may map it any more. */
  releaseKernelFrame(frame: number): void {
    this.kernelFrames.delete(frame);
    this.cpu.discardCode(frame / PAGE);
    this.frames.free(frame);
  }

  /** Takes the pages of `source` from file offset `from` on out of the page tables (they fault again when touched). */
  dropSourcePages(source: PageSource, from: number): void {
    for (const v of [...this.vmaps]) {
      if (v.source !== source) continue;
      const start = Math.max(v.start, v.start + pageUp(from - v.sourceOffset));
      if (start < v.end) this.dropPages(start, v.end);
    }
  }

  private dropPages(start: number, end: number): void {
    const first = start / PAGE;
    const last = end / PAGE;
    const drop = (vpn: number, frame: number): void => {
      this.pages.unmap(vpn * PAGE);
      this.cpu.invalidatePage(vpn * PAGE);
      this.cpu.discardCode(frame / PAGE);
      if (!this.kernelFrames.has(frame)) this.frames.free(frame);
      this.present.delete(vpn);
      this.borrowed.delete(vpn);
    };
    if (last - first > this.present.size) {
      for (const [vpn, frame] of [...this.present]) if (vpn >= first && vpn < last) drop(vpn, frame);
    } else {
      for (let vpn = first; vpn < last; vpn++) {
        const frame = this.present.get(vpn);
        if (frame !== undefined) drop(vpn, frame);
      }
    }
  }

  /** Whether vmaps cover every byte of [start, end). */
  covers(start: number, end: number): boolean {
    return this.mappedUpTo(start, end) >= end;
  }

  /** Where the run of mapped bytes from `start` ends (at most `end`; `start` if it is unmapped). */
  private mappedUpTo(start: number, end: number): number {
    let covered = start;
    for (const v of this.overlapping(start, end)) {
      if (v.start > covered) break;
      covered = v.end;
    }
    return Math.min(covered, end);
  }

  /** Whether the page at `va` is in the page tables now (mincore's "resident"). */
  isResident(va: number): boolean {
    return this.present.has(Math.floor(va / PAGE));
  }

  /**
   * Changes the protection of [start, end). Returns false when part of the range is not
   * mapped (mprotect's ENOMEM); as on Linux, the mapped run from `start` up to the first hole
   * has changed then.
   */
  protect(start: number, end: number, prot: number): boolean {
    const requestedEnd = end;
    end = this.mappedUpTo(start, end);
    const boundaries = [end];
    for (const v of this.overlapping(start, end)) {
      boundaries.push(Math.max(v.start, start));
      this.vmaps.remove(v);
      if (v.start < start) this.vmaps.insert(v.slice(v.start, start));
      if (v.end > end) this.vmaps.insert(v.slice(end, v.end));
      const middle = v.slice(Math.max(v.start, start), Math.min(v.end, end));
      middle.prot = prot;
      this.vmaps.insert(middle);
    }
    // Vmaps that now share a protection join (from the top, so each lookup still finds them).
    for (const b of boundaries.sort((x, y) => y - x)) this.mergeAt(b);
    for (let va = start; va < end; va += PAGE) {
      const frame = this.present.get(va / PAGE);
      if (frame === undefined) continue;
      if (prot === Prot.None) {
        // Keep the contents but make the page unreachable: drop the mapping, keep the frame.
        this.pages.unmap(va);
      } else this.mapPage(va, frame, prot);
      this.cpu.invalidatePage(va);
    }
    return end >= requestedEnd;
  }

  /**
   * The highest free range of `length` bytes inside [low, high), or -1.
   */
  findFree(length: number, low: number, high: number): number {
    let best = -1;
    this.vmaps.findGaps(low, high, (s, e) => {
      if (e - s >= length) best = pageDown(e - length);
      return true;
    });
    return best >= low ? best : -1;
  }

  /**
   * Resolves a page fault the CPU raised at `va`. Returns true when the page was mapped on
   * demand (resume the instruction), false when the access is a segmentation fault.
   */
  handleFault(va: number, errorCode: number): boolean {
    const v = this.vmaps.lookup(va);
    if (v === undefined) return false;
    const write = (errorCode & PageFaultCode.Write) !== 0;
    // A store to a page a private mapping still shares is the copy on write; any other fault on a present page is an error.
    if ((errorCode & PageFaultCode.Present) !== 0 && !(write && this.borrowed.has(pageDown(va) / PAGE))) return false;
    const fetch = (errorCode & PageFaultCode.Fetch) !== 0;
    if (v.prot === Prot.None) return false;
    if (write && (v.prot & Prot.Write) === 0) return false;
    if (fetch && (v.prot & Prot.Exec) === 0) return false;
    return this.populate(v, pageDown(va), write);
  }

  /** Whether `va` lies in a file mapping's page past the end of its file (a fault there is SIGBUS, not SIGSEGV). */
  pastEndOfFile(va: number): boolean {
    const v = this.vmaps.lookup(va);
    return v?.source?.hasPage?.(v.sourceOffset + (pageDown(va) - v.start)) === false;
  }

  /**
   * Fills the pages of [start, end) now instead of at first touch (MAP_POPULATE), as far as the
   * vmaps there allow access, while more than `reserve` frames stay free; returns the number
   * of pages filled. Like Linux, running short is not an error: the rest faults in later.
   */
  prefault(start: number, end: number, reserve: number): number {
    let filled = 0;
    for (let va = start; va < end && this.frames.available > reserve; va += PAGE) {
      const v = this.vmaps.lookup(va);
      if (v === undefined || v.prot === Prot.None) continue;
      if (!this.populate(v, va)) break;
      filled++;
    }
    return filled;
  }

  /**
   * Maps and fills the page at `va` of vmap `v`. False when guest RAM is too short for a new
   * page and the page tables it may need: the access fails (SIGSEGV, EFAULT) instead of the
   * host running out.
   */
  private populate(v: Vmap, va: number, write = false): boolean {
    const vpn = va / PAGE;
    let frame = this.present.get(vpn);
    if (frame !== undefined && write && this.borrowed.has(vpn)) {
      // Copy on write: the page becomes the mapping's own.
      if (this.frames.available <= TABLE_RESERVE) return false;
      const copy = this.takeFrame();
      this.cpu.mem.copyWithin(copy, frame, frame + PAGE);
      this.cpu.discardCode(copy / PAGE);
      this.borrowed.delete(vpn);
      this.present.set(vpn, copy);
      frame = copy;
    } else if (frame === undefined && v.source?.frame !== undefined && !v.shared && v.source.copyOnWrite === true) {
      // A private mapping maps the file's page read-only until its first store, so that it sees
      // the file's changes until then, as on Linux.
      const shared = v.source.frame(v.sourceOffset + (va - v.start));
      if (shared < 0) return false;
      if (write) {
        if (this.frames.available <= TABLE_RESERVE) return false;
        frame = this.takeFrame();
        this.cpu.mem.copyWithin(frame, shared, shared + PAGE);
        this.cpu.discardCode(frame / PAGE);
      } else {
        frame = shared;
        this.borrowed.add(vpn);
      }
      this.present.set(vpn, frame);
    } else if (frame === undefined && v.source?.frame !== undefined) {
      // A kernel-owned page: mapped as it is, and kept when unmapped.
      frame = v.source.frame(v.sourceOffset + (va - v.start));
      if (frame < 0) return false;
      this.kernelFrames.add(frame);
      this.present.set(vpn, frame);
    } else if (frame === undefined) {
      if (v.source?.hasPage?.(v.sourceOffset + (va - v.start)) === false) return false;
      if (this.frames.available <= TABLE_RESERVE) return false;
      frame = this.takeFrame();
      this.cpu.discardCode(frame / PAGE);
      const mem = this.cpu.mem;
      if (v.source === undefined) mem.fill(0, frame, frame + PAGE);
      else {
        this.scratch.fill(0);
        v.source.fill(v.sourceOffset + (va - v.start), this.scratch);
        mem.set(this.scratch, frame);
      }
      this.present.set(vpn, frame);
    }
    this.peakPages = Math.max(this.peakPages, this.present.size);
    this.mapPage(va, frame, v.prot);
    this.cpu.invalidatePage(va);
    return true;
  }

  /** Maps a present page with `prot`, never writable while a private mapping still shares it. */
  private mapPage(va: number, frame: number, prot: number): void {
    const write = (prot & Prot.Write) !== 0 && !this.borrowed.has(va / PAGE);
    this.pages.map(va, frame, { write, execute: (prot & Prot.Exec) !== 0 });
  }

  /**
   * The physical address for a kernel access to `va`, faulting the page in when its vmap allows
   * the access; -1 when it does not (EFAULT).
   */
  private resolve(va: number, write: boolean): number {
    const access = write ? Access.Write : Access.Read;
    let p = this.cpu.probe(va, access);
    if (p >= 0) return p;
    if (!this.handleFault(va, PageFaultCode.User | (write ? PageFaultCode.Write : 0))) return -1;
    p = this.cpu.probe(va, access);
    return p;
  }

  /** A copy of `len` user bytes at `addr`, or undefined when any is not readable. */
  read(addr: number, len: number): Uint8Array | undefined {
    if (!(len >= 0) || !Number.isSafeInteger(addr) || addr < 0) return undefined;
    const out = new Uint8Array(len);
    for (let done = 0; done < len; ) {
      const va = addr + done;
      const p = this.resolve(va, false);
      if (p < 0) return undefined;
      const n = Math.min(len - done, PAGE - (va % PAGE));
      out.set(this.cpu.mem.subarray(p, p + n), done);
      done += n;
    }
    return out;
  }

  /** Stores `bytes` at user address `addr`; false (nothing stored) when any byte is not writable. */
  write(addr: number, bytes: Uint8Array): boolean {
    if (!Number.isSafeInteger(addr) || addr < 0) return false;
    for (let done = 0; done < bytes.length; ) {
      const va = addr + done;
      if (this.resolve(va, true) < 0) return false;
      done += Math.min(bytes.length - done, PAGE - (va % PAGE));
    }
    for (let done = 0; done < bytes.length; ) {
      const va = addr + done;
      const p = this.resolve(va, true);
      const n = Math.min(bytes.length - done, PAGE - (va % PAGE));
      this.cpu.discardCode(Math.floor(p / PAGE));
      this.cpu.mem.set(bytes.subarray(done, done + n), p);
      done += n;
    }
    return true;
  }

  /** The NUL-terminated UTF-8 string at `addr` (at most `max` bytes), or undefined on a fault. */
  readCString(addr: number, max: number): string | undefined {
    if (!Number.isSafeInteger(addr) || addr < 0) return undefined;
    const bytes: number[] = [];
    while (bytes.length < max) {
      const va = addr + bytes.length;
      const p = this.resolve(va, false);
      if (p < 0) return undefined;
      const n = Math.min(max - bytes.length, PAGE - (va % PAGE));
      const mem = this.cpu.mem;
      for (let k = 0; k < n; k++) {
        const b = mem[p + k]!;
        if (b === 0) return UTF8.decode(Uint8Array.from(bytes));
        bytes.push(b);
      }
    }
    return UTF8.decode(Uint8Array.from(bytes));
  }

  /** Lines of /proc/self/maps. */
  describe(): string {
    const hex = (n: number): string => n.toString(16).padStart(8, "0");
    const lines: string[] = [];
    for (const v of this.vmaps) {
      const perms = `${v.prot & Prot.Read ? "r" : "-"}${v.prot & Prot.Write ? "w" : "-"}${v.prot & Prot.Exec ? "x" : "-"}${v.shared ? "s" : "p"}`;
      const line = `${hex(v.start)}-${hex(v.end)} ${perms} ${hex(v.source ? v.sourceOffset : 0)} 00:00 0`;
      lines.push(v.name ? `${line.padEnd(73)}${v.name}` : line);
    }
    return lines.join("\n") + (lines.length ? "\n" : "");
  }
}

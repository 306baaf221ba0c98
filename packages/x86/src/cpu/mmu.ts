// The MMU: x86-64 4-level page tables in guest RAM, walked on a TLB miss, with user-mode
// U/S, R/W and NX checks. Every access the CPU makes is a ring-3 access.
import { FAULT, PageFaultCode, Vector, type FaultInfo } from "./exit.js";

const PAGE = 4096;
const TLB_SIZE = 1024;
const TLB_MASK = TLB_SIZE - 1;
/** The tag of an empty TLB slot: not an integer, so no page number (negative ones too) matches. */
const NO_PAGE = 0.5;
/** 2^47: user addresses are below it; canonical addresses above belong to the kernel half. */
const CANONICAL_LIMIT = 0x800000000000;
const TWO64 = 18446744073709551616;

const P = 1;
const RW = 2;
const US = 4;
const ACCESSED = 0x20;
const DIRTY = 0x40;
const PS = 0x80;

/** Access kinds for {@link Mmu.translate}. */
export const Access = { Read: 0, Write: 1, Execute: 2 } as const;

/** Guest RAM: a `WebAssembly.Memory` (so WebAssembly code can share it) or any buffer holder. */
export interface GuestMemory {
  readonly buffer: ArrayBuffer;
}

/** The global WebAssembly.Memory constructor (typed here: the ES library has no WebAssembly). */
const WasmMemory = (globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number; maximum: number }) => GuestMemory } }).WebAssembly.Memory;

/** Options for creating guest RAM. */
export interface MemoryOptions {
  /** Bytes of guest RAM to allocate (a multiple of 64 KiB; default 64 MiB). */
  memoryBytes?: number;
  /** Existing guest RAM to use instead. */
  memory?: GuestMemory;
}

/**
 * Guest RAM and the address translation of the CPU. Reads and writes take a virtual address and
 * raise #PF/#GP (by throwing {@link FAULT}) with `fault` filled in.
 */
export class Mmu {
  /** Guest physical RAM. */
  readonly mem: Uint8Array;
  protected readonly view: DataView;
  /** The guest RAM object (shared with WebAssembly code). */
  readonly memory: GuestMemory;
  /** Physical address of the PML4 table. Call {@link flushTlb} after changing it. */
  cr3 = 0;
  /** Details of the last fault. */
  readonly fault: FaultInfo = { vector: 0, errorCode: 0, address: 0 };
  /** High half of the last 64-bit read. */
  hi = 0;
  /** TLB misses since creation. */
  tlbMisses = 0;

  // Direct-mapped TLB: a tag per access kind holds the virtual page number it allows.
  private readonly tagRead = new Float64Array(TLB_SIZE).fill(NO_PAGE);
  private readonly tagWrite = new Float64Array(TLB_SIZE).fill(NO_PAGE);
  private readonly tagExec = new Float64Array(TLB_SIZE).fill(NO_PAGE);
  private readonly frame = new Float64Array(TLB_SIZE);
  // Permissions found by the last successful walk.
  private walkWritable = false;
  private walkExecutable = false;
  private walkDirty = false;
  // Results of translateSpan.
  private spanSplit = 0;
  private spanSecond = 0;
  /** Physical pages holding cached decoded code: writes to them take the slow path. */
  protected readonly codePage: Uint8Array;

  constructor(options: MemoryOptions = {}) {
    const bytes = options.memoryBytes ?? 64 << 20;
    this.memory = options.memory ?? new WasmMemory({ initial: Math.ceil(bytes / 65536), maximum: 65536 });
    this.mem = new Uint8Array(this.memory.buffer);
    this.view = new DataView(this.memory.buffer);
    this.codePage = new Uint8Array(Math.ceil(this.mem.length / PAGE));
  }

  /** Forgets every translation (after the page tables or cr3 change). */
  flushTlb(): void {
    this.tagRead.fill(NO_PAGE);
    this.tagWrite.fill(NO_PAGE);
    this.tagExec.fill(NO_PAGE);
  }

  /** Forgets the translation of one page (after its page-table entry changes). */
  invalidatePage(va: number): void {
    const vpn = Math.floor(va / PAGE);
    const i = vpn & TLB_MASK;
    if (this.tagRead[i] === vpn) this.tagRead[i] = NO_PAGE;
    if (this.tagWrite[i] === vpn) this.tagWrite[i] = NO_PAGE;
    if (this.tagExec[i] === vpn) this.tagExec[i] = NO_PAGE;
  }

  /** Raises a fault: fills {@link fault} and throws {@link FAULT}. */
  raise(vector: number, errorCode = 0, address = 0): never {
    this.fault.vector = vector;
    this.fault.errorCode = errorCode;
    this.fault.address = address;
    throw FAULT;
  }

  /**
   * Translates a virtual address for an access, filling the TLB; raises #PF or #GP.
   * Returns the physical address.
   */
  translate(va: number, access: number): number {
    const vpn = Math.floor(va / PAGE);
    const i = vpn & TLB_MASK;
    const off = va - vpn * PAGE;
    const tags = access === Access.Read ? this.tagRead : access === Access.Write ? this.tagWrite : this.tagExec;
    if (tags[i] === vpn) return this.frame[i]! + off;
    return this.walk(va, access) + off;
  }

  /**
   * Translates without side effects: the physical address, or -1 when the page is not mapped
   * for that access. For the kernel's copies from and to user memory.
   */
  probe(va: number, access: number): number {
    if (!(va >= 0 && va < CANONICAL_LIMIT)) return -1;
    const r = this.walkTables(va, access, false);
    return r < 0 ? -1 : r + (va % PAGE);
  }

  private walk(va: number, access: number): number {
    this.tlbMisses++;
    if (!(va >= 0 && va < CANONICAL_LIMIT)) {
      // A negative address is a register read as signed: the same 64-bit value as va + 2^64.
      if (va < 0 && va >= -CANONICAL_LIMIT) va += TWO64;
      // Addresses near 2^64 reach us rounded up to 2^64 (a double's precision): still canonical.
      if (va >= 0xffff800000000000 && va <= TWO64) {
        // Canonical kernel-half address: the kernel is mapped there, so a protection fault.
        this.raise(Vector.PF, PageFaultCode.Present | PageFaultCode.User | (access === Access.Write ? PageFaultCode.Write : 0) | (access === Access.Execute ? PageFaultCode.Fetch : 0), va);
      }
      this.raise(Vector.GP, 0);
    }
    const frame = this.walkTables(va, access, true);
    if (frame < 0) this.raise(Vector.PF, -frame - 1, va);
    const vpn = Math.floor(va / PAGE);
    const i = vpn & TLB_MASK;
    this.frame[i] = frame;
    this.tagRead[i] = vpn;
    this.tagExec[i] = this.walkExecutable ? vpn : NO_PAGE;
    // Writes go through the TLB only once the page is dirty and holds no decoded code, so the
    // dirty bit is always set and self-modifying writes reach the slow path.
    this.tagWrite[i] = this.walkWritable && this.walkDirty && this.codePage[frame / PAGE] === 0 ? vpn : NO_PAGE;
    return frame;
  }

  /**
   * Walks the four levels. Returns the 4 KiB frame's physical address, or -(errorCode + 1) when
   * the access must fault. With `update`, sets accessed and dirty bits as the hardware does.
   */
  private walkTables(va: number, access: number, update: boolean): number {
    const view = this.view;
    const memLength = this.mem.length;
    let table = this.cr3 - (this.cr3 % PAGE);
    this.walkWritable = false;
    this.walkExecutable = false;
    this.walkDirty = false;
    let writable = true;
    let executable = true;
    const accessBits = PageFaultCode.User | (access === Access.Write ? PageFaultCode.Write : 0) | (access === Access.Execute ? PageFaultCode.Fetch : 0);
    let shift = 39;
    for (let level = 4; level >= 1; level--) {
      const index = Math.floor(va / 2 ** shift) % 512;
      const entryAddr = table + index * 8;
      if (entryAddr + 8 > memLength) return -(accessBits | PageFaultCode.Reserved) - 1;
      const lo = view.getUint32(entryAddr, true);
      const hi = view.getUint32(entryAddr + 4, true);
      if ((lo & P) === 0) return -accessBits - 1;
      if ((lo & US) === 0) return -(accessBits | PageFaultCode.Present) - 1;
      if ((lo & RW) === 0) writable = false;
      if (hi & 0x80000000) executable = false;
      // Physical addresses above guest RAM are reserved bits for us.
      if ((hi & 0x7ff00000) !== 0 || (hi & 0xfffff) !== 0) return -(accessBits | PageFaultCode.Present | PageFaultCode.Reserved) - 1;
      const large = level <= 3 && level >= 2 && (lo & PS) !== 0;
      const last = level === 1 || large;
      if (update && (lo & ACCESSED) === 0) view.setUint32(entryAddr, lo | ACCESSED, true);
      if (last) {
        if (access === Access.Write && !writable) return -(accessBits | PageFaultCode.Present) - 1;
        if (access === Access.Execute && !executable) return -(accessBits | PageFaultCode.Present) - 1;
        if (update && access === Access.Write && (lo & DIRTY) === 0) view.setUint32(entryAddr, lo | ACCESSED | DIRTY, true);
        this.walkWritable = writable;
        this.walkExecutable = executable;
        this.walkDirty = access === Access.Write || (lo & DIRTY) !== 0;
        const pageSize = 2 ** shift;
        const base = (lo & 0xfffff000) >>> 0;
        const frame = base - (base % pageSize) + (Math.floor(va / PAGE) * PAGE) % pageSize;
        if (frame + PAGE > memLength) return -(accessBits | PageFaultCode.Present | PageFaultCode.Reserved) - 1;
        return frame;
      }
      table = (lo & 0xfffff000) >>> 0;
      shift -= 9;
    }
    return -accessBits - 1;
  }

  // --- Data accesses. Each has a TLB fast path and a slow path for misses and page crossings.

  read8(va: number): number {
    const vpn = Math.floor(va / PAGE);
    const i = vpn & TLB_MASK;
    if (this.tagRead[i] === vpn) return this.mem[this.frame[i]! + (va - vpn * PAGE)]!;
    return this.mem[this.translate(va, Access.Read)]!;
  }

  read16(va: number): number {
    const vpn = Math.floor(va / PAGE);
    const i = vpn & TLB_MASK;
    const off = va - vpn * PAGE;
    if (this.tagRead[i] === vpn && off <= PAGE - 2) return this.view.getUint16(this.frame[i]! + off, true);
    return this.readSlow(va, 2);
  }

  read32(va: number): number {
    const vpn = Math.floor(va / PAGE);
    const i = vpn & TLB_MASK;
    const off = va - vpn * PAGE;
    if (this.tagRead[i] === vpn && off <= PAGE - 4) return this.view.getInt32(this.frame[i]! + off, true);
    return this.readSlow(va, 4) | 0;
  }

  /** Reads 64 bits: returns the low half, leaves the high half in {@link hi}. */
  read64(va: number): number {
    const vpn = Math.floor(va / PAGE);
    const i = vpn & TLB_MASK;
    const off = va - vpn * PAGE;
    if (this.tagRead[i] === vpn && off <= PAGE - 8) {
      const p = this.frame[i]! + off;
      this.hi = this.view.getInt32(p + 4, true);
      return this.view.getInt32(p, true);
    }
    this.translateSpan(va, 8, Access.Read);
    const lo = this.readSlow(va, 4) | 0;
    const hi = this.readSlow(va + 4, 4) | 0;
    this.hi = hi;
    return lo;
  }

  private readSlow(va: number, n: number): number {
    const first = this.translateSpan(va, n, Access.Read);
    const split = this.spanSplit;
    let v = 0;
    for (let k = n - 1; k >= 0; k--) v = v * 256 + this.mem[k < split ? first + k : this.spanSecond + (k - split)]!;
    return v;
  }

  /**
   * Translates the `n` bytes at `va` (n ≤ 4096) for an access and returns the physical address of
   * the first. When they cross into the next page, `spanSplit` is the number of bytes on the first
   * page and `spanSecond` the physical address of the next page; otherwise `spanSplit` is `n`.
   * The first page is checked first and the second at its first byte, so a fault reports the
   * lowest inaccessible address, as the hardware does.
   */
  private translateSpan(va: number, n: number, access: number): number {
    const first = this.translate(va, access);
    const onFirst = PAGE - (va % PAGE);
    if (n <= onFirst) {
      this.spanSplit = n;
      return first;
    }
    this.spanSecond = this.translate(va + onFirst, access);
    this.spanSplit = onFirst;
    return first;
  }

  write8(va: number, v: number): void {
    const vpn = Math.floor(va / PAGE);
    const i = vpn & TLB_MASK;
    if (this.tagWrite[i] === vpn) {
      this.mem[this.frame[i]! + (va - vpn * PAGE)] = v;
      return;
    }
    this.writeSlow(va, 1, v, 0);
  }

  write16(va: number, v: number): void {
    const vpn = Math.floor(va / PAGE);
    const i = vpn & TLB_MASK;
    const off = va - vpn * PAGE;
    if (this.tagWrite[i] === vpn && off <= PAGE - 2) {
      this.view.setUint16(this.frame[i]! + off, v, true);
      return;
    }
    this.writeSlow(va, 2, v, 0);
  }

  write32(va: number, v: number): void {
    const vpn = Math.floor(va / PAGE);
    const i = vpn & TLB_MASK;
    const off = va - vpn * PAGE;
    if (this.tagWrite[i] === vpn && off <= PAGE - 4) {
      this.view.setInt32(this.frame[i]! + off, v, true);
      return;
    }
    this.writeSlow(va, 4, v, 0);
  }

  write64(va: number, lo: number, hi: number): void {
    const vpn = Math.floor(va / PAGE);
    const i = vpn & TLB_MASK;
    const off = va - vpn * PAGE;
    if (this.tagWrite[i] === vpn && off <= PAGE - 8) {
      const p = this.frame[i]! + off;
      this.view.setInt32(p, lo, true);
      this.view.setInt32(p + 4, hi, true);
      return;
    }
    this.writeSlow(va, 8, lo, hi);
  }

  /** Checks that `n` bytes at `va` may be written (raising the fault a write would), writing nothing. */
  checkWritable(va: number, n: number): void {
    if (n <= PAGE) {
      this.translateSpan(va, n, Access.Write);
      return;
    }
    // Larger regions (enter's frame) page by page, lowest first.
    for (let at = va; at < va + n; at = (Math.floor(at / PAGE) + 1) * PAGE) this.translate(at, Access.Write);
  }

  private writeSlow(va: number, n: number, lo: number, hi: number): void {
    // Both pages must be writable before any byte changes, so a fault leaves memory untouched.
    const first = this.translateSpan(va, n, Access.Write);
    const split = this.spanSplit;
    for (let k = 0; k < n; k++) {
      const byte = (k < 4 ? lo >>> (8 * k) : hi >>> (8 * (k - 4))) & 0xff;
      this.storeByte(k < split ? first + k : this.spanSecond + (k - split), byte);
    }
  }

  /** Stores a byte at a physical address, invalidating decoded code on that page. */
  protected storeByte(p: number, byte: number): void {
    if (this.codePage[Math.floor(p / PAGE)] !== 0) this.codeWritten(Math.floor(p / PAGE));
    this.mem[p] = byte;
  }

  /** Called when a page holding decoded code is written; the CPU drops its cache for it. */
  protected codeWritten(frameNumber: number): void {
    this.codePage[frameNumber] = 0;
  }

  /** Marks a physical page as holding decoded code and drops write permissions to it from the TLB. */
  protected markCode(frameNumber: number): void {
    if (this.codePage[frameNumber] !== 0) return;
    this.codePage[frameNumber] = 1;
    const base = frameNumber * PAGE;
    for (let i = 0; i < TLB_SIZE; i++) if (this.frame[i] === base) this.tagWrite[i] = NO_PAGE;
  }

  /** Reads `n` bytes (n ≤ 4096) from virtual memory into `dst`. */
  readBytes(va: number, dst: Uint8Array, dstOffset: number, n: number): void {
    let done = 0;
    while (done < n) {
      const p = this.translate(va + done, Access.Read);
      const chunk = Math.min(n - done, PAGE - ((va + done) % PAGE));
      dst.set(this.mem.subarray(p, p + chunk), dstOffset + done);
      done += chunk;
    }
  }

  /** Writes `n` bytes (n ≤ 4096) from `src` to virtual memory; checks every page first. */
  writeBytes(va: number, src: Uint8Array, srcOffset: number, n: number): void {
    if (n === 0) return;
    this.checkWritable(va, n);
    let done = 0;
    while (done < n) {
      const p = this.translate(va + done, Access.Write);
      const chunk = Math.min(n - done, PAGE - ((va + done) % PAGE));
      const frameNumber = Math.floor(p / PAGE);
      if (this.codePage[frameNumber] !== 0) this.codeWritten(frameNumber);
      this.mem.set(src.subarray(srcOffset + done, srcOffset + done + chunk), p);
      done += chunk;
    }
  }
}

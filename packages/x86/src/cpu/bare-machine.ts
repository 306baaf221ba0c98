// A minimal address space around a Cpu for running flat code without a kernel: the bench
// programs, the self-checking assembly tests and the differential tests use it.
import { Cpu, type CpuOptions } from "./cpu.js";
import { Exit } from "./exit.js";
import { PageTableBuilder, type PagePermissions } from "./page-table-builder.js";

const PAGE = 4096;

/** Where {@link BareMachine} puts things by default. */
export const BARE_LAYOUT = {
  code: 0x400000,
  data: 0x10000000,
  stackTop: 0x7ff000000000,
} as const;

/** A Cpu, its page tables and a bump allocator of physical pages. */
export class BareMachine {
  readonly cpu: Cpu;
  readonly pages: PageTableBuilder;
  private nextFrame = PAGE;

  constructor(options: CpuOptions = {}) {
    this.cpu = new Cpu(options);
    this.pages = new PageTableBuilder(this.cpu.mem, () => this.allocateFrame());
    this.cpu.cr3 = this.pages.root;
  }

  /** A fresh zeroed physical page. */
  allocateFrame(): number {
    const frame = this.nextFrame;
    if (frame + PAGE > this.cpu.mem.length) throw new RangeError("BareMachine: out of guest RAM");
    this.nextFrame += PAGE;
    return frame;
  }

  /** Maps `bytes` of fresh zeroed memory at `va` (page-aligned) with permissions. */
  map(va: number, bytes: number, permissions: PagePermissions): void {
    for (let off = 0; off < bytes; off += PAGE) this.pages.map(va + off, this.allocateFrame(), permissions);
    this.cpu.flushTlb();
  }

  /** Copies bytes into mapped memory, ignoring permissions (as a loader does). */
  poke(va: number, bytes: Uint8Array): void {
    for (let k = 0; k < bytes.length; ) {
      const frame = this.pages.lookup(Math.floor((va + k) / PAGE) * PAGE);
      if (frame < 0) throw new RangeError(`poke: ${(va + k).toString(16)} is not mapped`);
      const off = (va + k) % PAGE;
      const n = Math.min(bytes.length - k, PAGE - off);
      this.cpu.mem.set(bytes.subarray(k, k + n), frame + off);
      k += n;
    }
  }

  /** Reads bytes from mapped memory, ignoring permissions. */
  peek(va: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let k = 0; k < length; ) {
      const frame = this.pages.lookup(Math.floor((va + k) / PAGE) * PAGE);
      if (frame < 0) throw new RangeError(`peek: ${(va + k).toString(16)} is not mapped`);
      const off = (va + k) % PAGE;
      const n = Math.min(length - k, PAGE - off);
      out.set(this.cpu.mem.subarray(frame + off, frame + off + n), k);
      k += n;
    }
    return out;
  }

  /**
   * Loads flat code at `at`, maps a stack of `stackBytes` below {@link BARE_LAYOUT.stackTop},
   * points rip and rsp at them.
   */
  load(code: Uint8Array, at: number = BARE_LAYOUT.code, stackBytes = 64 * 1024): void {
    const size = Math.ceil(Math.max(code.length, 1) / PAGE) * PAGE;
    this.map(at, size, { execute: true });
    this.poke(at, code);
    this.map(BARE_LAYOUT.stackTop - stackBytes, stackBytes, { write: true });
    this.cpu.rip = at;
    this.cpu.setRegNumber(4, BARE_LAYOUT.stackTop);
  }

  /** Runs until the guest stops for something other than the budget; returns that Exit. */
  runToExit(budget = 1e9): number {
    let left = budget;
    for (;;) {
      const before = this.cpu.instructionsRetired;
      const exit = this.cpu.run(Math.min(left, 1 << 20));
      left -= this.cpu.instructionsRetired - before;
      if (exit !== Exit.Budget || left <= 0) return exit;
    }
  }
}

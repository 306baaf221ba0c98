// Test support: runs real instruction bytes through the CPU (the core's run loop, with the x87
// and FXSAVE tables registered) on a BareMachine with a writable data area. One machine can
// run many snippets: each run rewrites the code page and resets the registers it relies on.
import { BARE_LAYOUT, BareMachine } from "../bare-machine.js";
import { Exit, Vector } from "../exit.js";
import type { X87State } from "./x87-state.js";

/** Where test data lives (read-write, 8 KiB). */
export const DATA = 0x10000000;
const CODE_BYTES = 16384;
const PAGE = 4096;

/** A BareMachine with a code area, a stack, and a writable data area at {@link DATA}. */
export class X87Machine {
  readonly m = new BareMachine({ memoryBytes: 8 << 20 });
  readonly cpu = this.m.cpu;
  readonly x87: X87State = this.cpu.x87;

  constructor() {
    this.m.load(new Uint8Array(CODE_BYTES));
    this.m.map(DATA, 8192, { write: true });
  }

  /**
   * Runs hex code (an int3 is appended) from the start of the code area. Returns the fault
   * vector if an instruction faulted (rip left at it), or -1 when the code ran to its end.
   */
  run(hex: string): number {
    const code = Uint8Array.from((hex.replace(/\s+/g, "") + "cc").match(/../g)!.map((b) => parseInt(b, 16)));
    this.m.poke(BARE_LAYOUT.code, code);
    // The poke bypasses the MMU, so drop any decoded copy of the old code.
    for (let off = 0; off < code.length; off += PAGE) this.cpu.discardCode(this.m.pages.lookup(BARE_LAYOUT.code + off) / PAGE);
    this.cpu.rip = BARE_LAYOUT.code;
    this.cpu.setReg(4, BigInt(BARE_LAYOUT.stackTop));
    const end = BARE_LAYOUT.code + code.length;
    const exit = this.m.runToExit(100000);
    if (exit !== Exit.Fault) throw new Error(`code stopped with exit ${exit}`);
    if (this.cpu.fault.vector === Vector.BP && this.cpu.rip === end) return -1;
    return this.cpu.fault.vector;
  }

  /** Writes bytes at a data address. */
  poke(va: number, bytes: Uint8Array): void {
    this.m.poke(va, bytes);
  }

  /** Reads bytes at a data address. */
  peek(va: number, n: number): Uint8Array {
    return this.m.peek(va, n);
  }
}

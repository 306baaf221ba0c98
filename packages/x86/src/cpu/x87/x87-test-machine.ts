// Test support: runs real instruction bytes through the CPU (the core's run loop, with the x87
// and FXSAVE tables registered) on a BareMachine with a writable data area.
import { BareMachine } from "../bare-machine.js";
import { Exit, Vector } from "../exit.js";
import type { X87State } from "./x87-state.js";

/** Where test data lives (read-write). */
export const DATA = 0x10000000;

/** A BareMachine with code, a stack, and a writable data area at {@link DATA}. */
export class X87Machine {
  readonly m = new BareMachine({ memoryBytes: 8 << 20 });
  readonly cpu = this.m.cpu;
  readonly x87: X87State = this.cpu.x87;

  constructor() {
    this.m.map(DATA, 8192, { write: true });
  }

  /**
   * Loads hex code (an int3 is appended) and runs it. Returns the fault vector if an
   * instruction faulted (rip left at it), or -1 when the code ran to its end.
   */
  run(hex: string): number {
    const code = Uint8Array.from((hex.replace(/\s+/g, "") + "cc").match(/../g)!.map((b) => parseInt(b, 16)));
    this.m.load(code);
    const end = this.cpu.rip + code.length;
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

// Test support: runs real instruction bytes through the x87 handlers on a BareMachine, one
// instruction at a time, using the core's handlers for everything else (such as MOV). It lets
// the x87 tests run before the core's handler table registers the x87 tables.
import { decode } from "../../decoder/decode.js";
import { DecodedInstruction } from "../../decoder/decoded-instruction.js";
import { BareMachine } from "../bare-machine.js";
import { FAULT } from "../exit.js";
import { handlerFor } from "../handlers.js";
import { Instr, type Handler } from "../instr.js";
import { FXSAVE_HANDLERS } from "./fxsave.js";
import { X87_HANDLERS } from "./x87-handlers.js";
import { fpu } from "./x87-support.js";
import type { X87State } from "./x87-state.js";

const OWN: Record<string, Handler> = { ...X87_HANDLERS, ...FXSAVE_HANDLERS };

/** Where test data lives (read-write). */
export const DATA = 0x10000000;

/** A BareMachine with code, a stack, and a writable data page at {@link DATA}. */
export class X87Machine {
  readonly m = new BareMachine({ memoryBytes: 8 << 20 });
  readonly cpu = this.m.cpu;
  readonly x87: X87State = fpu(this.cpu);
  private readonly decoded = new DecodedInstruction();

  constructor() {
    this.m.map(DATA, 8192, { write: true });
  }

  /**
   * Loads hex code and runs it to its end. Returns the fault vector if an instruction faulted
   * (rip left at it), else -1.
   */
  run(hex: string): number {
    const code = Uint8Array.from(hex.replace(/\s+/g, "").match(/../g)!.map((b) => parseInt(b, 16)));
    this.m.load(code);
    const start = this.cpu.rip;
    const end = start + code.length;
    while (this.cpu.rip < end) {
      const at = this.cpu.rip;
      decode(this.decoded, code, at - start, at);
      if (this.decoded.error) throw new Error(`cannot decode at ${at.toString(16)}`);
      const handler = OWN[this.decoded.mnemonic] ?? handlerFor(this.decoded.mnemonic);
      const instr = new Instr(this.decoded, handler);
      this.cpu.rip = instr.next;
      try {
        handler(this.cpu, instr);
      } catch (e) {
        if (e !== FAULT) throw e;
        this.cpu.rip = at;
        return this.cpu.fault.vector;
      }
    }
    return -1;
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

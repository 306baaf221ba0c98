// The MMX registers mm0-mm7 alias the x87 registers: the SSE code reaches them only through
// these three functions, over the CPU's X87State (which applies the aliasing rules: an MMX
// access sets TOP to 0 and tags every register valid; EMMS empties them).
import type { Cpu } from "../cpu.js";

/** Reads mm`i` into out[0] (low half) and out[1] (high half). */
export function readMmx(cpu: Cpu, i: number, out: Int32Array | Uint32Array): void {
  const x87 = cpu.x87;
  out[0] = x87.getMmx(i);
  out[1] = x87.mmxHi;
}

/** Writes mm`i`. */
export function writeMmx(cpu: Cpu, i: number, lo: number, hi: number): void {
  cpu.x87.setMmx(i, lo, hi);
}

/** EMMS: marks every x87 register empty. */
export function emptyMmxState(cpu: Cpu): void {
  cpu.x87.emms();
}

// The MMX registers mm0-mm7 alias the x87 registers. This adapter is the only place the SSE
// code touches them: it uses the CPU's X87State (getMmx/setMmx/emms) when the core has one,
// and otherwise keeps the eight registers in a side table of its own.
import type { Cpu } from "../cpu.js";

/** What the adapter needs of the x87 state. */
interface MmxHost {
  getMmx(i: number): number;
  setMmx(i: number, lo: number, hi: number): void;
  /** High half of the last getMmx. */
  mmxHi: number;
  emms?(): void;
}

const sideTables = new WeakMap<object, Int32Array>();

function x87Of(cpu: Cpu): MmxHost | undefined {
  const x87 = (cpu as unknown as { x87?: MmxHost }).x87;
  return x87 !== undefined && typeof x87.getMmx === "function" ? x87 : undefined;
}

function sideTable(cpu: Cpu): Int32Array {
  let t = sideTables.get(cpu);
  if (t === undefined) {
    t = new Int32Array(16);
    sideTables.set(cpu, t);
  }
  return t;
}

/** Reads mm`i` into out[0] (low half) and out[1] (high half). */
export function readMmx(cpu: Cpu, i: number, out: Int32Array | Uint32Array): void {
  const x87 = x87Of(cpu);
  if (x87 !== undefined) {
    out[0] = x87.getMmx(i);
    out[1] = x87.mmxHi;
    return;
  }
  const t = sideTable(cpu);
  out[0] = t[2 * i]!;
  out[1] = t[2 * i + 1]!;
}

/** Writes mm`i` (which also puts the x87 unit in MMX state: TOP 0, all tags valid). */
export function writeMmx(cpu: Cpu, i: number, lo: number, hi: number): void {
  const x87 = x87Of(cpu);
  if (x87 !== undefined) {
    x87.setMmx(i, lo, hi);
    return;
  }
  const t = sideTable(cpu);
  t[2 * i] = lo;
  t[2 * i + 1] = hi;
}

/** EMMS: marks every x87 register empty. */
export function emptyMmxState(cpu: Cpu): void {
  x87Of(cpu)?.emms?.();
}

// Compare-and-exchange and exchange-and-add: cmpxchg, cmpxchg8b, cmpxchg16b, xadd. One vCPU
// runs at a time, so LOCK needs nothing beyond doing the whole read-modify-write at once.
import { OperandKind } from "../../decoder/decoded-instruction.js";
import type { Cpu } from "../cpu.js";
import { FlagOp, Flag } from "../flags.js";
import type { Handler, Instr } from "../instr.js";
import { Vector } from "../exit.js";
import { isAligned } from "./address.js";
import { truncate } from "./width.js";

const RAX = 0;
const RCX = 1;
const RDX = 2;
const RBX = 3;

function cmpxchg(cpu: Cpu, i: Instr): void {
  const size = i.s0;
  const va = cpu.operandAddress(i);
  if (i.memory !== 0) cpu.checkWritable(va, size);
  const d = cpu.value(i, i.k0, i.r0, size, va);
  const dHi = cpu.hi;
  const g = cpu.gpr;
  const a = size === 8 ? g[RAX]! : truncate(g[RAX]!, size);
  const aHi = g[RAX + 1]!;
  // Flags as cmp accumulator, destination.
  if (size === 8) {
    const diff = (a >>> 0) - (d >>> 0);
    cpu.set64(FlagOp.Sub, a, aHi, d, dHi, diff | 0, (aHi - dHi - (diff < 0 ? 1 : 0)) | 0, 0);
  } else cpu.setSub(size, a, d, truncate(a - d, size), 0);
  const equal = size === 8 ? a === d && aHi === dHi : a === d;
  if (equal) {
    const s = cpu.value(i, i.k1, i.r1, size, va);
    cpu.put(i.k0, i.r0, size, va, s, cpu.hi);
    return;
  }
  // The destination is written back unchanged for memory (the locked cycle always writes).
  if (i.k0 !== OperandKind.Register) cpu.store(va, size, d, dHi);
  if (size === 8) {
    g[RAX] = d;
    g[RAX + 1] = dHi;
  } else cpu.writeGpr(size === 4 ? 128 : size === 2 ? 96 : 32, d);
}

/** cmpxchg8b / cmpxchg16b: compare rdx:rax with memory; store rcx:rbx when equal. */
function cmpxchgWide(cpu: Cpu, i: Instr): void {
  const wide = i.opsize === 8; // cmpxchg16b
  const va = cpu.operandAddress(i);
  if (wide && !isAligned(cpu, i, va, 16)) cpu.raise(Vector.GP);
  const g = cpu.gpr;
  cpu.checkWritable(va, wide ? 16 : 8);
  if (wide) {
    const lo = cpu.read64(va);
    const loHi = cpu.hi;
    const hi = cpu.read64(va + 8);
    const hiHi = cpu.hi;
    const equal = lo === g[RAX] && loHi === g[RAX + 1] && hi === g[2 * RDX] && hiHi === g[2 * RDX + 1];
    if (equal) {
      cpu.write64(va, g[2 * RBX]!, g[2 * RBX + 1]!);
      cpu.write64(va + 8, g[2 * RCX]!, g[2 * RCX + 1]!);
    } else {
      cpu.write64(va, lo, loHi);
      cpu.write64(va + 8, hi, hiHi);
      g[RAX] = lo;
      g[RAX + 1] = loHi;
      g[2 * RDX] = hi;
      g[2 * RDX + 1] = hiHi;
    }
    cpu.setFlagBits(equal ? Flag.ZF : 0, Flag.ZF);
    return;
  }
  const lo = cpu.read32(va);
  const hi = cpu.read32(va + 4);
  const equal = lo === g[RAX] && hi === g[2 * RDX];
  if (equal) cpu.write64(va, g[2 * RBX]!, g[2 * RCX]!);
  else {
    cpu.write64(va, lo, hi);
    g[RAX] = lo;
    g[RAX + 1] = 0;
    g[2 * RDX] = hi;
    g[2 * RDX + 1] = 0;
  }
  cpu.setFlagBits(equal ? Flag.ZF : 0, Flag.ZF);
}

function xadd(cpu: Cpu, i: Instr): void {
  const size = i.s0;
  const va = cpu.operandAddress(i);
  if (i.memory !== 0) cpu.checkWritable(va, size);
  const d = cpu.value(i, i.k0, i.r0, size, va);
  const dHi = cpu.hi;
  const s = cpu.value(i, i.k1, i.r1, size, va);
  const sHi = cpu.hi;
  let lo: number;
  let hi = 0;
  if (size === 8) {
    const sum = (d >>> 0) + (s >>> 0);
    lo = sum | 0;
    hi = (dHi + sHi + (sum > 0xffffffff ? 1 : 0)) | 0;
    cpu.set64(FlagOp.Add, d, dHi, s, sHi, lo, hi, 0);
  } else {
    lo = truncate(d + s, size);
    cpu.setAdd(size, d, s, lo, 0);
  }
  // The source register takes the old destination, then the destination takes the sum.
  cpu.put(i.k1, i.r1, size, va, d, dHi);
  cpu.put(i.k0, i.r0, size, va, lo, hi);
}

/** Handlers of the atomic exchange instructions. */
export const EXCHANGE_HANDLERS: Record<string, Handler> = {
  cmpxchg,
  cmpxchg8b: cmpxchgWide,
  cmpxchg16b: cmpxchgWide,
  xadd,
};

// Memory-operand addresses beyond what `cpu.ea` keeps: segment bases, and the exact 64-bit
// address when a number would round (cpu.ea's result is exact only below 2^53).
import { RegClass } from "../../decoder/registers.js";
import type { Cpu } from "../cpu.js";
import type { Instr } from "../instr.js";

/** The base the instruction's segment prefix adds to its memory operand (fs/gs, else 0). */
export function segmentBase(cpu: Cpu, i: Instr): number {
  return i.segmentPrefix === 0x64 ? cpu.fsBase : i.segmentPrefix === 0x65 ? cpu.gsBase : 0;
}

/** The exact unsigned 64-bit address of a 64-bit-addressing memory operand (rare: bigints). */
export function exactAddress(cpu: Cpu, i: Instr): bigint {
  let v = BigInt(i.disp) + BigInt(segmentBase(cpu, i));
  if (i.base >> 5 === RegClass.Rip) v += BigInt(i.next);
  else if (i.base !== 0) v += cpu.getReg(i.base & 31);
  if (i.index !== 0) v += cpu.getReg(i.index & 31) * BigInt(i.scale);
  return BigInt.asUintN(64, v);
}

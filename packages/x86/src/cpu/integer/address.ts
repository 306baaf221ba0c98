// Addresses beyond what `cpu.ea` provides: segment bases, the exact 64-bit address when a number
// would round (cpu.ea's result is exact only below 2^53), and stack addresses with their #SS.
import { RegClass } from "../../decoder/registers.js";
import type { Cpu } from "../cpu.js";
import type { Instr } from "../instr.js";

const TWO32 = 4294967296;
/** 2^47, the end of the user half: canonical addresses are the 64-bit values in [-2^47, 2^47). */
export const USER_END = 0x800000000000;
/** The lowest canonical kernel-half address, 2^64 - 2^47. */
const KERNEL_START = 0xffff800000000000;
/** Stands for every non-canonical address: rounding could carry one into the canonical range. */
export const NON_CANONICAL = 2 ** 63;
/** #SS, the stack-segment fault: what a non-canonical stack address raises instead of #GP. */
const STACK_FAULT = 12;

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

/**
 * A 64-bit address from its int32 halves as an unsigned number: exact in the user half, rounded
 * in the kernel half (staying in it), and {@link NON_CANONICAL} when bits 63:47 differ.
 */
export function addressFromHalves(lo: number, hi: number): number {
  const top = hi >> 15;
  if (top !== 0 && top !== -1) return NON_CANONICAL;
  return (hi >>> 0) * TWO32 + (lo >>> 0);
}

/** {@link addressFromHalves} for an unsigned 64-bit bigint. */
export function addressFromBig(u: bigint): number {
  return addressFromHalves(Number(u & 0xffffffffn) | 0, Number(u >> 32n) | 0);
}

/** Whether the memory operand at `va` (from cpu.ea) is aligned to `n` (a power of two) exactly. */
export function isAligned(cpu: Cpu, i: Instr, va: number, n: number): boolean {
  if (va < 2 ** 53) return va % n === 0;
  return (exactAddress(cpu, i) & BigInt(n - 1)) === 0n;
}

/**
 * Raises #SS(0) when a memory operand's address `va` is non-canonical and its segment is the
 * stack's (an rsp or rbp base without an fs/gs override); a non-canonical address in any other
 * segment is left to the MMU, which raises #GP.
 */
export function checkStackSegment(cpu: Cpu, i: Instr, va: number): void {
  if (va < USER_END || va >= KERNEL_START) return;
  const base = i.base & 31;
  if (i.base === 0 || i.base >> 5 === RegClass.Rip || (base !== 4 && base !== 5)) return;
  if (i.segmentPrefix === 0x64 || i.segmentPrefix === 0x65) return;
  cpu.raise(STACK_FAULT, 0);
}

/**
 * A stack address: register `reg` (rsp or rbp) plus `delta`, as a signed number (exact: negative
 * for the kernel half). Raises #SS(0) when it is not canonical, as the SDM says for accesses
 * through the stack segment.
 */
export function stackAddress(cpu: Cpu, reg: number, delta: number): number {
  const va = cpu.regNumber(reg) + delta;
  if (!(va >= -USER_END && va < USER_END)) cpu.raise(STACK_FAULT, 0);
  return va;
}

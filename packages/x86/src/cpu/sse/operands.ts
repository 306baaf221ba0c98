// Moving SSE/MMX operands between the CPU (XMM and MMX registers, GPRs, memory) and Lanes.
import { OperandKind } from "../../decoder/decoded-instruction.js";
import { RegClass } from "../../decoder/registers.js";
import type { Cpu } from "../cpu.js";
import { Vector } from "../exit.js";
import type { Instr } from "../instr.js";
import { exactAddress, USER_END } from "../integer/address.js";
import { Lanes } from "./lanes.js";
import { readMmx, writeMmx } from "./mmx-registers.js";

// Imported constants and functions copied into locals: loaders that wrap live bindings in
// getters (tsx) would otherwise call one per use in these hot paths.
const _readMmx = readMmx;
const _writeMmx = writeMmx;
const REGISTER = OperandKind.Register;
const GPR64 = RegClass.Gpr64;
const MMX = RegClass.Mmx;
const XMM = RegClass.Xmm;

let viewOwner: Uint8Array | undefined;
let xmm32 = new Int32Array(0);

/** An Int32Array view of the CPU's XMM file (cached for the last CPU seen). */
export function xmmWords(cpu: Cpu): Int32Array {
  if (cpu.xmm !== viewOwner) {
    viewOwner = cpu.xmm;
    xmm32 = new Int32Array(cpu.xmm.buffer, cpu.xmm.byteOffset, 64);
  }
  return xmm32;
}

let lanesOwner: Uint8Array | undefined;
let xmmViews: Lanes[] = [];

/** Lanes views of the CPU's sixteen XMM registers themselves (cached for the last CPU seen). */
export function xmmRegisters(cpu: Cpu): Lanes[] {
  if (cpu.xmm !== lanesOwner) {
    lanesOwner = cpu.xmm;
    xmmViews = Array.from({ length: 16 }, (_, n) => new Lanes(cpu.xmm.buffer, cpu.xmm.byteOffset + 16 * n));
  }
  return xmmViews;
}

/** True when a register id names an MMX register. */
export function isMmx(id: number): boolean {
  return id >> 5 === MMX;
}

/** Loads a register operand into `into` (XMM: 16 bytes, MMX: 8, GPR: its size); returns the bytes. */
export function loadRegister(cpu: Cpu, id: number, into: Lanes): number {
  const n = id & 31;
  switch (id >> 5) {
    case XMM: {
      const x = xmmWords(cpu);
      const b = 4 * n;
      into.i32[0] = x[b]!;
      into.i32[1] = x[b + 1]!;
      into.i32[2] = x[b + 2]!;
      into.i32[3] = x[b + 3]!;
      return 16;
    }
    case MMX:
      _readMmx(cpu, n, into.i32);
      return 8;
    case GPR64:
      into.i32[0] = cpu.gpr[2 * n]!;
      into.i32[1] = cpu.gpr[2 * n + 1]!;
      return 8;
    default:
      into.i32[0] = cpu.readGpr(id);
      into.i32[1] = 0;
      return 4;
  }
}

/** Stores `from` into an XMM or MMX register (the first 16 or 8 bytes). */
export function storeRegister(cpu: Cpu, id: number, from: Lanes): void {
  const n = id & 31;
  if (id >> 5 === MMX) {
    _writeMmx(cpu, n, from.i32[0]!, from.i32[1]!);
    return;
  }
  const x = xmmWords(cpu);
  const b = 4 * n;
  x[b] = from.i32[0]!;
  x[b + 1] = from.i32[1]!;
  x[b + 2] = from.i32[2]!;
  x[b + 3] = from.i32[3]!;
}

/** Writes a general register destination: 64-bit registers take both halves, others the low. */
export function writeGeneral(cpu: Cpu, id: number, lo: number, hi: number): void {
  if (id >> 5 === GPR64) {
    const n = id & 31;
    cpu.gpr[2 * n] = lo;
    cpu.gpr[2 * n + 1] = hi;
  } else cpu.writeGpr(id, lo);
}

/** The memory operand's address, checked for 16-byte alignment when `aligned` (else #GP(0)). */
export function memoryAddress(cpu: Cpu, i: Instr, aligned: boolean): number {
  let va: number;
  try {
    va = cpu.ea(i);
  } catch (e) {
    // Misalignment (#GP) outranks a non-canonical stack address (#SS), as on the hardware.
    if (aligned && cpu.fault.vector === Vector.SS && (exactAddress(cpu, i) & 15n) !== 0n) cpu.raise(Vector.GP, 0);
    throw e;
  }
  if (!aligned) return va;
  // Above the user half the number is rounded; the low bits come from the exact address then.
  const misaligned = va < USER_END ? va % 16 !== 0 : (exactAddress(cpu, i) & 15n) !== 0n;
  if (misaligned) cpu.raise(Vector.GP, 0);
  return va;
}

/** Loads operand `k` (register or memory of `size` bytes) into `into`. */
export function loadOperand(cpu: Cpu, i: Instr, kind: number, id: number, size: number, into: Lanes, aligned: boolean): void {
  if (kind === REGISTER) {
    loadRegister(cpu, id, into);
    return;
  }
  loadMemory(cpu, memoryAddress(cpu, i, aligned && size === 16), size, into);
}

/**
 * Reads `size` bytes at `va` into `into`. Accesses within one page go through the CPU's
 * 32/64-bit reads (no allocation); a page-crossing one through readBytes.
 */
export function loadMemory(cpu: Cpu, va: number, size: number, into: Lanes): void {
  if (va % 4096 > 4096 - size) {
    cpu.readBytes(va, into.u8, 0, size);
    return;
  }
  const w = into.i32;
  switch (size) {
    case 16:
      w[0] = cpu.read64(va);
      w[1] = cpu.hi;
      w[2] = cpu.read64(va + 8);
      w[3] = cpu.hi;
      return;
    case 8:
      w[0] = cpu.read64(va);
      w[1] = cpu.hi;
      return;
    case 4:
      w[0] = cpu.read32(va);
      return;
    default:
      cpu.readBytes(va, into.u8, 0, size);
  }
}

/** Stores the first `size` bytes of `from` to the memory operand. */
export function storeMemory(cpu: Cpu, i: Instr, from: Lanes, size: number, aligned: boolean): void {
  const va = memoryAddress(cpu, i, aligned && size === 16);
  const w = from.i32;
  // Within one page the first write proves the page writable, so the second cannot fault.
  if (va % 4096 <= 4096 - size && (size === 16 || size === 8)) {
    cpu.write64(va, w[0]!, w[1]!);
    if (size === 16) cpu.write64(va + 8, w[2]!, w[3]!);
    return;
  }
  cpu.writeBytes(va, from.u8, 0, size);
}

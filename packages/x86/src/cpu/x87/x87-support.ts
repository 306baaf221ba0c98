// Shared plumbing of the x87 handlers: the waiting-instruction check, the last-instruction
// pointers, stack operands, and memory operands in every x87 format.
import type { Cpu } from "../cpu.js";
import { Vector } from "../exit.js";
import type { Instr } from "../instr.js";
import { F80, F80_DEFAULT_NAN } from "./f80.js";
import { fromBcd, fromFloat32, fromFloat64, fromInt32, fromInteger } from "./f80-convert.js";
import type { F80Env } from "./f80-env.js";
import { StatusBit, type X87State } from "./x87-state.js";

/**
 * Starts a waiting x87 instruction: a pending unmasked exception (ES) raises #MF here, before
 * the instruction changes anything, as the hardware delivers it at the next waiting instruction.
 */
export function waiting(cpu: Cpu): X87State {
  const x = cpu.x87;
  if (x.status & StatusBit.ES) cpu.raise(Vector.MF);
  x.begin();
  return x;
}

/** Records FIP, FOP and (for memory forms) FDP, as non-control instructions do. */
export function record(x: X87State, i: Instr, dataPointer = -1): void {
  x.lastIp = i.ip;
  x.lastOpcode = ((i.opcode & 7) << 8) | (i.modrm & 0xff);
  if (dataPointer >= 0) x.lastDp = dataPointer;
}

/** True when the instruction's ModRM names a register (mod = 3). */
export function isRegisterForm(i: Instr): boolean {
  return i.modrm >= 0xc0;
}

/** The ST(i) index of a register form (ModRM r/m). */
export function stIndex(i: Instr): number {
  return i.modrm & 7;
}

const scratch = new Uint8Array(10);

/** Memory operand formats of x87 instructions. */
export const MemFormat = {
  F32: 0,
  F64: 1,
  F80: 2,
  I16: 3,
  I32: 4,
  I64: 5,
  Bcd: 6,
} as const;

/**
 * Reads and converts a memory operand (may fault; changes nothing before it). Raises DE and IE
 * in `env`; with `keepSignaling` a float SNaN stays signaling (for arithmetic operands).
 */
export function readOperand(cpu: Cpu, env: F80Env, va: number, format: number, keepSignaling = false): F80 {
  switch (format) {
    case MemFormat.F32:
      return fromFloat32(env, cpu.read32(va), keepSignaling);
    case MemFormat.F64: {
      const lo = cpu.read64(va);
      return fromFloat64(env, lo, cpu.hi, keepSignaling);
    }
    case MemFormat.F80:
      cpu.readBytes(va, scratch, 0, 10);
      return F80.read(scratch, 0);
    case MemFormat.I16:
      return fromInt32((cpu.read16(va) << 16) >> 16);
    case MemFormat.I32:
      return fromInt32(cpu.read32(va));
    case MemFormat.I64: {
      const lo = cpu.read64(va);
      return fromInteger((BigInt(cpu.hi | 0) << 32n) | BigInt(lo >>> 0));
    }
    default:
      cpu.readBytes(va, scratch, 0, 10);
      return fromBcd(scratch, 0);
  }
}

/** Writes a 10-byte extended value (checks the whole range before writing). */
export function writeF80(cpu: Cpu, va: number, v: F80): void {
  v.write(scratch, 0);
  cpu.writeBytes(va, scratch, 0, 10);
}

/** Writes a 64-bit bigint (two's complement) with one checked store. */
export function write64Big(cpu: Cpu, va: number, v: bigint): void {
  const u = BigInt.asUintN(64, v);
  cpu.write64(va, Number(u & 0xffffffffn) | 0, Number(u >> 32n) | 0);
}

/**
 * ST(i) as an operand, or undefined after signalling stack underflow (IE, SF, C1 = 0) when
 * the register is empty: the caller then writes the default NaN as the masked response.
 */
export function operand(x: X87State, i: number): F80 | undefined {
  if (x.isEmpty(i)) {
    x.stackFault(false);
    return undefined;
  }
  return x.st(i);
}

/** The masked response to an invalid operation: the default NaN. */
export const INDEFINITE = F80_DEFAULT_NAN;

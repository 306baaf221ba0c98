// Data movement: mov and its extending forms, lea, xchg, cmovcc, setcc, the sign-extending
// accumulator forms, bswap, movbe and xlat.
import { OperandKind } from "../../decoder/decoded-instruction.js";
import { RegClass } from "../../decoder/registers.js";
import type { Cpu } from "../cpu.js";
import type { Handler, Instr } from "../instr.js";
import { segmentBase } from "./address.js";
import { CONDITION_NAMES } from "./conditions.js";
import { signExtend, truncate } from "./width.js";

/** Selector values a 64-bit Linux process sees in its segment registers. */
const SELECTOR = [0, 0x33, 0x2b, 0, 0, 0];

function mov(cpu: Cpu, i: Instr): void {
  const va = cpu.operandAddress(i);
  const size = i.s0;
  if (i.k1 === OperandKind.Register && i.r1 >> 5 === RegClass.Segment) {
    // mov r/m, Sreg: a register destination takes the zero-extended selector.
    const v = SELECTOR[i.r1 & 31]!;
    if (i.k0 === OperandKind.Register) cpu.put(i.k0, i.r0, size, va, v, 0);
    else cpu.write16(va, v);
    return;
  }
  if (i.k0 === OperandKind.Register && i.r0 >> 5 === RegClass.Segment) {
    // Loading a segment register: only a null selector into ds/es/fs/gs is harmless.
    const v = cpu.value(i, i.k1, i.r1, 2, va);
    if ((v & 0xfffc) !== 0 || (i.r0 & 31) === 1) cpu.raise(13, v & 0xfffc);
    return;
  }
  const lo = cpu.value(i, i.k1, i.r1, size, va);
  cpu.put(i.k0, i.r0, size, va, lo, cpu.hi);
}

function movExtend(signed: boolean): Handler {
  return (cpu, i) => {
    const va = cpu.operandAddress(i);
    const from = i.s1;
    let v = cpu.value(i, i.k1, i.r1, from, va);
    if (signed) v = signExtend(v, from);
    const size = i.s0;
    if (size === 8) cpu.put(i.k0, i.r0, 8, va, v, signed && v < 0 ? -1 : 0);
    else cpu.put(i.k0, i.r0, size, va, truncate(v, size), 0);
  };
}

/** Adds a 64-bit value to the (lo, hi) pair in `acc`, modulo 2^64. */
function add64(acc: Int32Array, lo: number, hi: number): void {
  const sum = (acc[0]! >>> 0) + (lo >>> 0);
  acc[0] = sum | 0;
  acc[1] = (acc[1]! + hi + (sum > 0xffffffff ? 1 : 0)) | 0;
}

const leaSum = new Int32Array(2);

/** lea: the effective address as 64-bit arithmetic (compilers use it as a three-operand add). */
function lea(cpu: Cpu, i: Instr): void {
  const acc = leaSum;
  acc[0] = i.disp | 0;
  acc[1] = i.disp < 0 ? -1 : 0;
  const g = cpu.gpr;
  // rip, or eip with 0x67 (the decoder's register 1 of the rip class): the next instruction.
  if (i.base >> 5 === RegClass.Rip) {
    const hi = Math.floor(i.next / 4294967296);
    add64(acc, i.next - hi * 4294967296, hi);
  } else if (i.base !== 0) {
    const n = 2 * (i.base & 31);
    add64(acc, g[n]!, i.addrSize === 4 ? 0 : g[n + 1]!);
  }
  if (i.index !== 0) {
    const n = 2 * (i.index & 31);
    const shift = 31 - Math.clz32(i.scale);
    const lo = g[n]!;
    const hi = i.addrSize === 4 ? 0 : g[n + 1]!;
    add64(acc, lo << shift, shift === 0 ? hi : (hi << shift) | (lo >>> (32 - shift)));
  }
  const size = i.s0;
  if (size === 8) cpu.put(i.k0, i.r0, 8, 0, acc[0]!, i.addrSize === 4 ? 0 : acc[1]!);
  else cpu.put(i.k0, i.r0, size, 0, truncate(acc[0]!, size), 0);
}

function xchg(cpu: Cpu, i: Instr): void {
  const size = i.s0;
  const va = cpu.operandAddress(i);
  if (i.memory !== 0) cpu.checkWritable(va, size);
  const a = cpu.value(i, i.k0, i.r0, size, va);
  const aHi = cpu.hi;
  const b = cpu.value(i, i.k1, i.r1, size, va);
  const bHi = cpu.hi;
  cpu.put(i.k0, i.r0, size, va, b, bHi);
  cpu.put(i.k1, i.r1, size, va, a, aHi);
}

function cmov(cc: number): Handler {
  return (cpu, i) => {
    const size = i.s0;
    const va = cpu.operandAddress(i);
    // The source is read (and may fault) whether or not the condition holds.
    const v = cpu.value(i, i.k1, i.r1, size, va);
    const hi = cpu.hi;
    if (cpu.condition(cc)) cpu.put(i.k0, i.r0, size, va, v, hi);
    else if (size === 4) cpu.gpr[2 * (i.r0 & 31) + 1] = 0; // a 32-bit cmov always zero-extends
  };
}

function setcc(cc: number): Handler {
  return (cpu, i) => {
    const va = cpu.operandAddress(i);
    cpu.put(i.k0, i.r0, 1, va, cpu.condition(cc) ? 1 : 0, 0);
  };
}

const RAX = 0;
const RDX = 2;

/** cbw, cwde, cdqe: sign-extend the accumulator's lower half into itself. */
function widenAccumulator(cpu: Cpu, i: Instr): void {
  const g = cpu.gpr;
  if (i.opsize === 2) g[RAX] = (g[RAX]! & ~0xffff) | (signExtend(g[RAX]!, 1) & 0xffff);
  else if (i.opsize === 4) {
    g[RAX] = signExtend(g[RAX]!, 2);
    g[RAX + 1] = 0;
  } else g[RAX + 1] = g[RAX]! >> 31;
}

/** cwd, cdq, cqo: sign-extend the accumulator into rdx. */
function extendIntoRdx(cpu: Cpu, i: Instr): void {
  const g = cpu.gpr;
  if (i.opsize === 2) g[2 * RDX] = (g[2 * RDX]! & ~0xffff) | ((g[RAX]! << 16) >> 31 & 0xffff);
  else if (i.opsize === 4) {
    g[2 * RDX] = g[RAX]! >> 31;
    g[2 * RDX + 1] = 0;
  } else {
    const s = g[RAX + 1]! >> 31;
    g[2 * RDX] = s;
    g[2 * RDX + 1] = s;
  }
}

function swap32(v: number): number {
  return ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24);
}

function bswap(cpu: Cpu, i: Instr): void {
  const n = i.r0 & 31;
  const g = cpu.gpr;
  if (i.opsize === 8) {
    const lo = g[2 * n]!;
    g[2 * n] = swap32(g[2 * n + 1]!);
    g[2 * n + 1] = swap32(lo);
  } else if (i.opsize === 4) {
    g[2 * n] = swap32(g[2 * n]!);
    g[2 * n + 1] = 0;
  } else g[2 * n] = g[2 * n]! & ~0xffff; // bswap of a 16-bit register is undefined; hardware gives 0
}

function movbe(cpu: Cpu, i: Instr): void {
  const size = i.s0;
  const va = cpu.operandAddress(i);
  let lo = cpu.value(i, i.k1, i.r1, size, va);
  let hi = cpu.hi;
  if (size === 8) [lo, hi] = [swap32(hi), swap32(lo)];
  else if (size === 4) lo = swap32(lo);
  else lo = ((lo & 0xff) << 8) | ((lo >> 8) & 0xff);
  cpu.put(i.k0, i.r0, size, va, lo, hi);
}

function xlat(cpu: Cpu, i: Instr): void {
  const base = i.addrSize === 4 ? cpu.gpr[6]! >>> 0 : cpu.regNumber(3);
  const v = cpu.read8(base + (cpu.gpr[RAX]! & 0xff) + segmentBase(cpu, i));
  cpu.gpr[RAX] = (cpu.gpr[RAX]! & ~0xff) | v;
}

/** Handlers of the data movement instructions. */
export const MOVE_HANDLERS: Record<string, Handler> = {
  mov,
  movabs: mov,
  movzx: movExtend(false),
  movsx: movExtend(true),
  movsxd: movExtend(true),
  lea,
  xchg,
  cbw: widenAccumulator,
  cwde: widenAccumulator,
  cdqe: widenAccumulator,
  cwd: extendIntoRdx,
  cdq: extendIntoRdx,
  cqo: extendIntoRdx,
  bswap,
  movbe,
  xlat,
};
CONDITION_NAMES.forEach((name, cc) => {
  MOVE_HANDLERS[`cmov${name}`] = cmov(cc);
  MOVE_HANDLERS[`set${name}`] = setcc(cc);
});

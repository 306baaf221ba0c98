// Stack instructions: push, pop, pushf, popf, enter, leave.
import { OperandKind } from "../../decoder/decoded-instruction.js";
import { RegClass } from "../../decoder/registers.js";
import type { Cpu } from "../cpu.js";
import { POPF_USER_MASK } from "../flags.js";
import type { Handler, Instr } from "../instr.js";
import { stackAddress } from "./address.js";

const RSP = 4;

function push(cpu: Cpu, i: Instr): void {
  const size = i.opsize === 2 ? 2 : 8;
  let lo: number;
  let hi = 0;
  if (i.k0 === OperandKind.Register && i.r0 >> 5 === RegClass.Segment) lo = 0; // fs/gs selectors are null
  else {
    const va = cpu.operandAddress(i);
    lo = cpu.value(i, i.k0, i.r0, size, va);
    hi = cpu.hi;
    if (i.k0 === OperandKind.Immediate && size === 8) hi = lo >> 31; // push imm sign-extends
  }
  const rsp = stackAddress(cpu, RSP, -size);
  if (size === 8) cpu.write64(rsp, lo, hi);
  else cpu.write16(rsp, lo);
  cpu.setRegNumber(RSP, rsp);
}

function pop(cpu: Cpu, i: Instr): void {
  const size = i.opsize === 2 ? 2 : 8;
  const rsp = stackAddress(cpu, RSP, 0);
  const lo = size === 8 ? cpu.read64(rsp) : cpu.read16(rsp);
  const hi = cpu.hi;
  if (i.k0 === OperandKind.Register && i.r0 >> 5 === RegClass.Segment) {
    if ((lo & 0xfffc) !== 0) cpu.raise(13, lo & 0xfffc);
    cpu.setRegNumber(RSP, rsp + size);
    return;
  }
  if (i.k0 === OperandKind.Register) {
    cpu.setRegNumber(RSP, rsp + size);
    cpu.put(i.k0, i.r0, size, 0, lo, hi);
    return;
  }
  // pop to memory computes the address with rsp already incremented.
  cpu.setRegNumber(RSP, rsp + size);
  try {
    const va = cpu.operandAddress(i);
    cpu.store(va, size, lo, hi);
  } catch (e) {
    cpu.setRegNumber(RSP, rsp);
    throw e;
  }
}

function pushf(cpu: Cpu, i: Instr): void {
  // RF and VM read as zero.
  const flags = cpu.rflags & 0x3cffd7;
  const rsp = stackAddress(cpu, RSP, i.opsize === 2 ? -2 : -8);
  if (i.opsize === 2) cpu.write16(rsp, flags & 0xffff);
  else cpu.write64(rsp, flags, 0);
  cpu.setRegNumber(RSP, rsp);
}

function popf(cpu: Cpu, i: Instr): void {
  const rsp = stackAddress(cpu, RSP, 0);
  const size = i.opsize === 2 ? 2 : 8;
  const v = size === 2 ? cpu.read16(rsp) : cpu.read64(rsp);
  const mask = size === 2 ? POPF_USER_MASK & 0xffff : POPF_USER_MASK;
  cpu.setFlagBits(v, mask);
  cpu.setRegNumber(RSP, rsp + size);
}

function leave(cpu: Cpu, i: Instr): void {
  const rbp = stackAddress(cpu, 5, 0);
  if (i.opsize === 2) {
    const v = cpu.read16(rbp);
    cpu.setRegNumber(RSP, rbp + 2);
    cpu.gpr[10] = (cpu.gpr[10]! & ~0xffff) | v;
    return;
  }
  const lo = cpu.read64(rbp);
  const hi = cpu.hi;
  cpu.setRegNumber(RSP, rbp + 8);
  cpu.gpr[10] = lo;
  cpu.gpr[11] = hi;
}

function enter(cpu: Cpu, i: Instr): void {
  const frameSize = i.imm & 0xffff;
  const level = i.imm2 & 31;
  const width = i.opsize === 2 ? 2 : 8;
  const rsp = stackAddress(cpu, RSP, 0);
  const frameTop = stackAddress(cpu, RSP, -width);
  // Check the whole region is writable first so a page fault changes nothing.
  const lowest = stackAddress(cpu, RSP, -width * (level + 1) - frameSize);
  cpu.checkWritable(Math.max(lowest, 0), rsp - Math.max(lowest, 0));
  let sp = rsp - width;
  if (width === 8) cpu.write64(sp, cpu.gpr[10]!, cpu.gpr[11]!);
  else cpu.write16(sp, cpu.gpr[10]! & 0xffff);
  // The frame pointers copied from the old frame are read through rbp, a stack access too. The
  // host checks it only after storing rbp: a #SS here leaves that store in memory (registers
  // stay as before).
  const rbp = level > 1 ? stackAddress(cpu, 5, 0) : 0;
  if (level > 1) stackAddress(cpu, 5, -(level - 1) * width);
  for (let k = 1; k < level; k++) {
    sp -= width;
    const from = rbp - k * width;
    if (width === 8) cpu.write64(sp, cpu.read64(from), cpu.hi);
    else cpu.write16(sp, cpu.read16(from));
  }
  if (level > 0) {
    sp -= width;
    if (width === 8) {
      const hi = Math.floor(frameTop / 4294967296);
      cpu.write64(sp, frameTop - hi * 4294967296, hi);
    } else cpu.write16(sp, frameTop & 0xffff);
  }
  if (width === 8) cpu.setRegNumber(5, frameTop);
  else cpu.gpr[10] = (cpu.gpr[10]! & ~0xffff) | (frameTop & 0xffff);
  cpu.setRegNumber(RSP, sp - frameSize);
}

/** Handlers of the stack instructions. */
export const STACK_HANDLERS: Record<string, Handler> = {
  push,
  pop,
  pushf,
  pushfw: pushf,
  popf,
  popfw: popf,
  leave,
  enter,
};

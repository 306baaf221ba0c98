// Control transfer: jmp, jcc, call, ret, loop and jrcxz. Each updates rip last, so a fault
// (a stack push or an indirect target read) leaves the state as before the instruction.
import { OperandKind } from "../../decoder/decoded-instruction.js";
import type { Cpu } from "../cpu.js";
import type { Handler, Instr } from "../instr.js";
import { stackAddress } from "./address.js";
import { CONDITION_NAMES } from "./conditions.js";

const TWO32 = 4294967296;
const RSP = 4;
const RCX = 1;

/** The target of a near branch: relative, register or memory. */
function target(cpu: Cpu, i: Instr): number {
  if (i.k0 === OperandKind.BranchTarget) return i.target;
  const va = cpu.operandAddress(i);
  const lo = cpu.value(i, i.k0, i.r0, 8, va);
  return cpu.hi * TWO32 + (lo >>> 0);
}

function jmp(cpu: Cpu, i: Instr): void {
  cpu.rip = target(cpu, i);
}

function jcc(cc: number): Handler {
  return (cpu, i) => {
    if (cpu.condition(cc)) cpu.rip = i.target;
  };
}

function call(cpu: Cpu, i: Instr): void {
  const to = target(cpu, i);
  const rsp = stackAddress(cpu, RSP, -8);
  const hi = Math.floor(i.next / TWO32);
  cpu.write64(rsp, i.next - hi * TWO32, hi);
  cpu.setRegNumber(RSP, rsp);
  cpu.rip = to;
}

function ret(cpu: Cpu, i: Instr): void {
  const rsp = stackAddress(cpu, RSP, 0);
  const lo = cpu.read64(rsp);
  const to = cpu.hi * TWO32 + (lo >>> 0);
  cpu.setRegNumber(RSP, rsp + 8 + (i.k0 === OperandKind.Immediate ? i.imm & 0xffff : 0));
  cpu.rip = to < 0 ? to + 18446744073709551616 : to;
}

/** Decrements rcx (or ecx with 0x67) and returns whether it is now non-zero. */
function decrementCounter(cpu: Cpu, i: Instr): boolean {
  const g = cpu.gpr;
  if (i.addrSize === 4) {
    g[2 * RCX] = (g[2 * RCX]! - 1) | 0;
    g[2 * RCX + 1] = 0;
    return g[2 * RCX] !== 0;
  }
  const lo = g[2 * RCX]!;
  g[2 * RCX] = (lo - 1) | 0;
  if (lo === 0) g[2 * RCX + 1] = (g[2 * RCX + 1]! - 1) | 0;
  return (g[2 * RCX]! | g[2 * RCX + 1]!) !== 0;
}

function loop(cpu: Cpu, i: Instr): void {
  if (decrementCounter(cpu, i)) cpu.rip = i.target;
}

function loope(cpu: Cpu, i: Instr): void {
  if (decrementCounter(cpu, i) && cpu.zf) cpu.rip = i.target;
}

function loopne(cpu: Cpu, i: Instr): void {
  if (decrementCounter(cpu, i) && !cpu.zf) cpu.rip = i.target;
}

function jrcxz(cpu: Cpu, i: Instr): void {
  const g = cpu.gpr;
  const zero = i.addrSize === 4 ? g[2 * RCX] === 0 : (g[2 * RCX]! | g[2 * RCX + 1]!) === 0;
  if (zero) cpu.rip = i.target;
}

/** Handlers of the control-transfer instructions. */
export const BRANCH_HANDLERS: Record<string, Handler> = {
  jmp,
  call,
  ret,
  loop,
  loope,
  loopne,
  jrcxz,
  jecxz: jrcxz,
};
CONDITION_NAMES.forEach((name, cc) => (BRANCH_HANDLERS[`j${name}`] = jcc(cc)));

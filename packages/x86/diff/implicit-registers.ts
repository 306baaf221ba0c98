// General registers an instruction uses without naming them as operands. The generator treats
// them as written (their value unknown afterwards) and pins the ones that form addresses.
import { R } from "./initial-state.js";

const bits = (...regs: number[]): number => regs.reduce((m, r) => m | (1 << r), 0);
const { rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi } = R;

/** Registers used implicitly, as a bit mask by register number, by mnemonic. */
export const IMPLICIT_REGISTERS: Record<string, number> = {
  mul: bits(rax, rdx),
  div: bits(rax, rdx),
  idiv: bits(rax, rdx),
  cbw: bits(rax), cwde: bits(rax), cdqe: bits(rax),
  cwd: bits(rax, rdx), cdq: bits(rax, rdx), cqo: bits(rax, rdx),
  lahf: bits(rax), sahf: bits(rax),
  xlat: bits(rax, rbx),
  movs: bits(rsi, rdi, rcx), cmps: bits(rsi, rdi, rcx),
  stos: bits(rax, rdi, rcx), scas: bits(rax, rdi, rcx),
  lods: bits(rax, rsi, rcx),
  cmpxchg: bits(rax),
  cmpxchg8b: bits(rax, rdx, rcx, rbx), cmpxchg16b: bits(rax, rdx, rcx, rbx),
  loop: bits(rcx), loope: bits(rcx), loopne: bits(rcx), jrcxz: bits(rcx),
  push: bits(rsp), pop: bits(rsp), pushf: bits(rsp), popf: bits(rsp), pushfw: bits(rsp), popfw: bits(rsp),
  call: bits(rsp), ret: bits(rsp),
  enter: bits(rsp, rbp), leave: bits(rsp, rbp),
  mulx: bits(rdx),
  maskmovdqu: bits(rdi),
  pcmpestri: bits(rax, rdx, rcx), pcmpestrm: bits(rax, rdx), pcmpistri: bits(rcx),
};

/** Implicit registers of an instruction; the one-operand IMUL uses rax:rdx, the others do not. */
export function implicitRegisters(mnemonic: string, operandCount: number): number {
  if (mnemonic === "imul") return operandCount === 1 ? bits(rax, rdx) : 0;
  return IMPLICIT_REGISTERS[mnemonic] ?? 0;
}

/** Mnemonics whose first operand is only read. */
export const FIRST_OPERAND_READ_ONLY = new Set([
  "cmp", "test", "bt", "push", "jmp", "call", "nop", "prefetch", "prefetchw", "prefetchnta", "prefetcht0",
  "prefetcht1", "prefetcht2", "clflush", "clflushopt", "ptest", "comiss", "comisd", "ucomiss", "ucomisd",
  "pcmpestri", "pcmpestrm", "pcmpistri", "pcmpistrm", "ud0", "ud1",
]);

/** Mnemonics that write their second operand too. */
export const SECOND_OPERAND_WRITTEN = new Set(["xchg", "xadd", "mulx"]);

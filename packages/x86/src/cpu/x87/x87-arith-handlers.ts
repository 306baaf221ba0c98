// The x87 arithmetic and comparison instructions in all their forms: memory (float32, float64,
// int16, int32), ST(0) op ST(i), ST(i) op ST(0), the popping forms, and the reversed ones.
import type { Cpu } from "../cpu.js";
import { Flag } from "../flags.js";
import type { Handler, Instr } from "../instr.js";
import { F80_ZERO, F80Kind, kindOf, type F80 } from "./f80.js";
import { F80Env, FpException } from "./f80-env.js";
import { add, div, mul, sub } from "./f80-arith.js";
import { compare, Relation, RELATION_CC } from "./f80-compare.js";
import { INDEFINITE, isRegisterForm, MemFormat, operand, readOperand, record, stIndex, waiting } from "./x87-support.js";
import { CC_MASK, type X87State } from "./x87-state.js";

/** The memory format of an arithmetic/compare opcode: D8 float32, DC float64, DA int32, DE int16. */
function memFormat(opcode: number): number {
  return opcode === 0xd8 ? MemFormat.F32 : opcode === 0xdc ? MemFormat.F64 : opcode === 0xda ? MemFormat.I32 : MemFormat.I16;
}

/** Where a memory operand's conversion reports DE, until the operation decides on it. */
const memoryEnv = new F80Env();

/** Reads a memory operand of an arithmetic or compare form (flags held in {@link memoryEnv}). */
function readMemory(cpu: Cpu, va: number, i: Instr): F80 {
  memoryEnv.flags = 0;
  return readOperand(cpu, memoryEnv, va, memFormat(i.opcode), true);
}

/**
 * Reports a denormal memory operand (DE) after the operation, as the host does: not on stack
 * underflow, and only when the operation itself looked at the value (not beside a NaN or
 * unsupported ST(0), nor when it ended invalid or dividing by zero). A signaling NaN operand
 * is left signaling by the read, so the operation's own NaN rules report it.
 */
function reportMemoryFlags(x: X87State, st0: F80 | undefined): void {
  const flags = memoryEnv.flags;
  if (!st0 || flags === 0) return;
  const env = x.env;
  const k = kindOf(st0);
  const looked = k !== F80Kind.QNaN && k !== F80Kind.SNaN && k !== F80Kind.Unsupported;
  if (looked && (env.flags & (FpException.Invalid | FpException.ZeroDivide)) === 0) env.flags |= flags & FpException.Denormal;
}

/** ModRM.reg of the arithmetic group: 0 add, 1 mul, 4 sub, 5 subr, 6 div, 7 divr (x is the destination). */
function compute(x: X87State, op: number, a: F80, b: F80): F80 {
  const env = x.env;
  switch (op) {
    case 0:
      return add(env, a, b);
    case 1:
      return mul(env, a, b);
    case 4:
      return sub(env, a, b);
    case 5:
      return sub(env, b, a);
    case 6:
      return div(env, a, b);
    default:
      return div(env, b, a);
  }
}

/** FADD/FMUL/FSUB/FSUBR/FDIV/FDIVR, their P forms and FIADD…FIDIVR. */
function arithmetic(cpu: Cpu, i: Instr): void {
  const x = waiting(cpu);
  const op = (i.modrm >> 3) & 7;
  if (isRegisterForm(i)) {
    record(x, i);
    const k = stIndex(i);
    const st0 = operand(x, 0);
    const sti = operand(x, k);
    if (i.opcode === 0xd8) {
      x.setSt(0, st0 && sti ? compute(x, op, st0, sti) : INDEFINITE);
    } else {
      // DC/DE: ST(i) is the destination and the encodings of sub/subr and div/divr swap.
      x.setSt(k, st0 && sti ? compute(x, op >= 4 ? op ^ 1 : op, sti, st0) : INDEFINITE);
    }
    if (i.opcode === 0xde) x.pop();
    x.commit();
    return;
  }
  const va = cpu.ea(i);
  const m = readMemory(cpu, va, i);
  record(x, i, va);
  const st0 = operand(x, 0);
  x.setSt(0, st0 ? compute(x, op, st0, m) : INDEFINITE);
  reportMemoryFlags(x, st0);
  x.commit();
}

/** Sets C3 C2 C0 from a relation and clears C1. */
function setCompareCc(x: X87State, relation: number): void {
  x.commit();
  x.status = (x.status & ~CC_MASK) | RELATION_CC[relation]!;
}

/** FCOM, FCOMP, FCOMPP, FUCOM(P)(P), FICOM(P) and FTST: compare ST(0) with the operand into C3 C2 C0. */
function comparison(ordered: boolean, pops: number): Handler {
  return (cpu, i) => {
    const x = waiting(cpu);
    let other: F80 | undefined;
    let st0: F80 | undefined;
    if (i.opcode === 0xd9) {
      record(x, i); // FTST: against +0.0
      other = F80_ZERO;
      st0 = operand(x, 0);
    } else if (isRegisterForm(i)) {
      record(x, i);
      other = operand(x, stIndex(i));
      st0 = operand(x, 0);
    } else {
      const va = cpu.ea(i);
      other = readMemory(cpu, va, i);
      record(x, i, va);
      st0 = operand(x, 0);
    }
    const relation = st0 && other ? compare(x.env, st0, other, ordered) : Relation.Unordered;
    if (!isRegisterForm(i) && i.opcode !== 0xd9) reportMemoryFlags(x, st0);
    for (let n = 0; n < pops; n++) x.pop();
    setCompareCc(x, relation);
  };
}

const COMPARE_FLAGS = [0, Flag.CF, Flag.ZF, Flag.ZF | Flag.PF | Flag.CF] as const;
const FLAG_MASK = Flag.ZF | Flag.PF | Flag.CF | Flag.OF | Flag.SF | Flag.AF;

/** FCOMI/FCOMIP/FUCOMI/FUCOMIP: compares ST(0) with ST(i) into ZF PF CF (OF SF AF cleared). */
function compareToFlags(ordered: boolean, pop: boolean): Handler {
  return (cpu, i) => {
    const x = waiting(cpu);
    record(x, i);
    const st0 = operand(x, 0);
    const sti = operand(x, stIndex(i));
    const relation = st0 && sti ? compare(x.env, st0, sti, ordered) : Relation.Unordered;
    if (pop) x.pop();
    x.commit(true); // C1 only reports a stack fault here (the host keeps it otherwise)
    cpu.setFlagBits(COMPARE_FLAGS[relation]!, FLAG_MASK);
  };
}

/** Arithmetic and comparison handlers by mnemonic. */
export const X87_ARITH_HANDLERS: Record<string, Handler> = {
  fadd: arithmetic,
  fmul: arithmetic,
  fsub: arithmetic,
  fsubr: arithmetic,
  fdiv: arithmetic,
  fdivr: arithmetic,
  faddp: arithmetic,
  fmulp: arithmetic,
  fsubp: arithmetic,
  fsubrp: arithmetic,
  fdivp: arithmetic,
  fdivrp: arithmetic,
  fiadd: arithmetic,
  fimul: arithmetic,
  fisub: arithmetic,
  fisubr: arithmetic,
  fidiv: arithmetic,
  fidivr: arithmetic,
  fcom: comparison(true, 0),
  fcom2: comparison(true, 0),
  fcomp: comparison(true, 1),
  fcomp3: comparison(true, 1),
  fcomp5: comparison(true, 1),
  fcompp: comparison(true, 2),
  ficom: comparison(true, 0),
  ficomp: comparison(true, 1),
  fucom: comparison(false, 0),
  fucomp: comparison(false, 1),
  fucompp: comparison(false, 2),
  ftst: comparison(true, 0),
  fcomi: compareToFlags(true, false),
  fcomip: compareToFlags(true, true),
  fucomi: compareToFlags(false, false),
  fucomip: compareToFlags(false, true),
};

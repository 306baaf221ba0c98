// Two-operand arithmetic and logic (add, or, adc, sbb, and, sub, xor, cmp, test), inc, dec,
// neg and not, over register, memory and immediate operands of every size.
import type { Cpu } from "../cpu.js";
import { Flag, FlagOp } from "../flags.js";
import type { Handler, Instr } from "../instr.js";
import { signBit, truncate } from "./width.js";

const enum Op {
  Add,
  Or,
  Adc,
  Sbb,
  And,
  Sub,
  Xor,
  Cmp,
  Test,
}

function binary(op: Op): Handler {
  const writes = op !== Op.Cmp && op !== Op.Test;
  return (cpu: Cpu, i: Instr): void => {
    const size = i.s0;
    const va = cpu.operandAddress(i);
    if (writes && i.memory !== 0 && i.k0 !== 1) cpu.checkWritable(va, size);
    const a = cpu.value(i, i.k0, i.r0, size, va);
    const aHi = cpu.hi;
    const b = cpu.value(i, i.k1, i.r1, size, va);
    const bHi = cpu.hi;
    if (size === 8) {
      binary64(cpu, i, op, va, a, aHi, b, bHi);
      return;
    }
    let r: number;
    switch (op) {
      case Op.Add:
      case Op.Adc: {
        const carry = op === Op.Adc && cpu.cf ? 1 : 0;
        r = truncate(a + b + carry, size);
        cpu.setAdd(size, a, b, r, carry);
        break;
      }
      case Op.Sub:
      case Op.Sbb:
      case Op.Cmp: {
        const borrow = op === Op.Sbb && cpu.cf ? 1 : 0;
        r = truncate(a - b - borrow, size);
        cpu.setSub(size, a, b, r, borrow);
        break;
      }
      case Op.Or:
        r = a | b;
        cpu.setResult(size, r, 0, 0);
        break;
      case Op.Xor:
        r = a ^ b;
        cpu.setResult(size, r, 0, 0);
        break;
      default:
        r = a & b;
        cpu.setResult(size, r, 0, 0);
    }
    if (writes) cpu.put(i.k0, i.r0, size, va, r, 0);
  };
}

function binary64(cpu: Cpu, i: Instr, op: Op, va: number, a: number, aHi: number, b: number, bHi: number): void {
  let lo: number;
  let hi: number;
  switch (op) {
    case Op.Add:
    case Op.Adc: {
      const carry = op === Op.Adc && cpu.cf ? 1 : 0;
      const sum = (a >>> 0) + (b >>> 0) + carry;
      lo = sum | 0;
      hi = (aHi + bHi + (sum > 0xffffffff ? 1 : 0)) | 0;
      cpu.set64(carry ? FlagOp.Adc : FlagOp.Add, a, aHi, b, bHi, lo, hi, carry);
      break;
    }
    case Op.Sub:
    case Op.Sbb:
    case Op.Cmp: {
      const borrow = op === Op.Sbb && cpu.cf ? 1 : 0;
      const diff = (a >>> 0) - (b >>> 0) - borrow;
      lo = diff | 0;
      hi = (aHi - bHi - (diff < 0 ? 1 : 0)) | 0;
      cpu.set64(borrow ? FlagOp.Sbb : FlagOp.Sub, a, aHi, b, bHi, lo, hi, borrow);
      break;
    }
    case Op.Or:
      lo = a | b;
      hi = aHi | bHi;
      cpu.setResult(8, lo, hi, 0);
      break;
    case Op.Xor:
      lo = a ^ b;
      hi = aHi ^ bHi;
      cpu.setResult(8, lo, hi, 0);
      break;
    default:
      lo = a & b;
      hi = aHi & bHi;
      cpu.setResult(8, lo, hi, 0);
  }
  if (op !== Op.Cmp && op !== Op.Test) cpu.put(i.k0, i.r0, 8, va, lo, hi);
}

/** inc and dec keep CF. */
function step(delta: 1 | -1): Handler {
  return (cpu: Cpu, i: Instr): void => {
    const size = i.s0;
    const va = cpu.operandAddress(i);
    if (i.memory !== 0) cpu.checkWritable(va, size);
    const a = cpu.value(i, i.k0, i.r0, size, va);
    const aHi = cpu.hi;
    const carry = cpu.cf ? Flag.CF : 0;
    let lo: number;
    let hi = 0;
    let overflow: boolean;
    if (size === 8) {
      lo = (a + delta) | 0;
      hi = delta === 1 ? (lo === 0 ? aHi + 1 : aHi) | 0 : (a === 0 ? aHi - 1 : aHi) | 0;
      overflow = delta === 1 ? hi === (0x80000000 | 0) && lo === 0 : aHi === (0x80000000 | 0) && a === 0;
    } else {
      lo = truncate(a + delta, size);
      overflow = delta === 1 ? lo === truncate(signBit(size), size) : a === truncate(signBit(size), size);
    }
    const adjust = delta === 1 ? (lo & 0xf) === 0 : (lo & 0xf) === 0xf;
    cpu.setResult(size, lo, hi, carry | (overflow ? Flag.OF : 0) | (adjust ? Flag.AF : 0));
    cpu.put(i.k0, i.r0, size, va, lo, hi);
  };
}

function neg(cpu: Cpu, i: Instr): void {
  const size = i.s0;
  const va = cpu.operandAddress(i);
  if (i.memory !== 0) cpu.checkWritable(va, size);
  const a = cpu.value(i, i.k0, i.r0, size, va);
  const aHi = cpu.hi;
  if (size === 8) {
    const lo = -a | 0;
    const hi = (~aHi + (a === 0 ? 1 : 0)) | 0;
    cpu.set64(FlagOp.Sub, 0, 0, a, aHi, lo, hi, 0);
    cpu.put(i.k0, i.r0, 8, va, lo, hi);
    return;
  }
  const r = truncate(-a, size);
  cpu.setSub(size, 0, a, r, 0);
  cpu.put(i.k0, i.r0, size, va, r, 0);
}

function not(cpu: Cpu, i: Instr): void {
  const size = i.s0;
  const va = cpu.operandAddress(i);
  if (i.memory !== 0) cpu.checkWritable(va, size);
  const a = cpu.value(i, i.k0, i.r0, size, va);
  cpu.put(i.k0, i.r0, size, va, truncate(~a, size === 8 ? 4 : size), ~cpu.hi);
}

/** Handlers of the integer arithmetic and logic instructions. */
export const ALU_HANDLERS: Record<string, Handler> = {
  add: binary(Op.Add),
  or: binary(Op.Or),
  adc: binary(Op.Adc),
  sbb: binary(Op.Sbb),
  and: binary(Op.And),
  sub: binary(Op.Sub),
  xor: binary(Op.Xor),
  cmp: binary(Op.Cmp),
  test: binary(Op.Test),
  inc: step(1),
  dec: step(-1),
  neg,
  not,
};

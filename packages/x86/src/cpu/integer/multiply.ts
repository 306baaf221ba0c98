// Multiplication and division: mul, imul (one, two and three operands), div, idiv, and BMI2 mulx.
import { OperandKind } from "../../decoder/decoded-instruction.js";
import type { Cpu } from "../cpu.js";
import { Flag } from "../flags.js";
import type { Handler, Instr } from "../instr.js";
import { Vector } from "../exit.js";
import { halves, signExtend, toBig, toBigUnsigned, truncate } from "./width.js";

const RAX = 0;
const RDX = 2;

/** The high 32 bits of the unsigned product of two uint32 (as int32), from 16-bit pieces. */
export function mulHigh32(a: number, b: number): number {
  const al = a & 0xffff;
  const ah = a >>> 16;
  const bl = b & 0xffff;
  const bh = b >>> 16;
  const lh = al * bh;
  const hl = ah * bl;
  const mid = ((al * bl) >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  return (ah * bh + (lh >>> 16) + (hl >>> 16) + (mid >>> 16)) | 0;
}

const product = new Int32Array(4);

/**
 * The 128-bit product of two 64-bit values into `product` (four int32 words, low first); signed
 * operands give the signed product (the high half corrected for the operands' signs).
 */
function multiply64(aLo: number, aHi: number, bLo: number, bHi: number, signed: boolean): void {
  const lo0 = Math.imul(aLo, bLo);
  const hi0 = mulHigh32(aLo, bLo);
  const lo1 = Math.imul(aLo, bHi);
  const hi1 = mulHigh32(aLo, bHi);
  const lo2 = Math.imul(aHi, bLo);
  const hi2 = mulHigh32(aHi, bLo);
  const lo3 = Math.imul(aHi, bHi);
  const hi3 = mulHigh32(aHi, bHi);
  const s1 = (hi0 >>> 0) + (lo1 >>> 0) + (lo2 >>> 0);
  const c1 = Math.floor(s1 / 4294967296);
  const s2 = (hi1 >>> 0) + (hi2 >>> 0) + (lo3 >>> 0) + c1;
  const c2 = Math.floor(s2 / 4294967296);
  let w2 = s2 - c2 * 4294967296;
  let w3 = (hi3 + c2) >>> 0;
  if (signed) {
    // Two's complement: subtract b from the high half when a < 0, and a when b < 0.
    if (aHi < 0) {
      const d = w2 - (bLo >>> 0);
      w3 = (w3 - (bHi >>> 0) - (d < 0 ? 1 : 0)) >>> 0;
      w2 = d < 0 ? d + 4294967296 : d;
    }
    if (bHi < 0) {
      const d = w2 - (aLo >>> 0);
      w3 = (w3 - (aHi >>> 0) - (d < 0 ? 1 : 0)) >>> 0;
      w2 = d < 0 ? d + 4294967296 : d;
    }
  }
  product[0] = lo0;
  product[1] = s1 - c1 * 4294967296;
  product[2] = w2;
  product[3] = w3;
}

/** Whether the signed 64-bit product of two 64-bit values (int32 halves) overflows 64 bits. */
export function imul64Overflows(aLo: number, aHi: number, bLo: number, bHi: number): boolean {
  multiply64(aLo, aHi, bLo, bHi, true);
  const sign = product[1]! >> 31;
  return product[2] !== sign || product[3] !== sign;
}

/** Sets CF and OF together (the other status flags are undefined after a multiply). */
function setMultiplyFlags(cpu: Cpu, overflow: boolean, lo: number, size: number): void {
  cpu.setResult(size, lo, 0, overflow ? Flag.CF | Flag.OF : 0);
}

/** Reads the accumulator of `size` bytes. */
function accumulator(cpu: Cpu, size: number): number {
  const v = cpu.gpr[RAX]!;
  return size === 4 ? v : size === 2 ? v & 0xffff : v & 0xff;
}

/** Writes a size ≤ 4 value to rax (al/ax keep the upper bits; eax zero-extends). */
function writeSized(cpu: Cpu, reg: number, size: number, v: number): void {
  const g = cpu.gpr;
  if (size === 4) {
    g[2 * reg] = v;
    g[2 * reg + 1] = 0;
  } else if (size === 2) g[2 * reg] = (g[2 * reg]! & ~0xffff) | (v & 0xffff);
  else g[2 * reg] = (g[2 * reg]! & ~0xff) | (v & 0xff);
}

function widening(signed: boolean): Handler {
  return (cpu, i) => {
    const size = i.s0;
    const va = cpu.operandAddress(i);
    const b = cpu.value(i, i.k0, i.r0, size, va);
    const bHi = cpu.hi;
    const g = cpu.gpr;
    if (size === 8) {
      multiply64(g[RAX]!, g[RAX + 1]!, b, bHi, signed);
      const lo = product[0]!;
      const loHi = product[1]!;
      const hi = product[2]!;
      const hiHi = product[3]!;
      g[RAX] = lo;
      g[RAX + 1] = loHi;
      g[2 * RDX] = hi;
      g[2 * RDX + 1] = hiHi;
      const overflow = signed ? hi !== loHi >> 31 || hiHi !== loHi >> 31 : (hi | hiHi) !== 0;
      cpu.setResult(8, lo, loHi, overflow ? Flag.CF | Flag.OF : 0);
      return;
    }
    const a = accumulator(cpu, size);
    if (size === 4) {
      const lo = Math.imul(a, b);
      let hi = mulHigh32(a, b);
      if (signed) hi = (hi - (a < 0 ? b : 0) - (b < 0 ? a : 0)) | 0;
      writeSized(cpu, RAX, 4, lo);
      writeSized(cpu, RDX, 4, hi);
      setMultiplyFlags(cpu, signed ? hi !== lo >> 31 : hi !== 0, lo, 4);
      return;
    }
    const p = signed ? signExtend(a, size) * signExtend(b, size) : a * b;
    if (size === 1) {
      writeSized(cpu, RAX, 2, p);
      setMultiplyFlags(cpu, signed ? signExtend(p, 1) !== p : p > 0xff, p & 0xff, 1);
    } else {
      writeSized(cpu, RAX, 2, p);
      writeSized(cpu, RDX, 2, p >> 16);
      setMultiplyFlags(cpu, signed ? signExtend(p, 2) !== p : p > 0xffff, p & 0xffff, 2);
    }
  };
}

const oneOperandImul = widening(true);

/** imul with two or three operands: truncated signed product. */
function imul(cpu: Cpu, i: Instr): void {
  if (i.operandCount === 1) {
    oneOperandImul(cpu, i);
    return;
  }
  const size = i.s0;
  const va = cpu.operandAddress(i);
  const three = i.operandCount === 3;
  const a = cpu.value(i, three ? i.k1 : i.k0, three ? i.r1 : i.r0, size, va);
  const aHi = cpu.hi;
  const b = three ? cpu.value(i, i.k2, i.r2, size, va) : cpu.value(i, i.k1, i.r1, size, va);
  const bHi = cpu.hi;
  if (size === 8) {
    multiply64(a, aHi, b, bHi, true);
    const lo = product[0]!;
    const hi = product[1]!;
    const top = product[2]!;
    const topHi = product[3]!;
    cpu.put(OperandKind.Register, i.r0, 8, 0, lo, hi);
    cpu.setResult(8, lo, hi, top !== hi >> 31 || topHi !== hi >> 31 ? Flag.CF | Flag.OF : 0);
    return;
  }
  let lo: number;
  let overflow: boolean;
  if (size === 4) {
    lo = Math.imul(a, b);
    const hi = (mulHigh32(a, b) - (a < 0 ? b : 0) - (b < 0 ? a : 0)) | 0;
    overflow = hi !== lo >> 31;
  } else {
    const p = signExtend(a, 2) * signExtend(b, 2);
    lo = truncate(p, 2);
    overflow = signExtend(lo, 2) !== p;
  }
  cpu.put(OperandKind.Register, i.r0, size, 0, lo, 0);
  cpu.setResult(size, lo, 0, overflow ? Flag.CF | Flag.OF : 0);
}

const LIMIT = 2 ** 52;

/** A register pair or value as a number when its magnitude is below 2^52, else undefined. */
function small(lo: number, hi: number, signed: boolean): number | undefined {
  const v = signed ? hi * 4294967296 + (lo >>> 0) : (hi >>> 0) * 4294967296 + (lo >>> 0);
  return v > -LIMIT && v < LIMIT ? v : undefined;
}

function divide(signed: boolean): Handler {
  return (cpu, i) => {
    const size = i.s0;
    const va = cpu.operandAddress(i);
    const d = cpu.value(i, i.k0, i.r0, size, va);
    const dHi = cpu.hi;
    const g = cpu.gpr;
    const bits = size * 8;
    // Dividend and divisor as numbers when both are small enough for exact double arithmetic.
    let dividend: number | undefined;
    let divisor: number | undefined;
    if (size === 8) {
      // rdx:rax is a 64-bit value only when rdx is all sign (signed) or zero (unsigned) bits.
      const top = signed ? g[RAX + 1]! >> 31 : 0;
      dividend = g[2 * RDX] === top && g[2 * RDX + 1] === top ? small(g[RAX]!, g[RAX + 1]!, signed) : undefined;
      divisor = small(d, dHi, signed);
    } else if (size === 4) {
      dividend = small(g[RAX]!, g[2 * RDX]!, signed);
      divisor = signed ? d : d >>> 0;
    } else if (size === 2) {
      const v = ((g[2 * RDX]! & 0xffff) << 16) | (g[RAX]! & 0xffff);
      dividend = signed ? v : v >>> 0;
      divisor = signed ? signExtend(d, 2) : d;
    } else {
      dividend = signed ? signExtend(g[RAX]!, 2) : g[RAX]! & 0xffff;
      divisor = signed ? signExtend(d, 1) : d;
    }
    if (divisor === 0 || (dHi === 0 && d === 0 && size === 8)) cpu.raise(Vector.DE);
    let q: number;
    let r: number;
    if (dividend !== undefined && divisor !== undefined) {
      q = Math.trunc(dividend / divisor);
      r = dividend - q * divisor;
      // Correct the rounding of the floating-point quotient.
      if (r !== 0 && (r < 0) !== (dividend < 0)) {
        q -= Math.sign(dividend) * Math.sign(divisor);
        r = dividend - q * divisor;
      } else if (Math.abs(r) >= Math.abs(divisor)) {
        q += Math.sign(dividend) * Math.sign(divisor);
        r = dividend - q * divisor;
      }
      const max = 2 ** (signed ? bits - 1 : bits);
      if (signed ? q >= max || q < -max : q >= max) cpu.raise(Vector.DE);
    } else {
      const wide = divideBig(cpu, size, signed, d, dHi);
      writeQuotient(cpu, size, wide[0], wide[1], wide[2], wide[3]);
      return;
    }
    const qHi = Math.floor(q / 4294967296);
    const rHi = Math.floor(r / 4294967296);
    writeQuotient(cpu, size, (q - qHi * 4294967296) | 0, qHi | 0, (r - rHi * 4294967296) | 0, rHi | 0);
  };
}

/** The exact division with bigints: [quotient low, high, remainder low, high]; raises #DE. */
function divideBig(cpu: Cpu, size: number, signed: boolean, d: number, dHi: number): [number, number, number, number] {
  const g = cpu.gpr;
  const bits = BigInt(size * 8);
  let divisor = toBigUnsigned(d, dHi, size);
  let dividend: bigint;
  if (size === 8) dividend = (toBig(g[2 * RDX]!, g[2 * RDX + 1]!) << 64n) | toBig(g[RAX]!, g[RAX + 1]!);
  else dividend = (BigInt(g[2 * RDX]! >>> 0) << 32n) | BigInt(g[RAX]! >>> 0);
  if (signed) {
    dividend = BigInt.asIntN(Number(bits) * 2, dividend);
    divisor = BigInt.asIntN(Number(bits), divisor);
  }
  if (divisor === 0n) cpu.raise(Vector.DE);
  const q = dividend / divisor; // truncates toward zero, as idiv does
  const r = dividend % divisor;
  const fits = signed ? BigInt.asIntN(Number(bits), q) === q : q >> bits === 0n;
  if (!fits) cpu.raise(Vector.DE);
  const [qLo, qHi] = halves(q);
  const [rLo, rHi] = halves(r);
  return [qLo, qHi, rLo, rHi];
}

function writeQuotient(cpu: Cpu, size: number, qLo: number, qHi: number, rLo: number, rHi: number): void {
  const g = cpu.gpr;
  if (size === 8) {
    g[RAX] = qLo;
    g[RAX + 1] = qHi;
    g[2 * RDX] = rLo;
    g[2 * RDX + 1] = rHi;
  } else if (size === 1) {
    g[RAX] = (g[RAX]! & ~0xffff) | (qLo & 0xff) | ((rLo & 0xff) << 8);
  } else {
    writeSized(cpu, RAX, size, qLo);
    writeSized(cpu, RDX, size, rLo);
  }
}

/** mulx: unsigned rdx × source into two destinations, flags untouched. */
function mulx(cpu: Cpu, i: Instr): void {
  const size = i.s0;
  const va = cpu.operandAddress(i);
  const b = toBigUnsigned(cpu.value(i, i.k2, i.r2, size, va), cpu.hi, size);
  const a = toBigUnsigned(cpu.gpr[2 * RDX]!, cpu.gpr[2 * RDX + 1]!, size);
  const p = a * b;
  const bits = BigInt(size * 8);
  const [lo, loHi] = halves(p & ((1n << bits) - 1n));
  const [hi, hiHi] = halves(p >> bits);
  // The low half goes to the VEX register first, so equal destinations keep the high half.
  cpu.put(OperandKind.Register, i.r1, size, 0, lo, loHi);
  cpu.put(OperandKind.Register, i.r0, size, 0, hi, hiHi);
}

/** Handlers of the multiply and divide instructions. */
export const MULTIPLY_HANDLERS: Record<string, Handler> = {
  mul: widening(false),
  imul,
  div: divide(false),
  idiv: divide(true),
  mulx,
};

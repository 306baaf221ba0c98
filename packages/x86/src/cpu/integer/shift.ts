// Shifts and rotates: shl/sal, shr, sar, rol, ror, rcl, rcr, shld and shrd. A count that is zero
// after masking changes neither the value nor the flags, but a 32-bit register destination is
// still written, so its high half is cleared as for any dword write.
import type { Cpu } from "../cpu.js";
import { Flag } from "../flags.js";
import type { Handler, Instr } from "../instr.js";
import { bit64, maskPair, PAIR, shl64, shr64 } from "./pair64.js";
import { signBit, signExtend, truncate } from "./width.js";

const enum Kind {
  Shl,
  Shr,
  Sar,
}

/** Reads the destination and the masked count; returns false when the count is zero. */
function operands(cpu: Cpu, i: Instr, state: { a: number; aHi: number; count: number; va: number }): boolean {
  const size = i.s0;
  const va = cpu.operandAddress(i);
  if (i.memory !== 0) cpu.checkWritable(va, size);
  state.va = va;
  state.a = cpu.value(i, i.k0, i.r0, size, va);
  state.aHi = cpu.hi;
  state.count = cpu.value(i, i.k1, i.r1, 1, va) & (size === 8 ? 63 : 31);
  if (state.count !== 0) return true;
  unchanged(cpu, i, state.a);
  return false;
}

/** A zero count: only a dword register destination changes (its high half is cleared). */
function unchanged(cpu: Cpu, i: Instr, a: number): void {
  if (i.s0 === 4 && i.memory === 0) cpu.writeGpr(i.r0, a);
}

const scratch = { a: 0, aHi: 0, count: 0, va: 0 };

function shift(kind: Kind): Handler {
  return (cpu, i) => {
    if (!operands(cpu, i, scratch)) return;
    const { a, aHi, count, va } = scratch;
    const size = i.s0;
    let lo: number;
    let hi = 0;
    let carry: number;
    let overflow: boolean;
    if (size === 8) {
      if (kind === Kind.Shl) {
        shl64(a, aHi, count);
        carry = bit64(a, aHi, 64 - count);
      } else {
        shr64(a, aHi, count, kind === Kind.Sar);
        carry = bit64(a, aHi, count - 1);
      }
      lo = PAIR[0]!;
      hi = PAIR[1]!;
      const msb = hi >>> 31;
      overflow = kind === Kind.Shl ? (msb ^ carry) === 1 : kind === Kind.Shr ? aHi < 0 : false;
    } else {
      const sign = signBit(size);
      if (kind === Kind.Shl) {
        // a has at most 32 significant bits, so the product is exact; a count above the width
        // (byte and word forms) shifts everything out.
        lo = truncate(a << count, size);
        carry = count <= size * 8 ? Math.floor(((a >>> 0) * 2 ** count) / 2 ** (size * 8)) & 1 : 0;
        overflow = (lo & sign) !== 0 !== (carry === 1);
      } else {
        const src = kind === Kind.Sar ? signExtend(a, size) : a >>> 0;
        lo = truncate(kind === Kind.Sar ? src >> count : src >>> count, size);
        carry = (kind === Kind.Sar ? src >> (count - 1) : src >>> (count - 1)) & 1;
        overflow = kind === Kind.Shr && (a & sign) !== 0;
      }
    }
    cpu.setResult(size, lo, hi, (carry ? Flag.CF : 0) | (overflow ? Flag.OF : 0));
    cpu.put(i.k0, i.r0, size, va, lo, hi);
  };
}

const enum Rotate {
  Rol,
  Ror,
  Rcl,
  Rcr,
}

/** Ors PAIR with the pair (lo, hi). */
function orPair(lo: number, hi: number): void {
  PAIR[0] = PAIR[0]! | lo;
  PAIR[1] = PAIR[1]! | hi;
}

function rotate(kind: Rotate): Handler {
  return (cpu, i) => {
    if (!operands(cpu, i, scratch)) return;
    const { a, va } = scratch;
    const size = i.s0;
    const bits = size * 8;
    const aHi = size === 8 ? scratch.aHi : 0;
    let cf = cpu.cf ? 1 : 0;
    if (kind === Rotate.Rol || kind === Rotate.Ror) {
      const c = scratch.count % bits;
      if (kind === Rotate.Rol) shr64(a, aHi, bits - c);
      else shl64(a, aHi, bits - c);
      const lo = PAIR[0]!;
      const hi = PAIR[1]!;
      if (kind === Rotate.Rol) shl64(a, aHi, c);
      else shr64(a, aHi, c);
      orPair(lo, hi);
      maskPair(bits);
      cf = kind === Rotate.Rol ? PAIR[0]! & 1 : bit64(PAIR[0]!, PAIR[1]!, bits - 1);
    } else {
      // Through carry: a rotation of the (width + 1)-bit value cf:a.
      const c = scratch.count % (bits + 1);
      if (c === 0) {
        PAIR[0] = a;
        PAIR[1] = aHi;
      } else {
        const carryOut = kind === Rotate.Rcl ? bit64(a, aHi, bits - c) : bit64(a, aHi, c - 1);
        if (kind === Rotate.Rcl) shl64(cf, 0, c - 1);
        else shl64(cf, 0, bits - c);
        const carryLo = PAIR[0]!;
        const carryHi = PAIR[1]!;
        if (kind === Rotate.Rcl) shr64(a, aHi, bits + 1 - c);
        else shl64(a, aHi, bits + 1 - c);
        const lo = PAIR[0]! | carryLo;
        const hi = PAIR[1]! | carryHi;
        if (kind === Rotate.Rcl) shl64(a, aHi, c);
        else shr64(a, aHi, c);
        orPair(lo, hi);
        maskPair(bits);
        cf = carryOut;
      }
    }
    const lo = PAIR[0]!;
    const hi = PAIR[1]!;
    const msb = bit64(lo, hi, bits - 1);
    const of = kind === Rotate.Rol || kind === Rotate.Rcl ? msb ^ cf : msb ^ bit64(lo, hi, bits - 2);
    cpu.setFlagBits((cf ? Flag.CF : 0) | (of ? Flag.OF : 0), Flag.CF | Flag.OF);
    cpu.put(i.k0, i.r0, size, va, size === 8 ? lo : truncate(lo, size), hi);
  };
}

/** shld/shrd: shift the destination, filling from the second operand. */
function doubleShift(left: boolean): Handler {
  return (cpu, i) => {
    const size = i.s0;
    const va = cpu.operandAddress(i);
    if (i.memory !== 0) cpu.checkWritable(va, size);
    const a = cpu.value(i, i.k0, i.r0, size, va);
    const aHi = size === 8 ? cpu.hi : 0;
    const b = cpu.value(i, i.k1, i.r1, size, va);
    const bHi = size === 8 ? cpu.hi : 0;
    const count = cpu.value(i, i.k2, i.r2, 1, va) & (size === 8 ? 63 : 31);
    if (count === 0) {
      unchanged(cpu, i, a);
      return;
    }
    const bits = size * 8;
    let lo: number;
    let hi: number;
    let cf: number;
    if (size === 2) {
      // Word counts may exceed 16: the destination comes round again, as in dst:src:dst
      // (48 bits, exact as a double).
      const wide = a * 2 ** 32 + b * 2 ** 16 + a;
      const shifted = left ? Math.floor(wide / 2 ** (32 - count)) : Math.floor(wide / 2 ** count);
      lo = shifted % 2 ** 16;
      hi = 0;
      cf = Math.floor(left ? wide / 2 ** (48 - count) : wide / 2 ** (count - 1)) % 2;
    } else {
      if (left) shr64(b, bHi, bits - count);
      else shl64(b, bHi, bits - count);
      const fillLo = PAIR[0]!;
      const fillHi = PAIR[1]!;
      if (left) shl64(a, aHi, count);
      else shr64(a, aHi, count);
      orPair(fillLo, fillHi);
      maskPair(bits);
      lo = PAIR[0]!;
      hi = PAIR[1]!;
      cf = left ? bit64(a, aHi, bits - count) : bit64(a, aHi, count - 1);
    }
    const signChanged = bit64(lo, hi, bits - 1) !== bit64(a, aHi, bits - 1);
    const stored = size === 8 ? lo : truncate(lo, size);
    cpu.setResult(size, stored, hi, (cf ? Flag.CF : 0) | (signChanged ? Flag.OF : 0));
    cpu.put(i.k0, i.r0, size, va, stored, hi);
  };
}

/** BMI2 shifts without flags: shlx, shrx, sarx (count from the VEX register), and rorx. */
function flaglessShift(kind: "shlx" | "shrx" | "sarx" | "rorx"): Handler {
  return (cpu, i) => {
    const size = i.s0;
    const va = cpu.operandAddress(i);
    const v = cpu.value(i, i.k1, i.r1, size, va);
    // A dword as a pair: zero-extended, or sign-extended for sarx.
    const vHi = size === 8 ? cpu.hi : kind === "sarx" ? v >> 31 : 0;
    const bits = size * 8;
    const countSource = kind === "rorx" ? i.imm : cpu.value(i, i.k2, i.r2, size, va);
    const c = countSource & (size === 8 ? 63 : 31);
    if (kind === "shlx") shl64(v, vHi, c);
    else if (kind === "shrx" || kind === "sarx") shr64(v, vHi, c, kind === "sarx");
    else {
      shl64(v, vHi, bits - c);
      const lo = PAIR[0]!;
      const hi = PAIR[1]!;
      shr64(v, vHi, c);
      orPair(lo, hi);
    }
    maskPair(bits);
    cpu.put(i.k0, i.r0, size, va, PAIR[0]!, PAIR[1]!);
  };
}

/** Handlers of the shift and rotate instructions. */
export const SHIFT_HANDLERS: Record<string, Handler> = {
  shl: shift(Kind.Shl),
  sal: shift(Kind.Shl),
  shr: shift(Kind.Shr),
  sar: shift(Kind.Sar),
  rol: rotate(Rotate.Rol),
  ror: rotate(Rotate.Ror),
  rcl: rotate(Rotate.Rcl),
  rcr: rotate(Rotate.Rcr),
  shld: doubleShift(true),
  shrd: doubleShift(false),
  shlx: flaglessShift("shlx"),
  shrx: flaglessShift("shrx"),
  sarx: flaglessShift("sarx"),
  rorx: flaglessShift("rorx"),
};

// Shifts and rotates: shl/sal, shr, sar, rol, ror, rcl, rcr, shld and shrd. A count that is zero
// after masking changes neither the value nor the flags, but a 32-bit register destination is
// still written, so its high half is cleared as for any dword write.
import type { Cpu } from "../cpu.js";
import { Flag } from "../flags.js";
import type { Handler, Instr } from "../instr.js";
import { halves, signBit, signExtend, toBigUnsigned, truncate } from "./width.js";

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
      const v = toBigUnsigned(a, aHi, 8);
      const c = BigInt(count);
      let r: bigint;
      if (kind === Kind.Shl) {
        r = v << c;
        carry = Number((v >> (64n - c)) & 1n);
      } else {
        const src = kind === Kind.Sar ? BigInt.asIntN(64, v) : v;
        r = src >> c;
        carry = Number((src >> (c - 1n)) & 1n);
      }
      [lo, hi] = halves(r);
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

function rotate(kind: Rotate): Handler {
  return (cpu, i) => {
    if (!operands(cpu, i, scratch)) return;
    const { a, aHi, va } = scratch;
    const size = i.s0;
    const bits = BigInt(size * 8);
    const mask = (1n << bits) - 1n;
    const v = toBigUnsigned(a, aHi, size);
    let cf = cpu.cf ? 1n : 0n;
    let r: bigint;
    if (kind === Rotate.Rol || kind === Rotate.Ror) {
      const c = BigInt(scratch.count) % bits;
      r = kind === Rotate.Rol ? ((v << c) | (v >> (bits - c))) & mask : ((v >> c) | (v << (bits - c))) & mask;
      cf = kind === Rotate.Rol ? r & 1n : (r >> (bits - 1n)) & 1n;
    } else {
      // Through carry: a rotation of a (width + 1)-bit value.
      const c = BigInt(scratch.count) % (bits + 1n);
      const wide = (cf << bits) | v;
      const w = bits + 1n;
      const wmask = (1n << w) - 1n;
      const rw = kind === Rotate.Rcl ? ((wide << c) | (wide >> (w - c))) & wmask : ((wide >> c) | (wide << (w - c))) & wmask;
      r = rw & mask;
      cf = rw >> bits;
    }
    const msb = (r >> (bits - 1n)) & 1n;
    const next = (r >> (bits - 2n)) & 1n;
    const of = kind === Rotate.Rol || kind === Rotate.Rcl ? msb ^ cf : msb ^ next;
    cpu.setFlagBits((cf ? Flag.CF : 0) | (of ? Flag.OF : 0), Flag.CF | Flag.OF);
    const [lo, hi] = halves(r);
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
    const aHi = cpu.hi;
    const b = cpu.value(i, i.k1, i.r1, size, va);
    const bHi = cpu.hi;
    const count = cpu.value(i, i.k2, i.r2, 1, va) & (size === 8 ? 63 : 31);
    if (count === 0) {
      unchanged(cpu, i, a);
      return;
    }
    const bits = BigInt(size * 8);
    const mask = (1n << bits) - 1n;
    const dst = toBigUnsigned(a, aHi, size);
    const src = toBigUnsigned(b, bHi, size);
    const c = BigInt(count);
    let r: bigint;
    let cf: bigint;
    if (left) {
      // For 16-bit counts above 16 the bits come from the destination again (as hardware does).
      const wide = (dst << (bits * 2n)) | (src << bits) | dst;
      r = (wide >> (bits * 2n - c)) & mask;
      cf = (wide >> (bits * 3n - c)) & 1n;
    } else {
      // src:dst shifted right; for 16-bit counts above 16 the destination comes round again.
      const wide = (dst << (bits * 2n)) | (src << bits) | dst;
      r = (wide >> c) & mask;
      cf = (wide >> (c - 1n)) & 1n;
    }
    const signChanged = ((r ^ dst) >> (bits - 1n)) & 1n;
    const [lo, hi] = halves(r);
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
    const v = toBigUnsigned(cpu.value(i, i.k1, i.r1, size, va), cpu.hi, size);
    const bits = BigInt(size * 8);
    const mask = (1n << bits) - 1n;
    const countSource = kind === "rorx" ? i.imm : cpu.value(i, i.k2, i.r2, size, va);
    const c = BigInt(countSource & (size === 8 ? 63 : 31));
    let r: bigint;
    if (kind === "shlx") r = (v << c) & mask;
    else if (kind === "shrx") r = v >> c;
    else if (kind === "sarx") r = BigInt.asUintN(size * 8, BigInt.asIntN(size * 8, v) >> c);
    else r = ((v >> c) | (v << ((bits - c) % bits))) & mask;
    const [lo, hi] = halves(r);
    cpu.put(i.k0, i.r0, size, va, lo, hi);
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

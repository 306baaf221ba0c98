// Bit instructions: bt/bts/btr/btc, bsf/bsr, popcnt, lzcnt/tzcnt, and BMI1/BMI2's andn, bextr,
// blsi, blsmsk, blsr, bzhi, pdep, pext; adcx/adox.
import { OperandKind } from "../../decoder/decoded-instruction.js";
import type { Cpu } from "../cpu.js";
import { Flag } from "../flags.js";
import type { Handler, Instr } from "../instr.js";
import { addressFromBig, checkStackSegment, exactAddress, segmentBase } from "./address.js";
import { halves, toBigUnsigned } from "./width.js";

const enum BitOp {
  Test,
  Set,
  Reset,
  Complement,
}

const TWO32 = 4294967296;
const TWO64 = 18446744073709551616;
/** Numbers are exact integers below this magnitude. */
const EXACT = 2 ** 53;

function bitTest(op: BitOp): Handler {
  return (cpu, i) => {
    const size = i.s0;
    const bits = size * 8;
    let offset: number;
    let va = 0;
    if (i.k1 === OperandKind.Immediate) {
      offset = i.imm & (bits - 1);
      if (i.k0 !== OperandKind.Register) va = cpu.operandAddress(i);
    } else {
      const lo = cpu.value(i, i.k1, i.r1, size, 0);
      offset = lo & (bits - 1);
      // With a memory operand, a register bit offset is signed and selects the operand-sized
      // unit at (offset >> 3) rounded down to the size: compute that displacement in halves.
      if (i.k0 !== OperandKind.Register) {
        const dHi = size === 8 ? cpu.hi >> 3 : size === 4 ? lo >> 31 : (lo << 16) >> 31;
        va = displaced(cpu, i, bitOffsetBytes(lo, cpu.hi, size), dHi);
        checkStackSegment(cpu, i, va);
      }
    }
    if (i.k0 !== OperandKind.Register && op !== BitOp.Test) cpu.checkWritable(va, size);
    let lo = cpu.value(i, i.k0, i.r0, size, va);
    let hi = cpu.hi;
    const inHigh = offset >= 32;
    const mask = 1 << (offset & 31);
    const word = inHigh ? hi : lo;
    const bit = (word & mask) !== 0;
    cpu.setFlagBits(bit ? Flag.CF : 0, Flag.CF);
    if (op === BitOp.Test) return;
    const updated = op === BitOp.Set ? word | mask : op === BitOp.Reset ? word & ~mask : word ^ mask;
    if (inHigh) hi = updated;
    else lo = updated;
    cpu.put(i.k0, i.r0, size, va, size === 2 ? lo & 0xffff : size === 1 ? lo & 0xff : lo, hi);
  };
}

/** Low 32 bits of the byte displacement of a register bit offset (lo/hi as read, `size` bytes). */
function bitOffsetBytes(lo: number, hi: number, size: number): number {
  const signed = size === 8 ? (lo >>> 3) | (hi << 29) : (size === 4 ? lo : (lo << 16) >> 16) >> 3;
  return signed & ~(size - 1);
}

/**
 * The operand's address moved by a signed 64-bit displacement (low half `dLo`, high `dHi`),
 * wrapped to the address size: with 0x67 the offset within the segment wraps at 2^32.
 */
function displaced(cpu: Cpu, i: Instr, dLo: number, dHi: number): number {
  const ea = cpu.operandAddress(i);
  if (i.addrSize === 4) {
    const base = segmentBase(cpu, i);
    return ((ea - base + dLo) >>> 0) + base;
  }
  const d = dHi * TWO32 + (dLo >>> 0);
  if (ea < EXACT && d < EXACT && d > -EXACT) {
    const va = ea + d;
    return va < 0 ? va + TWO64 : va;
  }
  return addressFromBig(BigInt.asUintN(64, exactAddress(cpu, i) + BigInt(dHi) * 4294967296n + BigInt(dLo >>> 0)));
}

/** Counts trailing zeros of a 64-bit value (64 when zero). */
function trailingZeros(lo: number, hi: number): number {
  if (lo !== 0) return 31 - Math.clz32(lo & -lo);
  if (hi !== 0) return 63 - Math.clz32(hi & -hi);
  return 64;
}

/** Counts leading zeros of a value of `size` bytes. */
function leadingZeros(lo: number, hi: number, size: number): number {
  if (size === 8) return hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(lo);
  return Math.clz32(lo) - (32 - size * 8);
}

function popcount32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

type Count = (lo: number, hi: number, size: number) => number;

/** bsf/bsr/tzcnt/lzcnt/popcnt: read the source, write a count, set flags. */
function counter(name: "bsf" | "bsr" | "tzcnt" | "lzcnt" | "popcnt"): Handler {
  const count: Count =
    name === "popcnt"
      ? (lo, hi, size) => popcount32(size === 8 ? lo : lo & (size === 2 ? 0xffff : -1)) + (size === 8 ? popcount32(hi) : 0)
      : name === "bsf" || name === "tzcnt"
        ? (lo, hi, size) => {
            const n = trailingZeros(lo, size === 8 ? hi : 0);
            return n === 64 ? size * 8 : n;
          }
        : name === "lzcnt"
          ? (lo, hi, size) => leadingZeros(lo, hi, size)
          : (lo, hi, size) => size * 8 - 1 - leadingZeros(lo, hi, size);
  return (cpu, i) => {
    const size = i.s0;
    const va = cpu.operandAddress(i);
    const lo = cpu.value(i, i.k1, i.r1, size, va);
    const hi = size === 8 ? cpu.hi : 0;
    const zero = (lo | hi) === 0;
    if (name === "bsf" || name === "bsr") {
      // A zero source leaves the destination unchanged and sets ZF.
      cpu.setFlagBits(zero ? Flag.ZF : 0, Flag.ZF);
      if (!zero) cpu.put(OperandKind.Register, i.r0, size, 0, count(lo, hi, size), 0);
      return;
    }
    const n = count(lo, hi, size);
    if (name === "popcnt") cpu.setFlagBits(zero ? Flag.ZF : 0, 0x8d5);
    else cpu.setFlagBits((zero ? Flag.CF : 0) | (n === 0 ? Flag.ZF : 0), Flag.CF | Flag.ZF);
    cpu.put(OperandKind.Register, i.r0, size, 0, n, 0);
  };
}

/** BMI1/BMI2 register operations computed on bigints (they are rare in hot loops). */
function bmi(compute: (a: bigint, b: bigint, bits: bigint, cpu: Cpu) => [bigint, number]): Handler {
  return (cpu, i) => {
    const size = i.s0;
    const va = cpu.operandAddress(i);
    const a = toBigUnsigned(cpu.value(i, i.k1, i.r1, size, va), cpu.hi, size);
    const b = i.operandCount > 2 ? toBigUnsigned(cpu.value(i, i.k2, i.r2, size, va), cpu.hi, size) : 0n;
    const bits = BigInt(size * 8);
    const [r, flags] = compute(a, b, bits, cpu);
    const masked = r & ((1n << bits) - 1n);
    const [lo, hi] = halves(masked);
    const sign = (masked >> (bits - 1n)) & 1n;
    cpu.setFlagBits(flags | (masked === 0n ? Flag.ZF : 0) | (sign ? Flag.SF : 0), 0x8d5);
    cpu.put(OperandKind.Register, i.r0, size, 0, lo, hi);
  };
}

function pdepPext(deposit: boolean): Handler {
  return (cpu, i) => {
    const size = i.s0;
    const va = cpu.operandAddress(i);
    const src = toBigUnsigned(cpu.value(i, i.k1, i.r1, size, va), cpu.hi, size);
    const mask = toBigUnsigned(cpu.value(i, i.k2, i.r2, size, va), cpu.hi, size);
    let r = 0n;
    let k = 0n;
    for (let bit = 0n; bit < BigInt(size * 8); bit++) {
      if (((mask >> bit) & 1n) === 0n) continue;
      if (deposit) r |= ((src >> k) & 1n) << bit;
      else r |= ((src >> bit) & 1n) << k;
      k++;
    }
    const [lo, hi] = halves(r);
    cpu.put(OperandKind.Register, i.r0, size, 0, lo, hi);
  };
}

/** adcx (CF) and adox (OF): add with carry through one flag only. */
function addThrough(flag: number): Handler {
  return (cpu, i) => {
    const size = i.s0;
    const va = cpu.operandAddress(i);
    const a = toBigUnsigned(cpu.value(i, i.k0, i.r0, size, va), cpu.hi, size);
    const b = toBigUnsigned(cpu.value(i, i.k1, i.r1, size, va), cpu.hi, size);
    const carry = (cpu.rflags & flag) !== 0 ? 1n : 0n;
    const sum = a + b + carry;
    const bits = BigInt(size * 8);
    cpu.setFlagBits(sum >> bits ? flag : 0, flag);
    const [lo, hi] = halves(sum);
    cpu.put(OperandKind.Register, i.r0, size, 0, lo, hi);
  };
}

/** Handlers of the bit instructions. */
export const BIT_HANDLERS: Record<string, Handler> = {
  bt: bitTest(BitOp.Test),
  bts: bitTest(BitOp.Set),
  btr: bitTest(BitOp.Reset),
  btc: bitTest(BitOp.Complement),
  bsf: counter("bsf"),
  bsr: counter("bsr"),
  tzcnt: counter("tzcnt"),
  lzcnt: counter("lzcnt"),
  popcnt: counter("popcnt"),
  andn: bmi((a, b) => [~a & b, 0]),
  bextr: bmi((a, b, bits) => {
    const start = b & 0xffn;
    const length = (b >> 8n) & 0xffn;
    const r = start >= bits ? 0n : (a >> start) & ((1n << length) - 1n);
    return [r, 0];
  }),
  blsi: bmi((a, _b, bits) => [a & (((1n << bits) - a) & ((1n << bits) - 1n)), a !== 0n ? Flag.CF : 0]),
  blsmsk: bmi((a) => [a ^ (a - 1n), a === 0n ? Flag.CF : 0]),
  blsr: bmi((a) => [a & (a - 1n), a === 0n ? Flag.CF : 0]),
  bzhi: bmi((a, b, bits) => {
    const n = b & 0xffn;
    return [n >= bits ? a : a & ((1n << n) - 1n), n > bits - 1n ? Flag.CF : 0];
  }),
  pdep: pdepPext(true),
  pext: pdepPext(false),
  adcx: addThrough(Flag.CF),
  adox: addThrough(Flag.OF),
};


// Conversions between float32, float64 and integers, round-to-integral (ROUNDPS/CVT rounding),
// and the RCP/RSQRT approximations.
import { Mxcsr, Rounding, fpEnv } from "./mxcsr.js";
import { DEFAULT_NAN_F32, f32Bits, f32Value, f64FromBits, hiBits, isDenormal32, isDenormal64, isNaN32, isSNaN32, isSNaN64, loBits, quiet64 } from "./float-bits.js";
import { F32, F64, roundExact, roundNear32 } from "./exact-round.js";
import { in32, in64 } from "./float-arith.js";

// Imported constants copied into locals: loaders that wrap live bindings in getters would
// otherwise call one per use in these hot paths.
const IE = Mxcsr.IE;
const PE = Mxcsr.PE;
const DOWN = Rounding.Down;
const NEAREST = Rounding.Nearest;
const UP = Rounding.Up;
const ZERO = Rounding.Zero;
const env = fpEnv;

/** The integer indefinite value of 32-bit conversions (0x80000000). */
export const INDEFINITE32 = 0x80000000 | 0;

/** x rounded to an integral value in a {@link Rounding} mode (x finite). */
export function roundIntegral(x: number, mode: number): number {
  const a = x < 0 ? -x : x;
  if (a >= 2 ** 52) return x;
  switch (mode) {
    case NEAREST: {
      const r = a + 2 ** 52 - 2 ** 52; // ties to even, as JS arithmetic rounds
      return x < 0 || Object.is(x, -0) ? -r : r;
    }
    case DOWN:
      return Math.floor(x);
    case UP:
      return Math.ceil(x);
    default:
      return Math.trunc(x);
  }
}

/** A float operand of a conversion to integer: denormals read as zero under DAZ, no DE. */
function convertInput(x: number, denormal: boolean): number {
  return denormal && env.daz ? 0 : x;
}

/**
 * Float to signed integer of 32 bits (int32 result) or 64 bits (low half returned, high half
 * in {@link convertHigh}); NaN and out-of-range give the integer indefinite and IE.
 */
export function toInt(x: number, bits: 32 | 64, truncate: boolean): number {
  const r = x === x ? roundIntegral(x, truncate ? ZERO : env.rc) : NaN;
  const limit = bits === 32 ? 2 ** 31 : 2 ** 63;
  if (!(r >= -limit && r < limit)) {
    env.flags |= IE;
    convertHigh = bits === 32 ? 0 : INDEFINITE32;
    return bits === 32 ? INDEFINITE32 : 0;
  }
  if (r !== x) env.flags |= PE;
  if (bits === 32) return r | 0;
  convertHigh = Math.floor(r / 2 ** 32) | 0;
  return (r - Math.floor(r / 2 ** 32) * 2 ** 32) | 0;
}

/** High half of the last 64-bit {@link toInt} result. */
export let convertHigh = 0;

/** CVTSS2SI family: float32 bits to integer. */
export function f32ToInt(b: number, bits: 32 | 64, truncate: boolean): number {
  return toInt(isNaN32(b) ? NaN : convertInput(f32Value(b), isDenormal32(b)), bits, truncate);
}

/** CVTSD2SI family: float64 to integer. */
export function f64ToInt(x: number, bits: 32 | 64, truncate: boolean): number {
  return toInt(convertInput(x, isDenormal64(x)), bits, truncate);
}

/** A signed integer (exact double, or a 64-bit value as halves) to float32 bits. */
export function intToF32(lo: number, hi: number): number {
  return f32Bits(intTo(lo, hi, true));
}

/** A signed 64-bit integer (halves) to float64. */
export function intToF64(lo: number, hi: number): number {
  return intTo(lo, hi, false);
}

function intTo(lo: number, hi: number, single: boolean): number {
  const v = hi * 2 ** 32 + (lo >>> 0);
  if (v === 0) return 0;
  if (v > -(2 ** 53) && v < 2 ** 53) return single ? roundNear32(v, 0) : v;
  const big = (BigInt(hi) << 32n) | BigInt(lo >>> 0);
  const neg = big < 0n;
  return roundExact(neg, neg ? -big : big, 0, false, single ? F32 : F64);
}

/** CVTSS2SD lane: float32 bits to float64 (exact; SNaN quieted with IE). */
export function f32ToF64(b: number): number {
  if (isNaN32(b)) {
    if (isSNaN32(b)) env.flags |= IE;
    return f64FromBits((b & 0x80000000) | 0x7ff80000 | ((b & 0x3fffff) >>> 3), (b & 7) << 29);
  }
  return in32(b);
}

/** CVTSD2SS lane: float64 to float32 bits, rounded under MXCSR. */
export function f64ToF32(x: number): number {
  if (x !== x) {
    if (isSNaN64(x)) env.flags |= IE;
    const q = quiet64(x);
    return (hiBits(q) & 0x80000000) | 0x7fc00000 | ((hiBits(q) & 0x7ffff) << 3) | (loBits(q) >>> 29);
  }
  const v = in64(x);
  if (v === 0 || v === Infinity || v === -Infinity) return f32Bits(v);
  return f32Bits(roundNear32(v, 0));
}

/** Rounding mode and precision suppression of a ROUND* immediate. */
function roundMode(imm: number): number {
  return imm & 4 ? env.rc : imm & 3;
}

/** ROUNDSD lane. */
export function roundF64(x: number, imm: number): number {
  if (x !== x) {
    if (isSNaN64(x)) env.flags |= IE;
    return quiet64(x);
  }
  const v = isDenormal64(x) && env.daz ? (x < 0 ? -0 : 0) : x;
  if (v === Infinity || v === -Infinity) return v;
  const r = roundIntegral(v, roundMode(imm));
  if (r !== v && !(imm & 8)) env.flags |= PE;
  return r;
}

/** ROUNDSS lane (bits). */
export function roundF32(b: number, imm: number): number {
  if (isNaN32(b)) {
    if (isSNaN32(b)) env.flags |= IE;
    return b | 0x00400000;
  }
  const v = isDenormal32(b) && env.daz ? (b < 0 ? -0 : 0) : f32Value(b);
  if (v === Infinity || v === -Infinity) return b;
  const r = roundIntegral(v, roundMode(imm));
  if (r !== v && !(imm & 8)) env.flags |= PE;
  return f32Bits(r);
}

/**
 * RCPSS lane. The SDM only bounds the error (|relative error| ≤ 1.5 * 2^-12); we return the
 * correctly rounded reciprocal, which is within that bound. No flags; NaN quieted.
 */
export function rcpF32(b: number): number {
  if (isNaN32(b)) return b | 0x00400000;
  const x = isDenormal32(b) ? (b < 0 ? -0 : 0) : f32Value(b);
  const r = Math.fround(1 / x);
  return f32Bits(r < 2 ** -126 && r > -(2 ** -126) ? (r < 0 || Object.is(r, -0) ? -0 : 0) : r);
}

/** RSQRTSS lane: correctly rounded 1/sqrt(x), within the SDM's bound; no flags. */
export function rsqrtF32(b: number): number {
  if (isNaN32(b)) return b | 0x00400000;
  const x = isDenormal32(b) ? (b < 0 ? -0 : 0) : f32Value(b);
  if (x < 0) return DEFAULT_NAN_F32;
  if (x === 0) return f32Bits(Object.is(x, -0) ? -Infinity : Infinity);
  return f32Bits(Math.fround(1 / Math.sqrt(x)));
}

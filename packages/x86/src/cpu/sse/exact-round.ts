// Correct rounding of exact values to float32/float64 under MXCSR: all four rounding modes,
// overflow, tininess detected after rounding (as x86 does), FTZ, and the PE/UE/OE flags.
// Two entry points: `roundExact` takes an exact value as a bigint significand and a power of
// two (the slow, general path); `roundNear` takes a double that is within half a float64 ulp of
// the exact value plus the sign of the remainder (`roundNear64`/`roundNear32`, the fast path).
import { Mxcsr, Rounding, fpEnv } from "./mxcsr.js";
import { MAX_F32, MAX_F64, MIN_NORMAL_F32, MIN_NORMAL_F64, hiBits, loBits, nextDown32, nextDown64, nextUp32, nextUp64 } from "./float-bits.js";

// Imported constants copied into locals: loaders that wrap live bindings in getters would
// otherwise call one per use in these hot paths.
const OE = Mxcsr.OE;
const PE = Mxcsr.PE;
const UE = Mxcsr.UE;
const DOWN = Rounding.Down;
const NEAREST = Rounding.Nearest;
const UP = Rounding.Up;
const env = fpEnv;
const _MIN_NORMAL_F64 = MIN_NORMAL_F64;
const _MAX_F64 = MAX_F64;
const _MIN_NORMAL_F32 = MIN_NORMAL_F32;
const _MAX_F32 = MAX_F32;

/** A binary floating-point format. */
export interface FloatFormat {
  /** Significand bits including the hidden one. */
  readonly p: number;
  /** Exponent of the smallest normal. */
  readonly emin: number;
  /** Exponent of the largest finite. */
  readonly emax: number;
  /** Largest finite value. */
  readonly max: number;
  /** Smallest normal value. */
  readonly minNormal: number;
  readonly nextUp: (x: number) => number;
  readonly nextDown: (x: number) => number;
}

/** IEEE binary64. */
export const F64: FloatFormat = {
  p: 53, emin: -1022, emax: 1023, max: MAX_F64, minNormal: MIN_NORMAL_F64,
  nextUp: nextUp64, nextDown: nextDown64,
};

/** IEEE binary32. */
export const F32: FloatFormat = {
  p: 24, emin: -126, emax: 127, max: MAX_F32, minNormal: MIN_NORMAL_F32,
  nextUp: nextUp32, nextDown: nextDown32,
};

/** Number of bits of a positive bigint. */
export function bitLength(m: bigint): number {
  return m.toString(2).length;
}

/** Splits a finite non-zero float64 into |x| = m * 2^e with m an integer. */
export function decompose(x: number): { m: bigint; e: number } {
  const hi = hiBits(x);
  const lo = loBits(x);
  const biased = (hi >>> 20) & 0x7ff;
  const frac = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  return biased === 0 ? { m: frac, e: -1074 } : { m: frac | (1n << 52n), e: biased - 1075 };
}

/**
 * Rounds (-1)^neg * (m + s) * 2^e to `fmt`, where s is 0 when `sticky` is false and strictly
 * between 0 and 1 otherwise (callers keep at least p + 2 significant bits in m when sticky).
 * m must be positive. Sets PE, UE, OE in {@link fpEnv}.
 */
export function roundExact(neg: boolean, m: bigint, e: number, sticky: boolean, fmt: FloatFormat): number {
  const length = bitLength(m);
  const top = e + length - 1;
  const shiftU = length - fmt.p;
  const qU = roundShift(m, shiftU, sticky, neg);
  const inexactU = lastInexact;
  const topU = bitLength(qU) - 1 + e + shiftU;
  // Unmasked overflow and underflow fault: PE then says whether the result rounded with an
  // unbounded exponent (what the hardware would hand a trap handler, scaled) is inexact.
  if (topU > fmt.emax) return env.unmasked & OE ? trap(OE, inexactU) : overflow(neg, fmt);
  const tiny = topU < fmt.emin;
  if (tiny && env.unmasked & UE) return trap(UE, inexactU);
  if (tiny && env.ftz) {
    env.flags |= UE | PE;
    return neg ? -0 : 0;
  }
  let q = qU;
  let inexact = inexactU;
  let ulp = e + shiftU;
  if (top < fmt.emin) {
    const shiftB = fmt.emin - fmt.p + 1 - e;
    q = roundShift(m, shiftB, sticky, neg);
    inexact = lastInexact;
    ulp = e + shiftB;
  }
  // Masked, underflow is reported only for a tiny result that is also inexact.
  if (inexact) env.flags |= tiny ? PE | UE : PE;
  const v = Number(q) * 2 ** ulp;
  return neg ? -v : v;
}

let lastInexact = false;

/** m * 2^-shift rounded to an integer under the current mode; sets `lastInexact`. */
function roundShift(m: bigint, shift: number, sticky: boolean, neg: boolean): bigint {
  if (shift <= 0) {
    lastInexact = sticky;
    const q = m << BigInt(-shift);
    // Only reachable without sticky from our callers; round a sticky tail as if below half.
    return sticky && roundsAway(neg, false, false, true, q) ? q + 1n : q;
  }
  const s = BigInt(shift);
  const q = m >> s;
  const rem = m & ((1n << s) - 1n);
  const half = 1n << (s - 1n);
  const above = rem > half || (rem === half && sticky);
  const exactHalf = rem === half && !sticky;
  lastInexact = rem !== 0n || sticky;
  return lastInexact && roundsAway(neg, above, exactHalf, true, q) ? q + 1n : q;
}

/** Whether an inexact magnitude rounds up (away from zero) under the current mode. */
function roundsAway(neg: boolean, above: boolean, exactHalf: boolean, inexact: boolean, q: bigint): boolean {
  switch (env.rc) {
    case NEAREST:
      return above || (exactHalf && (q & 1n) === 1n);
    case DOWN:
      return neg && inexact;
    case UP:
      return !neg && inexact;
    default:
      return false;
  }
}

/** An unmasked overflow or underflow: the flag, PE if inexact; the instruction will fault. */
function trap(flag: number, inexact: boolean): number {
  env.flags |= inexact ? flag | PE : flag;
  return NaN;
}

/** The masked overflow response: infinity or the largest finite, by mode and sign. */
function overflow(neg: boolean, fmt: FloatFormat): number {
  env.flags |= OE | PE;
  const rc = env.rc;
  const toInfinity = rc === NEAREST || (rc === DOWN && neg) || (rc === UP && !neg);
  const v = toInfinity ? Infinity : fmt.max;
  return neg ? -v : v;
}

/**
 * Rounds the exact value hi + loSign * t to float64, where hi is the float64 nearest to it
 * (finite, non-zero), 0 < t < half an ulp of hi, and loSign is -1, 0 or 1.
 */
export function roundNear64(hi: number, loSign: number): number {
  const a = hi < 0 ? -hi : hi;
  if (a > _MIN_NORMAL_F64 && a < _MAX_F64) {
    if (loSign === 0) return hi;
    env.flags |= PE;
    return env.rc === NEAREST ? hi : directed(hi, loSign, F64);
  }
  return roundTail(hi, loSign, F64);
}

/**
 * Rounds the exact value hi + loSign * t to float32, where hi is a finite non-zero double and
 * 0 < t < half an ulp of hi as a float64 (so hi and the sign of the tail decide every case).
 */
export function roundNear32(hi: number, loSign: number): number {
  const f = Math.fround(hi);
  const a = f < 0 ? -f : f;
  if (a > _MIN_NORMAL_F32 && a < _MAX_F32) {
    const d = hi - f; // exact
    const s = d > 0 ? 1 : d < 0 ? -1 : loSign;
    if (s === 0) return f;
    env.flags |= PE;
    return env.rc === NEAREST ? f : directed(f, s, F32);
  }
  return roundTail(hi, loSign, F32);
}

/** A directed rounding of f, the nearest value, when the exact value lies on side s of it. */
function directed(f: number, s: number, fmt: FloatFormat): number {
  switch (env.rc) {
    case DOWN:
      return s < 0 ? fmt.nextDown(f) : f;
    case UP:
      return s > 0 ? fmt.nextUp(f) : f;
    default:
      return s < 0 === f > 0 ? (f > 0 ? fmt.nextDown(f) : fmt.nextUp(f)) : f;
  }
}

/** hi + loSign * t near the ends of the format's range: through the exact path. */
function roundTail(hi: number, loSign: number, fmt: FloatFormat): number {
  const { m, e } = decompose(hi);
  if (loSign === 0) return roundExact(hi < 0, m, e, false, fmt);
  // Move the tail into the significand: hi ± t lies strictly between (2m ∓ 1) and 2m halves.
  const s = hi < 0 ? -loSign : loSign;
  return roundExact(hi < 0, (m << 1n) + (s < 0 ? -1n : 0n), e - 1, true, fmt);
}

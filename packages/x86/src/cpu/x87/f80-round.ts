import { F80, F80_BIAS } from "./f80.js";
import { FpException, Rounding, type F80Env } from "./f80-env.js";

/** A binary floating-point format: significand bits and exponent range of normal numbers. */
export interface FloatFormat {
  /** Significand bits, integer bit included. */
  readonly precision: number;
  /** Exponent of the smallest normal number. */
  readonly minExp: number;
  /** Exponent of the largest finite number. */
  readonly maxExp: number;
}

/** The formats of the x87: extended at each precision-control setting, double and single. */
export const Formats = {
  Extended: { precision: 64, minExp: -16382, maxExp: 16383 },
  ExtendedDouble: { precision: 53, minExp: -16382, maxExp: 16383 },
  ExtendedSingle: { precision: 24, minExp: -16382, maxExp: 16383 },
  Double: { precision: 53, minExp: -1022, maxExp: 1023 },
  Single: { precision: 24, minExp: -126, maxExp: 127 },
} as const satisfies Record<string, FloatFormat>;

/** The extended format at a precision-control setting (24, 53, 64). */
function extendedFormat(precision: number): FloatFormat {
  return precision === 64 ? Formats.Extended : precision === 53 ? Formats.ExtendedDouble : Formats.ExtendedSingle;
}

/** A rounded finite value `sig × 2^exp`, or an overflow response. */
export interface Rounded {
  sign: number;
  /** The rounded significand (0 for a zero). */
  sig: bigint;
  /** Exponent of the significand's least significant bit. */
  exp: number;
  /** 0 finite; 1 overflowed to infinity; 2 overflowed to the largest finite number. */
  overflow: number;
}

/** Bit length of a positive bigint. */
export function bitLength(x: bigint): number {
  if (x <= 0xffffffffn) return x === 0n ? 0 : 32 - Math.clz32(Number(x));
  const hex = x.toString(16);
  return 4 * (hex.length - 1) + 32 - Math.clz32(parseInt(hex[0]!, 16));
}

/** Rounds `q` (already shifted right by `shift` bits from `sig`) per the mode; returns whether to add one. */
function roundsUp(sig: bigint, shift: number, q: bigint, sign: number, rounding: number): boolean {
  const rem = sig & ((1n << BigInt(shift)) - 1n);
  if (rem === 0n) return false;
  switch (rounding) {
    case Rounding.Nearest: {
      const half = 1n << BigInt(shift - 1);
      return rem > half || (rem === half && (q & 1n) === 1n);
    }
    case Rounding.Down:
      return sign === 1;
    case Rounding.Up:
      return sign === 0;
    default:
      return false;
  }
}

/**
 * Rounds the exact value `(-1)^sign × (sig + tail) × 2^exp` to a format, where `tail` is in
 * (0, 1) when `sticky` (bits were lost below `sig`) and 0 otherwise. Raises PE, UE (tiny and
 * inexact, tininess detected after rounding as on x86) and OE in `env` with the masked
 * responses, and sets `env.roundedUp`. A zero `sig` (without `sticky`) is an exact zero.
 */
export function roundToFormat(env: F80Env, sign: number, sig: bigint, exp: number, sticky: boolean, fmt: FloatFormat): Rounded {
  const p = fmt.precision;
  if (sig === 0n && !sticky) {
    env.roundedUp = false;
    return { sign, sig: 0n, exp, overflow: 0 }; // an exact zero (FXTRACT's exponent of 1.0)
  }
  if (sticky) {
    // Jam the lost bits into a bit below every rounding position.
    const pad = Math.max(0, p + 2 - bitLength(sig)) + 1;
    sig = (sig << BigInt(pad)) | 1n;
    exp -= pad;
  }
  const top = exp + bitLength(sig) - 1; // exponent of the leading bit
  // Unmasked OE/UE on an extended result: round as if the exponent were unbounded, then wrap it
  // (when even the wrapped exponent is out of range, the masked response stands: FSCALE).
  const wrap = fmt.maxExp === 16383 ? env.unmasked & (FpException.Overflow | FpException.Underflow) : 0;
  if (wrap & FpException.Overflow && top - WRAP > fmt.maxExp) {
    // Beyond even the wrapped range (only FSCALE gets here): the host gives infinity.
    env.flags |= FpException.Overflow | FpException.Precision;
    env.roundedUp = true;
    return { sign, sig: 1n, exp: 0, overflow: 1 };
  }
  if (wrap & FpException.Underflow && top + WRAP < fmt.minExp - 1) {
    env.flags |= FpException.Underflow | FpException.Precision; // ... and zero here
    env.roundedUp = false;
    return { sign, sig: 0n, exp: 0, overflow: 0 };
  }
  let lsb = wrap & FpException.Underflow ? top - p + 1 : Math.max(top - p + 1, fmt.minExp - p + 1);
  const shift = lsb - exp;
  let q = sig;
  let inexact = false;
  let up = false;
  if (shift > 0) {
    q = sig >> BigInt(shift);
    inexact = (sig & ((1n << BigInt(shift)) - 1n)) !== 0n;
    up = roundsUp(sig, shift, q, sign, env.rounding);
    if (up) q += 1n;
  } else {
    q = sig << BigInt(-shift);
  }
  if (q !== 0n && bitLength(q) > p) {
    q >>= 1n; // a carry out of the top: 2^p becomes 2^(p-1) one exponent up
    lsb += 1;
  }
  env.roundedUp = up;
  // With UE unmasked, an exact tiny result underflows too.
  if (!inexact && top < fmt.minExp && env.unmasked & FpException.Underflow) env.flags |= FpException.Underflow;
  if (inexact) {
    env.flags |= FpException.Precision;
    if (top < fmt.minExp && isTinyAfterRounding(sig, exp, top, sign, env.rounding, fmt)) env.flags |= FpException.Underflow;
  }
  const finalTop = q === 0n ? -Infinity : lsb + bitLength(q) - 1;
  if (finalTop > fmt.maxExp && wrap & FpException.Overflow) {
    env.flags |= FpException.Overflow;
    return { sign, sig: q, exp: lsb - WRAP, overflow: 0 };
  }
  if (finalTop < fmt.minExp && wrap & FpException.Underflow) {
    env.flags |= FpException.Underflow; // unmasked: tiny is enough, exact or not
    return { sign, sig: q, exp: lsb + WRAP, overflow: 0 };
  }
  if (finalTop > fmt.maxExp) {
    env.flags |= FpException.Overflow | FpException.Precision;
    const toInfinity =
      env.rounding === Rounding.Nearest || (env.rounding === Rounding.Up && sign === 0) || (env.rounding === Rounding.Down && sign === 1);
    env.roundedUp = toInfinity;
    return { sign, sig: (1n << BigInt(p)) - 1n, exp: fmt.maxExp - p + 1, overflow: toInfinity ? 1 : 2 };
  }
  return { sign, sig: q, exp: lsb, overflow: 0 };
}

/** IEEE tininess after rounding: would the value, rounded with an unbounded exponent, be below the smallest normal? */
function isTinyAfterRounding(sig: bigint, exp: number, top: number, sign: number, rounding: number, fmt: FloatFormat): boolean {
  if (top < fmt.minExp - 1) return true;
  const shift = top - fmt.precision + 1 - exp;
  if (shift <= 0) return true;
  const q = sig >> BigInt(shift);
  const rounded = roundsUp(sig, shift, q, sign, rounding) ? q + 1n : q;
  return bitLength(rounded) === bitLength(q); // no carry into 2^minExp
}

const F80_MIN_LSB = -16382 - 63;

/** The exponent bias adjustment of unmasked overflow and underflow responses (3 × 2^13). */
const WRAP = 24576;

/** Packs a rounded value into the extended format (denormal when below the normal range). */
export function packF80(r: Rounded): F80 {
  const signBit = r.sign << 15;
  if (r.overflow === 1) return new F80(signBit | 0x7fff, 0x80000000, 0);
  if (r.sig === 0n) return new F80(signBit, 0, 0);
  const len = bitLength(r.sig);
  const top = r.exp + len - 1;
  if (r.overflow === 2) return F80.of(signBit | 0x7ffe, r.sig << BigInt(64 - len));
  if (top >= -16382) return F80.of(signBit | (top + F80_BIAS), r.sig << BigInt(64 - len));
  return F80.of(signBit, r.sig << BigInt(r.exp - F80_MIN_LSB));
}

/** Packs a rounded value into IEEE binary64 or binary32 bits (as a bigint). */
export function packIeee(r: Rounded, fmt: FloatFormat, exponentBits: number): bigint {
  const fracBits = fmt.precision - 1;
  const signBit = BigInt(r.sign) << BigInt(fracBits + exponentBits);
  const maxBiased = (1n << BigInt(exponentBits)) - 1n;
  if (r.overflow === 1) return signBit | (maxBiased << BigInt(fracBits));
  if (r.sig === 0n) return signBit;
  const len = bitLength(r.sig);
  const top = r.exp + len - 1;
  const bias = fmt.maxExp;
  if (top >= fmt.minExp) {
    const frac = (r.sig << BigInt(fmt.precision - len)) & ((1n << BigInt(fracBits)) - 1n);
    return signBit | (BigInt(top + bias) << BigInt(fracBits)) | frac;
  }
  return signBit | (r.sig << BigInt(r.exp - (fmt.minExp - fracBits)));
}

/** Rounds an exact value to the extended format at `env.precision` and packs it. */
export function roundPack(env: F80Env, sign: number, sig: bigint, exp: number, sticky: boolean, precision = env.precision): F80 {
  return packF80(roundToFormat(env, sign, sig, exp, sticky, extendedFormat(precision)));
}

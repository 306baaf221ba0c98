import { F80, F80_BIAS, F80Kind, kindOf } from "./f80.js";
import { F80Env, FpException, Rounding } from "./f80-env.js";
import { checkDenormal, lsbExp, quiet } from "./f80-operand.js";
import { fastFromFloat64, fastToFloat64, fastToInt, float64High } from "./f80-fast.js";
import { bitLength, Formats, packIeee, roundToFormat, type FloatFormat } from "./f80-round.js";

/** The x87 "integer indefinite" pattern of an n-bit integer: the most negative value. */
export function integerIndefinite(bits: number): bigint {
  return -(1n << BigInt(bits - 1));
}

/** The exact extended value of an integer (any size that fits in 64 bits of magnitude). */
export function fromInteger(v: bigint): F80 {
  if (v === 0n) return new F80(0, 0, 0);
  const sign = v < 0n ? 1 : 0;
  const m = sign ? -v : v;
  const len = bitLength(m);
  return F80.of((sign << 15) | (len - 1 + F80_BIAS), m << BigInt(64 - len));
}

/** The exact extended value of a small integer (int16/int32). */
export function fromInt32(v: number): F80 {
  if (v === 0) return new F80(0, 0, 0);
  const sign = v < 0 ? 1 : 0;
  const m = Math.abs(v);
  const lz = Math.clz32(m);
  return new F80((sign << 15) | (31 - lz + F80_BIAS), (m << lz) >>> 0, 0);
}

/**
 * Loads IEEE bits (binary32/binary64) exactly: DE for denormals, IE and quieting for SNaN
 * (unless `keepSignaling`: an arithmetic operand stays signaling for the operation's NaN rules).
 */
function fromIeee(env: F80Env, bits: bigint, fmt: FloatFormat, exponentBits: number, keepSignaling = false): F80 {
  const fracBits = fmt.precision - 1;
  const sign = Number(bits >> BigInt(fracBits + exponentBits)) & 1;
  const biased = Number((bits >> BigInt(fracBits)) & ((1n << BigInt(exponentBits)) - 1n));
  const frac = bits & ((1n << BigInt(fracBits)) - 1n);
  const signBit = sign << 15;
  const maxBiased = (1 << exponentBits) - 1;
  if (biased === maxBiased) {
    const x = F80.of(signBit | 0x7fff, (1n << 63n) | (frac << BigInt(63 - fracBits)));
    if (frac === 0n) return x;
    if (((frac >> BigInt(fracBits - 1)) & 1n) === 0n && !keepSignaling) {
      env.flags |= FpException.Invalid;
      return quiet(x);
    }
    return x;
  }
  if (biased === 0) {
    if (frac === 0n) return new F80(signBit, 0, 0);
    env.flags |= FpException.Denormal;
    const len = bitLength(frac);
    const top = fmt.minExp - fracBits + len - 1;
    return F80.of(signBit | (top + F80_BIAS), frac << BigInt(64 - len));
  }
  return F80.of(signBit | (biased - fmt.maxExp + F80_BIAS), (1n << 63n) | (frac << BigInt(63 - fracBits)));
}

/** Loads binary32 bits (FLD m32; `keepSignaling` for an arithmetic operand, see {@link fromIeee}). */
export function fromFloat32(env: F80Env, bits: number, keepSignaling = false): F80 {
  return fromIeee(env, BigInt(bits >>> 0), Formats.Single, 8, keepSignaling);
}

/** Loads binary64 bits given as low and high halves (FLD m64; `keepSignaling` as for float32). */
export function fromFloat64(env: F80Env, lo: number, hi: number, keepSignaling = false): F80 {
  return fastFromFloat64(lo, hi) ?? fromIeee(env, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0), Formats.Double, 11, keepSignaling);
}

const scratch = new DataView(new ArrayBuffer(8));

/** The exact extended value of a JavaScript number. */
export function fromNumber(x: number): F80 {
  scratch.setFloat64(0, x, true);
  return fromFloat64(new F80Env(), scratch.getUint32(0, true), scratch.getUint32(4, true));
}

/** Stores to IEEE bits with the environment's rounding (precision control does not apply). */
function toIeee(env: F80Env, x: F80, fmt: FloatFormat, exponentBits: number): bigint {
  env.roundedUp = false;
  const fracBits = fmt.precision - 1;
  const kind = kindOf(x);
  const signBit = BigInt(x.sign) << BigInt(fracBits + exponentBits);
  const expAll = ((1n << BigInt(exponentBits)) - 1n) << BigInt(fracBits);
  switch (kind) {
    case F80Kind.Zero:
      return signBit;
    case F80Kind.Infinity:
      return signBit | expAll;
    case F80Kind.Unsupported:
      env.flags |= FpException.Invalid;
      return (1n << BigInt(fracBits + exponentBits)) | expAll | (1n << BigInt(fracBits - 1));
    case F80Kind.SNaN:
    case F80Kind.QNaN: {
      if (kind === F80Kind.SNaN) env.flags |= FpException.Invalid;
      const payload = (x.significand >> BigInt(63 - fracBits)) & ((1n << BigInt(fracBits)) - 1n);
      return signBit | expAll | payload | (1n << BigInt(fracBits - 1));
    }
  }
  // Stores do not report DE for denormal extended operands (the host CPU agrees).
  return packIeee(roundToFormat(env, x.sign, x.significand, lsbExp(x), false, fmt), fmt, exponentBits);
}

/** Converts to binary32 bits (FST m32), unsigned. */
export function toFloat32(env: F80Env, x: F80): number {
  return Number(toIeee(env, x, Formats.Single, 8));
}

/** Converts to binary64 bits (FST m64), as an unsigned bigint. */
export function toFloat64(env: F80Env, x: F80): bigint {
  const lo = fastToFloat64(env, x);
  if (lo !== undefined) return (BigInt(float64High >>> 0) << 32n) | BigInt(lo >>> 0);
  return exactToFloat64(env, x);
}

/** The reference binary64 conversion on bigints, every case included (`toFloat64` tries a faster path first). */
export function exactToFloat64(env: F80Env, x: F80): bigint {
  return toIeee(env, x, Formats.Double, 11);
}

/**
 * Rounds a finite value to an integer with a rounding mode: returns the signed integer and
 * reports inexactness and the C1 "rounded up" indication in `env` (no flags raised).
 */
function roundInteger(env: F80Env, x: F80, rounding: number): { value: bigint; inexact: boolean } {
  const sig = x.significand;
  const e = lsbExp(x);
  const sign = x.sign;
  if (e >= 0) {
    // Large values: only the magnitude matters to range checks, so cap the shift.
    const m = sig << BigInt(Math.min(e, 128));
    return { value: sign ? -m : m, inexact: false };
  }
  const shift = -e;
  let q = shift >= 128 ? 0n : sig >> BigInt(shift);
  const rem = shift >= 128 ? sig : sig & ((1n << BigInt(shift)) - 1n);
  let up = false;
  if (rem !== 0n) {
    if (rounding === Rounding.Nearest) {
      const half = shift > 128 ? 0n : 1n << BigInt(shift - 1);
      up = shift <= 128 && (rem > half || (rem === half && (q & 1n) === 1n));
    } else up = rounding === Rounding.Up ? sign === 0 : rounding === Rounding.Down ? sign === 1 : false;
  }
  if (up) q += 1n;
  env.roundedUp = up;
  return { value: sign ? -q : q, inexact: rem !== 0n };
}

/**
 * Converts to an n-bit signed integer (FIST/FISTP with the environment's rounding, or FISTTP
 * with `truncate`). NaN, infinity, unsupported encodings and out-of-range values raise IE and
 * give the integer indefinite.
 */
export function toInteger(env: F80Env, x: F80, bits: number, truncate = false): bigint {
  const flags = env.flags;
  const n = fastToInt(env, x, truncate);
  if (n !== undefined) {
    const limit = 2 ** (bits - 1);
    if (n < limit && n >= -limit) return BigInt(n);
    env.flags = flags; // out of range: the exact path reports it
  }
  return exactToInteger(env, x, bits, truncate);
}

/** The reference integer conversion on bigints, every case included (`toInteger` tries a faster path first). */
export function exactToInteger(env: F80Env, x: F80, bits: number, truncate = false): bigint {
  env.roundedUp = false;
  const kind = kindOf(x);
  if (kind === F80Kind.Zero) return 0n;
  if (kind !== F80Kind.Normal && kind !== F80Kind.Denormal && kind !== F80Kind.PseudoDenormal) {
    env.flags |= FpException.Invalid;
    return integerIndefinite(bits);
  }
  const { value, inexact } = roundInteger(env, x, truncate ? Rounding.TowardZero : env.rounding);
  const limit = 1n << BigInt(bits - 1);
  if (value >= limit || value < -limit) {
    env.roundedUp = false;
    env.flags |= FpException.Invalid;
    return integerIndefinite(bits);
  }
  if (inexact) env.flags |= FpException.Precision;
  return value;
}

/** FRNDINT: rounds to an integral value with the environment's rounding (no precision control). */
export function roundToIntegral(env: F80Env, x: F80): F80 {
  env.roundedUp = false;
  const kind = kindOf(x);
  if (kind === F80Kind.Zero || kind === F80Kind.Infinity) return x;
  if (kind === F80Kind.Unsupported) {
    env.flags |= FpException.Invalid;
    return new F80(0xffff, 0xc0000000, 0);
  }
  if (kind === F80Kind.QNaN) return x;
  if (kind === F80Kind.SNaN) {
    env.flags |= FpException.Invalid;
    return quiet(x);
  }
  checkDenormal(env, kind);
  if (lsbExp(x) >= 0) return x;
  const { value, inexact } = roundInteger(env, x, env.rounding);
  if (inexact) env.flags |= FpException.Precision;
  if (value === 0n) return new F80(x.sign << 15, 0, 0);
  return fromInteger(value);
}

const TEN18 = 10n ** 18n;

/** FBLD: loads 18 packed BCD digits and a sign byte (10 bytes at `offset`); exact. */
export function fromBcd(bytes: Uint8Array, offset: number): F80 {
  let v = 0n;
  for (let k = 8; k >= 0; k--) {
    const byte = bytes[offset + k]!;
    v = v * 100n + BigInt((byte >> 4) * 10 + (byte & 15));
  }
  const negative = (bytes[offset + 9]! & 0x80) !== 0;
  if (v === 0n) return new F80(negative ? 0x8000 : 0, 0, 0);
  return fromInteger(negative ? -v : v);
}

/**
 * FBSTP: rounds with the environment's rounding and writes 18 packed BCD digits and a sign
 * byte. NaN, infinity, unsupported encodings and magnitudes of 10^18 or more raise IE and
 * write the BCD indefinite (FF FF C0 00…).
 */
export function toBcd(env: F80Env, x: F80, out: Uint8Array, offset: number): void {
  env.roundedUp = false;
  const kind = kindOf(x);
  let value = 0n;
  let ok = kind === F80Kind.Zero;
  if (kind === F80Kind.Normal || kind === F80Kind.Denormal || kind === F80Kind.PseudoDenormal) {
    const r = roundInteger(env, x, env.rounding);
    value = r.value;
    ok = value < TEN18 && value > -TEN18;
    if (ok && r.inexact) env.flags |= FpException.Precision;
  }
  if (!ok) {
    env.roundedUp = false;
    env.flags |= FpException.Invalid;
    out.fill(0, offset, offset + 7);
    out[offset + 7] = 0xc0;
    out[offset + 8] = 0xff;
    out[offset + 9] = 0xff;
    return;
  }
  let m = value < 0n ? -value : value;
  for (let k = 0; k < 9; k++) {
    const two = Number(m % 100n);
    m /= 100n;
    out[offset + k] = ((Math.floor(two / 10) << 4) | two % 10) & 0xff;
  }
  out[offset + 9] = x.sign ? 0x80 : 0;
}

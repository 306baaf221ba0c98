import { F80, F80_INFINITY, F80Kind, kindOf } from "./f80.js";
import { FpException, Rounding, type F80Env } from "./f80-env.js";
import { checkDenormal, invalid, lsbExp, pairKinds, propagateNaN, screenPair } from "./f80-operand.js";
import { fastAdd, fastDiv, fastMul, fastSqrt } from "./f80-fast.js";
import { bitLength, roundPack } from "./f80-round.js";

const ZERO = F80Kind.Zero;
const INF = F80Kind.Infinity;

function signedZero(sign: number): F80 {
  return new F80(sign << 15, 0, 0);
}

function infinity(sign: number): F80 {
  return F80_INFINITY.withSign(sign);
}

/** `a + b` at the environment's rounding and precision. */
export function add(env: F80Env, a: F80, b: F80): F80 {
  return fastAdd(env, a, b, b.sign) ?? exactAdd(env, a, b, b.sign);
}

/** `a - b` at the environment's rounding and precision. */
export function sub(env: F80Env, a: F80, b: F80): F80 {
  return fastAdd(env, a, b, b.sign ^ 1) ?? exactAdd(env, a, b, b.sign ^ 1);
}

/**
 * The reference addition on bigints, every case included (`add` and `sub` try a faster path
 * on limbs first): `a + b` with b's sign replaced by `signB`.
 */
export function exactAdd(env: F80Env, a: F80, b: F80, signB: number): F80 {
  const nan = screenPair(env, a, b);
  if (nan) return nan;
  const ka = pairKinds.a;
  const kb = pairKinds.b;
  checkDenormal(env, ka, kb);
  const signA = a.sign;
  if (ka === INF || kb === INF) {
    if (ka === INF && kb === INF && signA !== signB) return invalid(env);
    return ka === INF ? a : infinity(signB);
  }
  if (ka === ZERO && kb === ZERO) {
    const sign = signA === signB ? signA : env.rounding === Rounding.Down ? 1 : 0;
    return signedZero(sign);
  }
  if (kb === ZERO) return roundPack(env, signA, a.significand, lsbExp(a), false);
  if (ka === ZERO) return roundPack(env, signB, b.significand, lsbExp(b), false);
  let ea = lsbExp(a);
  let eb = lsbExp(b);
  let sa = a.significand;
  let sb = b.significand;
  // Far apart: the smaller operand only decides rounding, so it shrinks to a sticky unit below
  // three guard bits (every rounding position of every precision is above it).
  if (ea - eb > 140) {
    sa <<= 3n;
    ea -= 3;
    return roundPack(env, signA, signA === signB ? sa + 1n : sa - 1n, ea, false);
  }
  if (eb - ea > 140) {
    sb <<= 3n;
    eb -= 3;
    return roundPack(env, signB, signA === signB ? sb + 1n : sb - 1n, eb, false);
  }
  const e = Math.min(ea, eb);
  sa <<= BigInt(ea - e);
  sb <<= BigInt(eb - e);
  const sum = (signA ? -sa : sa) + (signB ? -sb : sb);
  if (sum === 0n) return signedZero(env.rounding === Rounding.Down ? 1 : 0);
  return sum < 0n ? roundPack(env, 1, -sum, e, false) : roundPack(env, 0, sum, e, false);
}

/** `a × b` at the environment's rounding and precision. */
export function mul(env: F80Env, a: F80, b: F80): F80 {
  return fastMul(env, a, b) ?? exactMul(env, a, b);
}

/** The reference multiplication on bigints, every case included (`mul` tries a faster path first). */
export function exactMul(env: F80Env, a: F80, b: F80): F80 {
  const nan = screenPair(env, a, b);
  if (nan) return nan;
  const ka = pairKinds.a;
  const kb = pairKinds.b;
  checkDenormal(env, ka, kb);
  const sign = a.sign ^ b.sign;
  if (ka === INF || kb === INF) {
    if (ka === ZERO || kb === ZERO) return invalid(env);
    return infinity(sign);
  }
  if (ka === ZERO || kb === ZERO) return signedZero(sign);
  return roundPack(env, sign, a.significand * b.significand, lsbExp(a) + lsbExp(b), false);
}

/** `a / b` at the environment's rounding and precision. */
export function div(env: F80Env, a: F80, b: F80): F80 {
  return fastDiv(env, a, b) ?? exactDiv(env, a, b);
}

/** The reference division on bigints, every case included (`div` tries a faster path first). */
export function exactDiv(env: F80Env, a: F80, b: F80): F80 {
  const nan = screenPair(env, a, b);
  if (nan) return nan;
  const ka = pairKinds.a;
  const kb = pairKinds.b;
  const sign = a.sign ^ b.sign;
  if (ka === INF) {
    if (kb === INF) return invalid(env);
    checkDenormal(env, kb);
    return infinity(sign);
  }
  if (kb === INF) {
    checkDenormal(env, ka);
    return signedZero(sign);
  }
  if (kb === ZERO) {
    if (ka === ZERO) return invalid(env);
    // The host reports only ZE here, even for a denormal dividend.
    env.flags |= FpException.ZeroDivide;
    return infinity(sign);
  }
  checkDenormal(env, ka, kb);
  if (ka === ZERO) return signedZero(sign);
  const sa = a.significand;
  const sb = b.significand;
  // Enough quotient bits for every precision plus guard bits; the remainder is the sticky bit.
  const k = Math.max(0, 68 + bitLength(sb) - bitLength(sa));
  const n = sa << BigInt(k);
  const q = n / sb;
  return roundPack(env, sign, q, lsbExp(a) - lsbExp(b) - k, n !== q * sb);
}

/** Integer square root (floor) of a non-negative bigint. */
export function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt((bitLength(n) + 1) >> 1); // >= sqrt(n)
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** `√a` at the environment's rounding and precision. */
export function sqrt(env: F80Env, a: F80): F80 {
  return fastSqrt(env, a) ?? exactSqrt(env, a);
}

/** The reference square root on bigints, every case included (`sqrt` tries a faster path first). */
export function exactSqrt(env: F80Env, a: F80): F80 {
  env.roundedUp = false;
  const ka = kindOf(a);
  const nan = propagateNaN(env, a, ka);
  if (nan) return nan;
  if (ka === ZERO) return a;
  if (a.sign) return invalid(env);
  if (ka === INF) return a;
  checkDenormal(env, ka);
  let s = a.significand;
  let e = lsbExp(a);
  // Scale to an even exponent and at least 2 × 68 bits so the root has guard bits.
  let k = Math.max(0, 136 - bitLength(s));
  if ((e - k) & 1) k++;
  s <<= BigInt(k);
  e -= k;
  const r = isqrt(s);
  return roundPack(env, 0, r, e / 2, r * r !== s);
}

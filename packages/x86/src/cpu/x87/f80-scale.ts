import { F80, F80_BIAS, F80_INFINITY, F80Kind, kindOf } from "./f80.js";
import { FpException, type F80Env } from "./f80-env.js";
import { checkDenormal, invalid, lsbExp, pairKinds, propagateNaN, screenPair } from "./f80-operand.js";
import { bitLength, roundPack } from "./f80-round.js";

/** Exponents beyond this overflow or underflow every operand, so larger scales are clamped. */
const SCALE_LIMIT = 1 << 16;

/** FSCALE: `a × 2^trunc(b)`, rounded to 64 bits with the environment's rounding. */
export function scale(env: F80Env, a: F80, b: F80): F80 {
  const nan = screenPair(env, a, b);
  if (nan) return nan;
  const ka = pairKinds.a;
  const kb = pairKinds.b;
  if (kb === F80Kind.Infinity) {
    if (b.sign === 0 && ka === F80Kind.Zero) return invalid(env);
    if (b.sign === 1 && ka === F80Kind.Infinity) return invalid(env);
    checkDenormal(env, ka);
    if (ka === F80Kind.Zero || ka === F80Kind.Infinity) return a;
    return b.sign ? new F80(a.sign << 15, 0, 0) : F80_INFINITY.withSign(a.sign);
  }
  checkDenormal(env, ka, kb);
  if (ka === F80Kind.Zero || ka === F80Kind.Infinity) return a;
  let n = 0;
  if (kb !== F80Kind.Zero) {
    const e = lsbExp(b);
    const top = e + bitLength(b.significand) - 1;
    if (top >= 20) n = SCALE_LIMIT;
    else if (top >= 0) n = Number(e >= 0 ? b.significand << BigInt(e) : b.significand >> BigInt(-e));
    if (b.sign) n = -n;
  }
  return roundPack(env, a.sign, a.significand, lsbExp(a) + n, false, 64);
}

/** FXTRACT's two results: the unbiased exponent (new ST1) and the significand scaled to [1, 2) (new ST0). */
export interface Extracted {
  exponent: F80;
  significand: F80;
}

/** FXTRACT: splits `a` into exponent and significand. Zero raises ZE and gives exponent -∞. */
export function extract(env: F80Env, a: F80): Extracted {
  env.roundedUp = false;
  const ka = kindOf(a);
  const nan = propagateNaN(env, a, ka);
  if (nan) return { exponent: nan, significand: nan };
  if (ka === F80Kind.Zero) {
    env.flags |= FpException.ZeroDivide;
    return { exponent: F80_INFINITY.withSign(1), significand: a };
  }
  if (ka === F80Kind.Infinity) return { exponent: F80_INFINITY, significand: a };
  checkDenormal(env, ka);
  const sig = a.significand;
  const len = bitLength(sig);
  const top = lsbExp(a) + len - 1;
  const exponent = roundPack(env, top < 0 ? 1 : 0, BigInt(Math.abs(top)), 0, false, 64);
  return { exponent, significand: F80.of((a.sign << 15) | F80_BIAS, sig << BigInt(64 - len)) };
}

import { F80, F80_BIAS, F80_DEFAULT_NAN, F80Kind, isDenormalKind, kindOf } from "./f80.js";
import { FpException, type F80Env } from "./f80-env.js";

/** Exponent of the significand's least significant bit of a finite value: `x = sig × 2^lsbExp(x)`. */
export function lsbExp(x: F80): number {
  // Denormals and pseudo-denormals share exponent 1 with the smallest normals.
  return Math.max(x.exponent, 1) - F80_BIAS - 63;
}

/** Quiets a NaN (sets the significand's top fraction bit). */
export function quiet(x: F80): F80 {
  return new F80(x.se, (x.hi | 0x40000000) >>> 0, x.lo);
}

/**
 * The x87 NaN rules for an operation whose operands include a NaN or an unsupported encoding:
 * an unsupported operand or any SNaN raises IE; an unsupported operand gives the default NaN;
 * an SNaN and a QNaN give the QNaN; two NaNs of the same kind give the one with the larger
 * significand (on a tie, the one with the smaller sign/exponent word, i.e. the positive one).
 * Returns undefined when neither operand is a NaN or unsupported.
 */
export function propagateNaN(env: F80Env, a: F80, ka: number, b?: F80, kb: number = F80Kind.Zero): F80 | undefined {
  if (ka === F80Kind.Unsupported || kb === F80Kind.Unsupported) {
    env.flags |= FpException.Invalid;
    return F80_DEFAULT_NAN;
  }
  const aNaN = ka === F80Kind.QNaN || ka === F80Kind.SNaN;
  const bNaN = kb === F80Kind.QNaN || kb === F80Kind.SNaN;
  if (!aNaN && !bNaN) return undefined;
  if (ka === F80Kind.SNaN || kb === F80Kind.SNaN) env.flags |= FpException.Invalid;
  if (!bNaN || b === undefined) return quiet(a);
  if (!aNaN) return quiet(b);
  if (ka !== kb) return quiet(ka === F80Kind.QNaN ? a : b);
  const sa = a.significand;
  const sb = b.significand;
  if (sa !== sb) return quiet(sa > sb ? a : b);
  return quiet(a.se <= b.se ? a : b);
}

/** The operand kinds {@link screenPair} found (reused, so an operation allocates nothing). */
export const pairKinds = { a: 0, b: 0 };

/**
 * Starts a two-operand operation: clears C1, classifies both operands into {@link pairKinds},
 * and returns the result when an operand is a NaN or unsupported (see {@link propagateNaN}).
 */
export function screenPair(env: F80Env, a: F80, b: F80): F80 | undefined {
  env.roundedUp = false;
  const ka = (pairKinds.a = kindOf(a));
  const kb = (pairKinds.b = kindOf(b));
  return propagateNaN(env, a, ka, b, kb);
}

/** Raises DE when any of the kinds is a denormal or pseudo-denormal. */
export function checkDenormal(env: F80Env, ka: number, kb: number = F80Kind.Zero): void {
  if (isDenormalKind(ka) || isDenormalKind(kb)) env.flags |= FpException.Denormal;
}

/** Signals an invalid operation and returns the default NaN. */
export function invalid(env: F80Env): F80 {
  env.flags |= FpException.Invalid;
  return F80_DEFAULT_NAN;
}

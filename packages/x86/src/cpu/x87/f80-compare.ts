import { F80, F80Kind, kindOf } from "./f80.js";
import { FpException, type F80Env } from "./f80-env.js";
import { checkDenormal, lsbExp } from "./f80-operand.js";
import { bitLength } from "./f80-round.js";

/** The outcome of a comparison. */
export const Relation = {
  Greater: 0,
  Less: 1,
  Equal: 2,
  Unordered: 3,
} as const;

/** Condition-code bits of the status word. */
export const Cc = {
  C0: 0x0100,
  C1: 0x0200,
  C2: 0x0400,
  C3: 0x4000,
} as const;

/** The status-word condition codes FCOM/FUCOM/FTST set for a {@link Relation}: C3 C2 C0. */
export const RELATION_CC = [0, Cc.C0, Cc.C3, Cc.C3 | Cc.C2 | Cc.C0] as const;

/** Exponent of the leading significand bit of a nonzero finite value. */
function topExp(x: F80): number {
  return lsbExp(x) + bitLength(x.significand) - 1;
}

/** Compares finite or infinite magnitudes and signs (no NaNs). */
function order(a: F80, ka: number, b: F80, kb: number): number {
  const aZero = ka === F80Kind.Zero;
  const bZero = kb === F80Kind.Zero;
  if (aZero && bZero) return Relation.Equal;
  const sa = aZero ? 0 : a.sign ? -1 : 1;
  const sb = bZero ? 0 : b.sign ? -1 : 1;
  if (sa !== sb) return sa < sb ? Relation.Less : Relation.Greater;
  // Same sign, both nonzero: compare magnitudes.
  let mag: number;
  if (ka === F80Kind.Infinity || kb === F80Kind.Infinity) {
    mag = ka === kb ? 0 : ka === F80Kind.Infinity ? 1 : -1;
  } else {
    const ea = topExp(a);
    const eb = topExp(b);
    if (ea !== eb) mag = ea > eb ? 1 : -1;
    else {
      const ma = a.significand << BigInt(63 - (bitLength(a.significand) - 1));
      const mb = b.significand << BigInt(63 - (bitLength(b.significand) - 1));
      mag = ma === mb ? 0 : ma > mb ? 1 : -1;
    }
  }
  if (mag === 0) return Relation.Equal;
  return mag * sa > 0 ? Relation.Greater : Relation.Less;
}

/**
 * Compares `a` with `b`. An ordered comparison (FCOM, FCOMI, FTST) raises IE for any NaN; an
 * unordered one (FUCOM, FUCOMI) only for an SNaN. Unsupported encodings are always invalid and
 * unordered; denormal operands raise DE.
 */
export function compare(env: F80Env, a: F80, b: F80, ordered: boolean): number {
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka === F80Kind.Unsupported || kb === F80Kind.Unsupported) {
    env.flags |= FpException.Invalid;
    return Relation.Unordered;
  }
  const aNaN = ka === F80Kind.QNaN || ka === F80Kind.SNaN;
  const bNaN = kb === F80Kind.QNaN || kb === F80Kind.SNaN;
  if (aNaN || bNaN) {
    if (ordered || ka === F80Kind.SNaN || kb === F80Kind.SNaN) env.flags |= FpException.Invalid;
    return Relation.Unordered;
  }
  checkDenormal(env, ka, kb);
  return order(a, ka, b, kb);
}

/**
 * FXAM's classification as status-word bits: C1 is the sign; C3 C2 C0 give the class
 * (unsupported 000, NaN 001, normal 010, infinity 011, zero 100, empty 101, denormal 110).
 */
export function examine(x: F80, empty: boolean): number {
  const sign = x.sign ? Cc.C1 : 0;
  if (empty) return sign | Cc.C3 | Cc.C0;
  switch (kindOf(x)) {
    case F80Kind.Unsupported:
      return sign;
    case F80Kind.QNaN:
    case F80Kind.SNaN:
      return sign | Cc.C0;
    case F80Kind.Normal:
      return sign | Cc.C2;
    case F80Kind.Infinity:
      return sign | Cc.C2 | Cc.C0;
    case F80Kind.Zero:
      return sign | Cc.C3;
    default:
      return sign | Cc.C3 | Cc.C2;
  }
}

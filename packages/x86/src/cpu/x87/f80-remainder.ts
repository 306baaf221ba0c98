import { F80, F80Kind } from "./f80.js";
import { Rounding, type F80Env } from "./f80-env.js";
import { Cc } from "./f80-compare.js";
import { checkDenormal, invalid, lsbExp, pairKinds, screenPair } from "./f80-operand.js";
import { bitLength, roundPack } from "./f80-round.js";

/** The result of FPREM/FPREM1: the new ST0 and the condition codes (C2 = incomplete, C0 C3 C1 = Q2 Q1 Q0). */
export interface Remainder {
  value: F80;
  /** C0 C1 C2 C3 as set; -1 when the result is a NaN (the host then clears C2 and keeps C0 C1 C3). */
  cc: number;
}

/**
 * The N of an incomplete FPREM step for exponent difference `d` (Intel: "an implementation-
 * dependent number between 32 and 63"). The host CPU reduces the exponent by a multiple of
 * 32: N = 32 + (d mod 32).
 */
function partialRemainderBits(d: number): number {
  return 32 + (d & 31);
}

/**
 * FPREM (`nearest` false: quotient truncated, as C's fmod) and FPREM1 (`nearest` true:
 * quotient rounded to nearest even, IEEE remainder). When the exponents differ by 64 or more
 * the reduction is partial and C2 is set; software loops until C2 is clear.
 */
export function remainder(env: F80Env, a: F80, b: F80, nearest: boolean): Remainder {
  const nan = screenPair(env, a, b);
  if (nan) return { value: nan, cc: -1 };
  const ka = pairKinds.a;
  const kb = pairKinds.b;
  if (ka === F80Kind.Infinity || kb === F80Kind.Zero) return { value: invalid(env), cc: -1 };
  checkDenormal(env, ka, kb);
  if (ka === F80Kind.Zero) return { value: a, cc: 0 };
  const sa = a.significand;
  const ea = lsbExp(a);
  // Quotient 0: the value is renormalised (a pseudo-denormal becomes normal).
  if (kb === F80Kind.Infinity) return { value: exact(env, a.sign, sa, ea), cc: 0 };
  const sb = b.significand;
  const eb = lsbExp(b);
  const d = ea + bitLength(sa) - (eb + bitLength(sb));
  if (d >= 64) {
    // Partial: subtract b × 2^(d-N) × trunc(a / (b × 2^(d-N))).
    const k = d - partialRemainderBits(d);
    const lsb = Math.min(ea, eb + k);
    const na = sa << BigInt(ea - lsb);
    const nb = sb << BigInt(eb + k - lsb);
    const r = na % nb;
    return { value: exact(env, a.sign, r, lsb), cc: Cc.C2 };
  }
  // |a| < |b| / 2: quotient 0 either way.
  if (d < -1) return { value: exact(env, a.sign, sa, ea), cc: 0 };
  const lsb = Math.min(ea, eb);
  const na = sa << BigInt(ea - lsb);
  const nb = sb << BigInt(eb - lsb);
  let q = na / nb;
  let r = na - q * nb;
  if (nearest && (2n * r > nb || (2n * r === nb && (q & 1n) === 1n))) {
    q += 1n;
    r -= nb; // now negative: the result's sign flips
  }
  const sign = r < 0n ? a.sign ^ 1 : a.sign;
  const qBits = Number(q & 7n);
  const cc = (qBits & 4 ? Cc.C0 : 0) | (qBits & 2 ? Cc.C3 : 0) | (qBits & 1 ? Cc.C1 : 0);
  return { value: exact(env, sign, r < 0n ? -r : r, lsb), cc };
}

/** Packs an exactly representable magnitude (zero keeps the dividend's sign). */
function exact(env: F80Env, sign: number, sig: bigint, lsb: number): F80 {
  if (sig === 0n) return new F80(sign << 15, 0, 0);
  const saved = env.rounding;
  env.rounding = Rounding.Nearest;
  const v = roundPack(env, sign, sig, lsb, false, 64);
  env.rounding = saved;
  return v;
}

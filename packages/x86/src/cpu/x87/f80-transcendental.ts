import { F80, F80_INFINITY, F80_ONE, F80Kind, isDenormalKind, kindOf } from "./f80.js";
import { F80Env, FpException } from "./f80-env.js";
import { add, div, mul, sub } from "./f80-arith.js";
import { fromNumber } from "./f80-convert.js";
import { invalid, lsbExp, pairKinds, propagateNaN, screenPair } from "./f80-operand.js";
import { bitLength, roundPack } from "./f80-round.js";

// The transcendental instructions are computed in double precision after an exact argument
// reduction: their results carry about 53 good bits where the hardware gives about 64 (see the
// package README). Tiny arguments, where the function is the argument times a constant, and all
// special operands are exact and match the host bit for bit.

/**
 * pi/2 × 2^127 (pi/2 = PI_HALF × 2^-127) truncated to the 66 bits the hardware reduces with:
 * the host's fsin(pi rounded to 64 bits) is exactly -2^-64, which only a 66-bit pi gives.
 */
const PI_HALF = 0xc90fdaa22168c234c000000000000000n;

/** ln 2 × 2^128 to 128 bits (rounded down). */
const LN2 = 0xb17217f7d1cf79abc9e3b39803f2f6afn;

/** log2(e) × 2^127 to 128 bits (rounded down; the sticky bit accounts for the rest). */
const L2E = 0xb8aa3b295c17f0bbbe87fed0691d3e89n;

/** Exponent of the leading significand bit (nonzero finite values). */
function topExp(x: F80): number {
  return lsbExp(x) + bitLength(x.significand) - 1;
}

/** The significand scaled to [1, 2) as a double (the exponent is {@link topExp}). */
function mantissa(x: F80): number {
  const sig = x.significand;
  return Number(sig) / 2 ** (bitLength(sig) - 1);
}

/** A 64-bit environment with the caller's rounding (transcendentals ignore precision control). */
function fullPrecision(env: F80Env): F80Env {
  const e = new F80Env();
  e.rounding = env.rounding;
  return e;
}

/** Runs `f` at 64-bit precision, merges its flags into `env`, and marks the result inexact. */
function approximate(env: F80Env, f: (e: F80Env) => F80): F80 {
  const e = fullPrecision(env);
  const r = f(e);
  env.flags |= e.flags | FpException.Precision;
  env.roundedUp = e.roundedUp;
  return r;
}

/** `(-1)^sign × (|x| + δ)` (`above`) or `(|x| − δ)` for an infinitesimal δ, rounded: f(x) ≈ x for tiny x. */
function nudged(env: F80Env, x: F80, above: boolean): F80 {
  const sig = x.significand << 3n;
  return roundPack(env, x.sign, above ? sig + 1n : sig - 1n, lsbExp(x) - 3, false, 64);
}

/** Outcome of a trigonometric instruction: results, or `outOfRange` (C2 set, operand kept). */
export interface TrigResult {
  outOfRange: boolean;
  /** sin, cos or tan (FSIN, FCOS, FPTAN) or sin (FSINCOS). */
  value: F80;
  /** FSINCOS: the cosine. */
  second: F80;
}

const TWO_63_EXP = 0x3fff + 63;

/** Reduces `x` modulo pi/2 exactly enough: the remainder as a double in [-pi/4, pi/4] and the quadrant. */
function reduce(x: F80): { r: number; quadrant: number } {
  const e = lsbExp(x) + 127;
  const big = e >= 0 ? x.significand << BigInt(e) : x.significand >> BigInt(-e);
  const k = (big + (PI_HALF >> 1n)) / PI_HALF;
  const rem = big - k * PI_HALF;
  const r = (Number(rem) * 2 ** -127) * (x.sign ? -1 : 1);
  const quadrant = Number(k & 3n);
  return { r, quadrant: x.sign ? (4 - quadrant) & 3 : quadrant };
}

function sinOf(r: number, q: number): number {
  return q === 0 ? Math.sin(r) : q === 1 ? Math.cos(r) : q === 2 ? -Math.sin(r) : -Math.cos(r);
}

/** FSIN (`fn` "sin"), FCOS ("cos"), FPTAN ("tan"), FSINCOS ("sincos"). */
export function trig(env: F80Env, a: F80, fn: "sin" | "cos" | "tan" | "sincos"): TrigResult {
  env.roundedUp = false;
  const ka = kindOf(a);
  const nan = propagateNaN(env, a, ka);
  if (nan) return { outOfRange: false, value: nan, second: nan };
  if (ka === F80Kind.Infinity) {
    const v = invalid(env);
    return { outOfRange: false, value: v, second: v };
  }
  if (a.exponent >= TWO_63_EXP) return { outOfRange: true, value: a, second: a };
  if (isDenormalKind(ka)) env.flags |= FpException.Denormal;
  if (ka === F80Kind.Zero) return { outOfRange: false, value: fn === "cos" ? F80_ONE : a, second: F80_ONE };
  if (topExp(a) < -33) {
    // sin x = x − x³/6, tan x = x + x³/3, cos x = 1 − x²/2: the correction is below every rounding bit.
    const below = fullPrecision(env);
    const one = approximate(env, (e) => nudged(e, F80_ONE, false));
    const value = fn === "cos" ? one : approximate(env, (e) => nudged(e, a, fn === "tan"));
    if (fn !== "cos") env.flags |= below.flags;
    return { outOfRange: false, value, second: one };
  }
  const { r, quadrant } = reduce(a);
  const s = sinOf(r, quadrant);
  const c = sinOf(r, (quadrant + 1) & 3);
  const v = fn === "cos" ? c : fn === "tan" ? s / c : s;
  return { outOfRange: false, value: approximate(env, () => fromNumber(v)), second: fromNumber(c) };
}

/** F2XM1: `2^a − 1`. Outside −1 ≤ a ≤ 1 the host returns the operand unchanged (and so do we). */
export function twoToXMinus1(env: F80Env, a: F80): F80 {
  env.roundedUp = false;
  const ka = kindOf(a);
  const nan = propagateNaN(env, a, ka);
  if (nan) return nan;
  if (ka === F80Kind.Zero) return a;
  if (ka === F80Kind.Infinity) return a.sign ? F80_ONE.withSign(1) : a;
  if (isDenormalKind(ka)) env.flags |= FpException.Denormal;
  const top = topExp(a);
  if (top >= 0 && !(top === 0 && a.significand === 1n << 63n)) {
    env.flags |= FpException.Precision;
    return a;
  }
  if (top < -60) {
    // 2^a − 1 = a × ln 2 × (1 + a ln2 / 2 + …): one rounding of the exact product.
    return approximate(env, (e) => roundPack(e, a.sign, a.significand * LN2, lsbExp(a) - 128, true, 64));
  }
  return approximate(env, () => fromNumber(Math.expm1(a.toNumber() * Math.LN2)));
}

/** A multiple of pi (numerator/2^shift × pi), rounded. */
function piTimes(env: F80Env, sign: number, numerator: bigint, shift: number): F80 {
  return approximate(env, (e) => roundPack(e, sign, numerator * PI_HALF, -126 - shift, false, 64));
}

/** FPATAN: `atan2(y, x)` with y = ST1, x = ST0. */
export function arctan(env: F80Env, y: F80, x: F80): F80 {
  const nan = screenPair(env, y, x);
  if (nan) return nan;
  const ky = pairKinds.a;
  const kx = pairKinds.b;
  if (isDenormalKind(ky) || isDenormalKind(kx)) env.flags |= FpException.Denormal;
  const sy = y.sign;
  const xInf = kx === F80Kind.Infinity;
  if (ky === F80Kind.Zero) return x.sign ? piTimes(env, sy, 1n, 0) : new F80(sy << 15, 0, 0);
  if (ky === F80Kind.Infinity) return xInf ? piTimes(env, sy, x.sign ? 3n : 1n, 2) : piTimes(env, sy, 1n, 1);
  if (kx === F80Kind.Zero) return piTimes(env, sy, 1n, 1);
  if (xInf) return x.sign ? piTimes(env, sy, 1n, 0) : new F80(sy << 15, 0, 0);
  const ty = topExp(y);
  const tx = topExp(x);
  if (ty - tx > 66) return piTimes(env, sy, 1n, 1);
  if (ty - tx < -66) {
    if (x.sign) return piTimes(env, sy, 1n, 0);
    return approximate(env, (e) => div(e, y, x)); // atan t = t − t³/3: t is exact enough
  }
  // atan2 only depends on the ratio: scale both into the double range.
  const s = Math.max(ty, tx);
  const yd = (sy ? -1 : 1) * mantissa(y) * 2 ** (ty - s);
  const xd = (x.sign ? -1 : 1) * mantissa(x) * 2 ** (tx - s);
  return approximate(env, () => fromNumber(Math.atan2(yd, xd)));
}

/** log2 of a positive finite value as a double, keeping the range of extended exponents. */
function log2Of(x: F80): number {
  const t = topExp(x);
  if (t !== 0 && t !== -1) return t + Math.log2(mantissa(x));
  // Near 1: x − 1 is exact (Sterbenz), and log1p keeps its relative precision.
  return Math.log1p(sub(new F80Env(), x, F80_ONE).toNumber()) / Math.LN2;
}

/** FYL2X: `y × log2(x)` with y = ST1, x = ST0. */
export function yLog2X(env: F80Env, y: F80, x: F80): F80 {
  const nan = screenPair(env, y, x);
  if (nan) return nan;
  const ky = pairKinds.a;
  const kx = pairKinds.b;
  if (x.sign && kx !== F80Kind.Zero) return invalid(env);
  if (isDenormalKind(ky) || isDenormalKind(kx)) env.flags |= FpException.Denormal;
  if (kx === F80Kind.Zero) {
    if (ky === F80Kind.Zero) return invalid(env);
    if (ky !== F80Kind.Infinity) env.flags |= FpException.ZeroDivide;
    return F80_INFINITY.withSign(y.sign ^ 1);
  }
  const lg = kx === F80Kind.Infinity ? Infinity : log2Of(x);
  // Exact cases (x = 1, y zero or infinite, x infinite): the product's own rules apply.
  if (lg === 0 || ky === F80Kind.Zero || ky === F80Kind.Infinity || kx === F80Kind.Infinity) return mul(env, y, fromNumber(lg));
  return approximate(env, (e) => mul(e, y, fromNumber(lg)));
}

/** FYL2XP1: `y × log2(x + 1)` with y = ST1, x = ST0 (the hardware's domain is |x| < 1 − √2/2). */
export function yLog2XPlus1(env: F80Env, y: F80, x: F80): F80 {
  const nan = screenPair(env, y, x);
  if (nan) return nan;
  const ky = pairKinds.a;
  const kx = pairKinds.b;
  if (isDenormalKind(ky) || isDenormalKind(kx)) env.flags |= FpException.Denormal;
  if (kx === F80Kind.Zero || ky === F80Kind.Zero) {
    if (kx === F80Kind.Infinity || ky === F80Kind.Infinity) return invalid(env);
    return new F80((x.sign ^ y.sign) << 15, 0, 0);
  }
  if (kx !== F80Kind.Infinity && ky !== F80Kind.Infinity && topExp(x) < -60) {
    // log2(1 + x) = x × log2(e) × (1 − x/2 + …): the correction is below every rounding bit,
    // and the product y × x × log2(e) is rounded once (x may be a denormal).
    const sig = y.significand * x.significand * L2E;
    return approximate(env, (e) => roundPack(e, x.sign ^ y.sign, sig, lsbExp(x) + lsbExp(y) - 127, true, 64));
  }
  if (x.sign && (kx === F80Kind.Infinity || topExp(x) >= 0) && !x.withSign(0).equals(F80_ONE)) {
    if (ky === F80Kind.Infinity) return F80_INFINITY.withSign(y.sign ^ 1);
    // Below −1 (outside any domain) the host returns the operand unchanged.
    env.flags |= FpException.Precision;
    return x;
  }
  let lg: number;
  if (kx === F80Kind.Infinity) lg = Infinity;
  else if (x.sign && x.withSign(0).equals(F80_ONE)) lg = -Infinity;
  else if (topExp(x) >= 0) lg = log2Of(add(new F80Env(), x, F80_ONE));
  else lg = Math.log1p(x.toNumber()) / Math.LN2;
  if (ky === F80Kind.Infinity || kx === F80Kind.Infinity || lg === -Infinity) {
    if (lg === -Infinity && ky !== F80Kind.Infinity) env.flags |= FpException.ZeroDivide;
    return mul(env, y, fromNumber(lg));
  }
  return approximate(env, (e) => mul(e, y, fromNumber(lg)));
}

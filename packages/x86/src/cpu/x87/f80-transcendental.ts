import { F80, F80_INFINITY, F80_ONE, F80Kind, isDenormalKind, kindOf } from "./f80.js";
import { F80Env, FpException } from "./f80-env.js";
import { div, isqrt, mul } from "./f80-arith.js";
import {
  big,
  bfAdd,
  bfDiv,
  bfDivInt,
  bfMul,
  bfSqrt,
  bfSub,
  series,
  topOf,
  type BigFloat,
} from "./big-float.js";
import { invalid, lsbExp, pairKinds, propagateNaN, screenPair } from "./f80-operand.js";
import { bitLength, roundPack } from "./f80-round.js";

// The transcendental instructions are evaluated with about 140-bit binary floating point on
// bigints (series after exact argument reduction) and rounded once to 64 bits, so results are
// within an ulp of the hardware's (see the README). Tiny arguments, where the function is the
// argument times a constant, and all special operands match the host bit for bit.

/**
 * pi/2 × 2^127 (pi/2 = PI_HALF × 2^-127) truncated to the 66 bits the hardware reduces with:
 * the host's fsin(pi rounded to 64 bits) is exactly -2^-64, which only a 66-bit pi gives.
 */
const PI_HALF = 0xc90fdaa22168c234c000000000000000n;

/** pi × 2^126 to 128 bits (FPATAN's quadrants use the full constant). */
const PI = 0xc90fdaa22168c234c4c6628b80dc1cd1n;

/** √2 × 2^63, to compare significands with. */
const SQRT2_SIG = 0xb504f333f9de6484n;

/** ln 2 × 2^128 to 128 bits (rounded down). */
const LN2 = 0xb17217f7d1cf79abc9e3b39803f2f6afn;

/** log2(e) × 2^127 to 128 bits (rounded down; the sticky bit accounts for the rest). */
const L2E = 0xb8aa3b295c17f0bbbe87fed0691d3e89n;

/** Exponent of the leading significand bit (nonzero finite values). */
function topExp(x: F80): number {
  return lsbExp(x) + bitLength(x.significand) - 1;
}

/** The exact value of a finite operand. */
function exact(x: F80): BigFloat {
  return big(x.sign ? -x.significand : x.significand, lsbExp(x));
}

/** Rounds a big-float result to 64 bits with the environment's rounding. */
function rounded(env: F80Env, v: BigFloat): F80 {
  if (v.m === 0n) return new F80(0, 0, 0);
  return roundPack(env, v.m < 0n ? 1 : 0, v.m < 0n ? -v.m : v.m, v.e, false, 64);
}

const ONE_BIG = big(1n);

/** sin r for |r| ≤ pi/4: r − r³/3! + r⁵/5! − … */
function sinSeries(r: BigFloat): BigFloat {
  const r2 = bfMul(r, r);
  return series(r, (t, k) => bfDivInt(bfMul(t, { m: -r2.m, e: r2.e }), 2 * k * (2 * k + 1)));
}

/** cos r for |r| ≤ pi/4: 1 − r²/2! + r⁴/4! − … */
function cosSeries(r: BigFloat): BigFloat {
  const r2 = bfMul(r, r);
  return series(ONE_BIG, (t, k) => bfDivInt(bfMul(t, { m: -r2.m, e: r2.e }), (2 * k - 1) * (2 * k)));
}

/** e^y − 1 for |y| < 1: y + y²/2! + y³/3! + … */
function expm1Series(y: BigFloat): BigFloat {
  return series(y, (t, k) => bfDivInt(bfMul(t, y), k + 1));
}

/** atanh s for |s| < 1/2: s + s³/3 + s⁵/5 + … */
function atanhSeries(s: BigFloat): BigFloat {
  const s2 = bfMul(s, s);
  return series(s, (u, k) => bfDivInt(bfMul(bfMul(u, s2), big(BigInt(2 * k - 1))), 2 * k + 1));
}

/** ln v for v > 0, any magnitude: v = m·2^t with m in [√2/2, √2), ln m = 2 atanh((m − 1)/(m + 1)). */
function ln(v: BigFloat): BigFloat {
  let t = topOf(v);
  let m: BigFloat = { m: v.m, e: v.e - t }; // in [1, 2)
  const sig63 = bfMul(m, big(1n, 63));
  if ((sig63.e >= 0 ? sig63.m << BigInt(sig63.e) : sig63.m >> BigInt(-sig63.e)) > SQRT2_SIG) {
    m = { m: m.m, e: m.e - 1 };
    t += 1;
  }
  const atanh = atanhSeries(bfDiv(bfSub(m, ONE_BIG), bfAdd(m, ONE_BIG)));
  return bfAdd(bfMul(big(BigInt(t)), big(LN2, -128)), bfMul(atanh, big(2n)));
}

/** log2 v for v > 0. */
function log2(v: BigFloat): BigFloat {
  return bfMul(ln(v), big(L2E, -127));
}

/** log2(1 + x) for x > −1, keeping the relative precision of a small x (no 1 + x is formed). */
function log2OnePlus(x: BigFloat): BigFloat {
  if (topOf(x) >= -2) return log2(bfAdd(ONE_BIG, x));
  const atanh = atanhSeries(bfDiv(x, bfAdd(big(2n), x))); // ln(1 + x) = 2 atanh(x / (2 + x))
  return bfMul(bfMul(atanh, big(2n)), big(L2E, -127));
}

/** atan t for t ≥ 0, halving the argument three times first (atan t = 2 atan(t / (1 + √(1 + t²)))). */
function atan(t: BigFloat): BigFloat {
  for (let k = 0; k < 3; k++) t = bfDiv(t, bfAdd(ONE_BIG, bfSqrt(bfAdd(ONE_BIG, bfMul(t, t)), isqrt)));
  const t2 = bfMul(t, t);
  const sum = series(t, (u, k) => bfDivInt(bfMul(bfMul(u, { m: -t2.m, e: t2.e }), big(BigInt(2 * k - 1))), 2 * k + 1));
  return bfMul(sum, big(8n));
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

/** Reduces `x` modulo the hardware's pi/2 exactly: the remainder in [-pi/4, pi/4] and the quadrant. */
function reduce(x: F80): { r: BigFloat; quadrant: number } {
  const e = lsbExp(x) + 127;
  const scaled = e >= 0 ? x.significand << BigInt(e) : x.significand >> BigInt(-e);
  const k = (scaled + (PI_HALF >> 1n)) / PI_HALF;
  const rem = scaled - k * PI_HALF;
  const quadrant = Number(k & 3n);
  return { r: big(x.sign ? -rem : rem, -127), quadrant: x.sign ? (4 - quadrant) & 3 : quadrant };
}

/** sin(r + quadrant × pi/2) from the series. */
function sinOf(r: BigFloat, q: number): BigFloat {
  const v = q & 1 ? cosSeries(r) : sinSeries(r);
  return q & 2 ? { m: -v.m, e: v.e } : v;
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
  const v = fn === "cos" ? c : fn === "tan" ? bfDiv(s, c) : s;
  const second = fn === "sincos" ? approximate(env, (e) => rounded(e, c)) : F80_ONE;
  return { outOfRange: false, value: approximate(env, (e) => rounded(e, v)), second };
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
  return approximate(env, (e) => rounded(e, expm1Series(bfMul(exact(a), big(LN2, -128)))));
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
  // First octant by symmetry: atan(min/max), then reflect through pi/2 and pi.
  const ay = exact(y.withSign(0));
  const ax = exact(x.withSign(0));
  const pi = big(PI, -126);
  const octant = bfSub(ay, ax).m <= 0n ? atan(bfDiv(ay, ax)) : bfSub({ m: pi.m, e: pi.e - 1 }, atan(bfDiv(ax, ay)));
  const angle = x.sign ? bfSub(pi, octant) : octant;
  return approximate(env, (e) => rounded(e, sy ? { m: -angle.m, e: angle.e } : angle));
}

/** ±1 with the sign of log2(x) for a positive x ≠ 1 (what the zero and infinite cases of y need). */
function log2Sign(x: F80): F80 {
  return F80_ONE.withSign(x.exponent < 0x3fff ? 1 : 0);
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
  // Exact cases (x = 1, y zero or infinite, x infinite): the product's own rules apply.
  const isOne = x.equals(F80_ONE);
  if (isOne || ky === F80Kind.Zero || ky === F80Kind.Infinity || kx === F80Kind.Infinity) {
    return mul(env, y, isOne ? new F80(0, 0, 0) : kx === F80Kind.Infinity ? F80_INFINITY : log2Sign(x));
  }
  return approximate(env, (e) => rounded(e, bfMul(exact(y), log2(exact(x)))));
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
  const minusOne = x.sign === 1 && x.withSign(0).equals(F80_ONE);
  if (ky === F80Kind.Infinity || kx === F80Kind.Infinity || minusOne) {
    // log2(1 + x) is ±infinity or has the sign of x: the product's own rules apply.
    if (minusOne && ky !== F80Kind.Infinity) env.flags |= FpException.ZeroDivide;
    return mul(env, y, kx === F80Kind.Infinity || minusOne ? F80_INFINITY.withSign(x.sign) : F80_ONE.withSign(x.sign));
  }
  return approximate(env, (e) => rounded(e, bfMul(exact(y), log2OnePlus(exact(x)))));
}

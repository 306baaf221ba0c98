// Rounding, exception and special-value cases derived by hand from IEEE 754 and the Intel SDM
// (x87 chapter 4 and 8): each expected value is worked out in the comment beside it.
import { describe, expect, it } from "vitest";
import { F80, F80_DEFAULT_NAN, F80Kind, kindOf } from "./f80.js";
import { F80Env, FpException, Rounding } from "./f80-env.js";
import { add, div, mul, sqrt, sub } from "./f80-arith.js";
import { Cc, compare, examine, Relation } from "./f80-compare.js";
import { constant } from "./f80-constants.js";
import {
  fromBcd,
  fromFloat64,
  fromInteger,
  fromNumber,
  roundToIntegral,
  toBcd,
  toFloat32,
  toFloat64,
  toInteger,
} from "./f80-convert.js";
import { remainder } from "./f80-remainder.js";
import { extract, scale } from "./f80-scale.js";

const { Invalid, Denormal, ZeroDivide, Overflow, Underflow, Precision } = FpException;

/** A value sig × 2^exp (sig < 2^64) built from parts. */
function v(sign: number, exp: number, sig: bigint): F80 {
  return F80.of((sign << 15) | (exp + 16383), sig);
}
const ONE = v(0, 0, 1n << 63n);
const TWO_M64 = v(0, -64, 1n << 63n); // 2^-64: half an ulp of 1
const TWO_M63 = v(0, -63, 1n << 63n); // 2^-63: one ulp of 1
const MAX = F80.of(0x7ffe, (1n << 64n) - 1n);
const MIN_NORMAL = F80.of(0x0001, 1n << 63n);
const env = (rounding: number = Rounding.Nearest, precision = 64): F80Env => {
  const e = new F80Env();
  e.rounding = rounding;
  e.precision = precision;
  return e;
};

describe("rounding of add/sub at 64 bits", () => {
  it("ties go to even: 1 + 2^-64 is exactly between 1 and 1 + 2^-63 and rounds to 1", () => {
    const e = env();
    expect(add(e, ONE, TWO_M64).toHex()).toBe("3fff8000000000000000");
    expect(e.flags).toBe(Precision);
    expect(e.roundedUp).toBe(false);
  });

  it("ties go to even upward: (1 + 2^-63) + 2^-64 rounds to 1 + 2^-62 and sets C1", () => {
    const e = env();
    expect(add(e, add(env(), ONE, TWO_M63), TWO_M64).toHex()).toBe("3fff8000000000000002");
    expect(e.roundedUp).toBe(true);
  });

  it("directed modes: -(1 + 2^-64) is -(1 + 2^-63) down, -1 up and toward zero", () => {
    const x = ONE.withSign(1);
    const d = env(Rounding.Down);
    expect(sub(d, x, TWO_M64).toHex()).toBe("bfff8000000000000001");
    expect(d.roundedUp).toBe(true);
    expect(sub(env(Rounding.Up), x, TWO_M64).toHex()).toBe("bfff8000000000000000");
    expect(sub(env(Rounding.TowardZero), x, TWO_M64).toHex()).toBe("bfff8000000000000000");
  });

  it("x − x is +0, except −0 when rounding down", () => {
    expect(sub(env(), ONE, ONE).toHex()).toBe("00000000000000000000");
    expect(sub(env(Rounding.Down), ONE, ONE).toHex()).toBe("80000000000000000000");
  });

  it("a far smaller operand only nudges the rounding: 1 − 2^-200 rounds to 1 (nearest) or just below (down)", () => {
    const tiny = v(0, -200, 1n << 63n);
    expect(sub(env(), ONE, tiny).toHex()).toBe("3fff8000000000000000");
    expect(sub(env(Rounding.Down), ONE, tiny).toHex()).toBe("3ffeffffffffffffffff");
  });
});

describe("precision control", () => {
  it("53 bits: 1 + 2^-53 ties to 1, 1 + 2^-53 + 2^-60 rounds to 1 + 2^-52", () => {
    const half = v(0, -53, 1n << 63n);
    expect(add(env(Rounding.Nearest, 53), ONE, half).toHex()).toBe("3fff8000000000000000");
    const more = add(env(), half, v(0, -60, 1n << 63n));
    expect(add(env(Rounding.Nearest, 53), ONE, more).toHex()).toBe("3fff8000000000000800");
  });

  it("24 bits: 1/3 keeps 24 significant bits (0xAAAAAB)", () => {
    expect(div(env(Rounding.Nearest, 24), ONE, fromNumber(3)).toHex()).toBe("3ffdaaaaab0000000000");
  });

  it("does not apply to conversions or FRNDINT", () => {
    const x = add(env(), ONE, TWO_M63);
    expect(roundToIntegral(env(Rounding.Nearest, 24), x).toHex()).toBe("3fff8000000000000000");
    expect(fromFloat64(env(Rounding.Nearest, 24), 1, 0x3ff00000).toHex()).toBe("3fff8000000000000800");
  });
});

describe("overflow and underflow", () => {
  it("overflow gives infinity or the largest finite number per rounding mode (OE, PE)", () => {
    const n = env();
    expect(mul(n, MAX, fromNumber(2)).toHex()).toBe("7fff8000000000000000");
    expect(n.flags).toBe(Overflow | Precision);
    expect(n.roundedUp).toBe(true);
    expect(mul(env(Rounding.TowardZero), MAX, fromNumber(2)).toHex()).toBe("7ffeffffffffffffffff");
    expect(mul(env(Rounding.Down), MAX, fromNumber(2)).toHex()).toBe("7ffeffffffffffffffff");
    expect(mul(env(Rounding.Up), MAX, fromNumber(-2)).toHex()).toBe("fffeffffffffffffffff");
    // At 53 bits the largest finite number has 53 ones.
    expect(mul(env(Rounding.TowardZero, 53), MAX, fromNumber(2)).toHex()).toBe("7ffefffffffffffff800");
  });

  it("an exact denormal result raises no UE; an inexact one raises UE and PE", () => {
    const e = env();
    expect(div(e, MIN_NORMAL, fromNumber(2)).toHex()).toBe("00004000000000000000");
    expect(e.flags).toBe(0);
    const smallest = F80.of(0, 1n); // 2^-16445
    const f = env();
    expect(div(f, smallest, fromNumber(2)).toHex()).toBe("00000000000000000000"); // tie → even (0)
    expect(f.flags).toBe(Denormal | Underflow | Precision);
    const g = env();
    expect(mul(g, smallest, fromNumber(1.5)).toHex()).toBe("00000000000000000002"); // 1.5 → 2 (even)
    expect(g.flags).toBe(Denormal | Underflow | Precision);
  });

  it("detects tininess after rounding (shown at 53 bits, where the grid is coarse)", () => {
    // 2^-16382 (1 − 2^-60): rounded to 53 bits with an unbounded exponent it is 2^-16382, so it
    // is not tiny: the result is the smallest normal with PE and no UE.
    const e = env(Rounding.Nearest, 53);
    expect(mul(e, MIN_NORMAL, F80.of(0x3ffe, 0xfffffffffffffff0n)).toHex()).toBe("00018000000000000000");
    expect(e.flags).toBe(Precision);
    // 2^-16382 (1 − 2^-52 − 2^-60) rounds to 2^-16382 (1 − 2^-52): tiny and inexact, UE.
    const f = env(Rounding.Nearest, 53);
    expect(mul(f, MIN_NORMAL, F80.of(0x3ffe, 0xffffffffffffeff0n)).toHex()).toBe("00007ffffffffffff800");
    expect(f.flags).toBe(Underflow | Precision);
  });
});

describe("invalid operations and NaNs", () => {
  const inf = F80.of(0x7fff, 1n << 63n);
  const qnan = F80.of(0x7fff, 0xc000000000000001n);
  const snan = F80.of(0x7fff, 0x8000000000000005n);

  it("∞ − ∞, 0 × ∞, 0/0, ∞/∞ and √−1 give the default NaN with IE", () => {
    for (const [f, a, b] of [
      [sub, inf, inf],
      [mul, F80.of(0, 0n), inf],
      [div, F80.of(0, 0n), F80.of(0, 0n)],
      [div, inf, inf],
    ] as const) {
      const e = env();
      expect(f(e, a, b).equals(F80_DEFAULT_NAN)).toBe(true);
      expect(e.flags).toBe(Invalid);
    }
    const e = env();
    expect(sqrt(e, ONE.withSign(1)).equals(F80_DEFAULT_NAN)).toBe(true);
    expect(e.flags).toBe(Invalid);
  });

  it("x/0 is a signed infinity with ZE", () => {
    const e = env();
    expect(div(e, ONE.withSign(1), F80.of(0, 0n)).toHex()).toBe("ffff8000000000000000");
    expect(e.flags).toBe(ZeroDivide);
  });

  it("an SNaN is quieted with IE; QNaN beats SNaN; of two QNaNs the larger significand wins", () => {
    const e = env();
    expect(add(e, snan, ONE).toHex()).toBe("7fffc000000000000005");
    expect(e.flags).toBe(Invalid);
    expect(add(env(), snan, qnan).toHex()).toBe("7fffc000000000000001");
    const bigger = F80.of(0xffff, 0xc000000000000009n);
    expect(add(env(), qnan, bigger).toHex()).toBe("ffffc000000000000009");
    expect(add(env(), bigger, qnan).toHex()).toBe("ffffc000000000000009");
  });

  it("unnormals, pseudo-NaNs and pseudo-infinities are invalid operands", () => {
    for (const bad of [F80.of(0x3fff, 1n << 62n), F80.of(0x7fff, 0n), F80.of(0x7fff, 1n << 62n)]) {
      expect(kindOf(bad)).toBe(F80Kind.Unsupported);
      const e = env();
      expect(add(e, bad, ONE).equals(F80_DEFAULT_NAN)).toBe(true);
      expect(e.flags).toBe(Invalid);
    }
  });

  it("pseudo-denormals are read as denormals of exponent 1 (DE)", () => {
    const pseudo = F80.of(0, 1n << 63n); // the same value as the smallest normal
    const e = env();
    expect(add(e, pseudo, F80.of(0, 0n)).toHex()).toBe("00018000000000000000");
    expect(e.flags).toBe(Denormal);
  });
});

describe("conversions", () => {
  it("float64 stores round per mode: 1 + 2^-53 ties to 1, 1 + 2^-53 + 2^-63 goes up", () => {
    const tie = add(env(), ONE, v(0, -53, 1n << 63n));
    expect(toFloat64(env(), tie)).toBe(0x3ff0000000000000n);
    expect(toFloat64(env(), add(env(), tie, TWO_M63))).toBe(0x3ff0000000000001n);
    expect(toFloat64(env(Rounding.Up), add(env(), ONE, TWO_M63))).toBe(0x3ff0000000000001n);
  });

  it("float32 stores overflow to infinity (nearest) and saturate (toward zero)", () => {
    expect(toFloat32(env(), fromNumber(2 ** 128))).toBe(0x7f800000);
    expect(toFloat32(env(Rounding.TowardZero), fromNumber(2 ** 128))).toBe(0x7f7fffff);
  });

  it("float64 loads: SNaN is quieted with IE, denormals raise DE", () => {
    const e = env();
    expect(fromFloat64(e, 1, 0x7ff00000).toHex()).toBe("7fffc000000000000800");
    expect(e.flags).toBe(Invalid);
    const d = env();
    expect(fromFloat64(d, 1, 0).toHex()).toBe("3bcd8000000000000000"); // 2^-1074
    expect(d.flags).toBe(Denormal);
  });

  it("integer stores round per mode; out of range gives the indefinite with IE", () => {
    expect(toInteger(env(), fromNumber(2.5), 32)).toBe(2n);
    expect(toInteger(env(), fromNumber(3.5), 32)).toBe(4n);
    expect(toInteger(env(), fromNumber(-2.5), 32)).toBe(-2n);
    expect(toInteger(env(Rounding.Down), fromNumber(-2.5), 32)).toBe(-3n);
    expect(toInteger(env(), fromNumber(-2.7), 16, true)).toBe(-2n);
    expect(toInteger(env(), fromNumber(-32768), 16)).toBe(-32768n);
    const e = env();
    expect(toInteger(e, fromNumber(32768), 16)).toBe(-32768n);
    expect(e.flags).toBe(Invalid);
    expect(toInteger(env(), fromInteger(-(1n << 63n)), 64)).toBe(-(1n << 63n));
  });

  it("packed BCD: 18 nines round-trip; 10^18 is invalid and stores the BCD indefinite", () => {
    const out = new Uint8Array(10);
    const nines = fromInteger(10n ** 18n - 1n);
    toBcd(env(), nines, out, 0);
    expect([...out]).toEqual([0x99, 0x99, 0x99, 0x99, 0x99, 0x99, 0x99, 0x99, 0x99, 0]);
    expect(fromBcd(out, 0).equals(nines)).toBe(true);
    const e = env();
    toBcd(e, fromInteger(10n ** 18n), out, 0);
    expect([...out]).toEqual([0, 0, 0, 0, 0, 0, 0, 0xc0, 0xff, 0xff]);
    expect(e.flags).toBe(Invalid);
  });
});

describe("compare, examine, remainder, scale, extract, constants", () => {
  it("compares signed zeros equal; NaNs are unordered (IE only when ordered)", () => {
    expect(compare(env(), F80.of(0x8000, 0n), F80.of(0, 0n), true)).toBe(Relation.Equal);
    const qnan = F80.of(0x7fff, 0xc000000000000000n);
    const o = env();
    expect(compare(o, qnan, ONE, true)).toBe(Relation.Unordered);
    expect(o.flags).toBe(Invalid);
    const u = env();
    expect(compare(u, qnan, ONE, false)).toBe(Relation.Unordered);
    expect(u.flags).toBe(0);
    expect(compare(env(), fromNumber(-3), fromNumber(-2), true)).toBe(Relation.Less);
  });

  it("FXAM classes and sign in C1", () => {
    expect(examine(fromNumber(-1), false)).toBe(Cc.C1 | Cc.C2);
    expect(examine(F80.of(0, 1n), false)).toBe(Cc.C3 | Cc.C2);
    expect(examine(F80.of(0x7fff, 1n << 63n), false)).toBe(Cc.C2 | Cc.C0);
    expect(examine(ONE, true)).toBe(Cc.C3 | Cc.C0);
  });

  it("FPREM 7 mod 2 = 1 with quotient 3 (C3 = Q1, C1 = Q0); FPREM1 gives −1 with quotient 4 (C0 = Q2)", () => {
    const r = remainder(env(), fromNumber(7), fromNumber(2), false);
    expect(r.value.toNumber()).toBe(1);
    expect(r.cc).toBe(Cc.C3 | Cc.C1);
    const r1 = remainder(env(), fromNumber(7), fromNumber(2), true);
    expect(r1.value.toNumber()).toBe(-1);
    expect(r1.cc).toBe(Cc.C0);
  });

  it("FSCALE truncates the scale; FXTRACT splits 10 into 3 and 1.25", () => {
    expect(scale(env(), ONE, fromNumber(3.9)).toNumber()).toBe(8);
    expect(scale(env(), ONE, fromNumber(-3.9)).toNumber()).toBe(0.125);
    const x = extract(env(), fromNumber(10));
    expect(x.exponent.toNumber()).toBe(3);
    expect(x.significand.toNumber()).toBe(1.25);
    const z = env();
    expect(extract(z, F80.of(0x8000, 0n)).exponent.toHex()).toBe("ffff8000000000000000");
    expect(z.flags).toBe(ZeroDivide);
  });

  it("constants round per mode from their 128-bit values (pi's 65th bit is 1)", () => {
    expect(constant("pi", Rounding.Nearest).toHex()).toBe("4000c90fdaa22168c235");
    expect(constant("pi", Rounding.TowardZero).toHex()).toBe("4000c90fdaa22168c234");
    expect(constant("l2t", Rounding.Nearest).toHex()).toBe("4000d49a784bcd1b8afe");
    expect(constant("l2t", Rounding.Up).toHex()).toBe("4000d49a784bcd1b8aff");
  });
});

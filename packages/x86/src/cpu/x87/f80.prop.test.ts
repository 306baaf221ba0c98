// Properties checked against independent oracles: JavaScript's IEEE double arithmetic (the
// x87 at 53-bit precision must agree with it wherever no double-range rounding intervenes),
// Math.fround at 24 bits, exact bigint arithmetic for directed rounding, and round trips; and
// that no encoding makes any operation throw or hang.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { F80 } from "./f80.js";
import { F80Env, FpException, Rounding } from "./f80-env.js";
import { add, div, mul, sqrt, sub } from "./f80-arith.js";
import { compare, Relation } from "./f80-compare.js";
import { fromBcd, fromInteger, fromNumber, roundToIntegral, toBcd, toFloat32, toFloat64, toInteger } from "./f80-convert.js";
import { lsbExp } from "./f80-operand.js";
import { remainder } from "./f80-remainder.js";
import { extract, scale } from "./f80-scale.js";
import { arctan, trig, twoToXMinus1, yLog2X, yLog2XPlus1 } from "./f80-transcendental.js";

const bitsOf = (x: number): bigint => new BigUint64Array(new Float64Array([x]).buffer)[0]!;
const env = (rounding: number = Rounding.Nearest, precision = 64): F80Env => {
  const e = new F80Env();
  e.rounding = rounding;
  e.precision = precision;
  return e;
};
/** Doubles whose results stay normal: magnitudes in [2^-400, 2^400] or zero. */
const moderate = fc.oneof(
  fc.double({ min: 2 ** -400, max: 2 ** 400, noNaN: true }),
  fc.double({ min: -(2 ** 400), max: -(2 ** -400), noNaN: true }),
  fc.constantFrom(0, -0, 1, -1, 3, 0.1),
);
/** Any finite nonzero f80 with a normal significand, positive. */
const positive = fc
  .record({ exp: fc.integer({ min: 1, max: 0x7ffe }), sig: fc.bigInt({ min: 1n << 63n, max: (1n << 64n) - 1n }) })
  .map(({ exp, sig }) => F80.of(exp, sig));
const anyF80 = fc
  .record({ se: fc.integer({ min: 0, max: 0xffff }), sig: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }) })
  .map(({ se, sig }) => F80.of(se, sig));

const OPS = [
  ["add", add, (a: number, b: number) => a + b],
  ["sub", sub, (a: number, b: number) => a - b],
  ["mul", mul, (a: number, b: number) => a * b],
  ["div", div, (a: number, b: number) => a / b],
] as const;

describe("f80 properties", () => {
  for (const [name, f, js] of OPS) {
    it(`${name} at 53-bit precision equals IEEE double arithmetic`, () => {
      fc.assert(
        fc.property(moderate, moderate, (a, b) => {
          const want = js(a, b);
          fc.pre(Number.isFinite(want) && (want === 0 || Math.abs(want) >= 2 ** -1022));
          const got = toFloat64(env(), f(env(Rounding.Nearest, 53), fromNumber(a), fromNumber(b)));
          expect(got).toBe(bitsOf(want));
        }),
      );
    });
  }

  it("sqrt at 53-bit precision equals Math.sqrt", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 2 ** 1000, noNaN: true }), (a) => {
        expect(toFloat64(env(), sqrt(env(Rounding.Nearest, 53), fromNumber(a)))).toBe(bitsOf(Math.sqrt(a)));
      }),
    );
  });

  it("add and mul at 24-bit precision on float32 inputs equal Math.fround of the exact result", () => {
    const f32 = fc.float({ min: -(2 ** 60), max: 2 ** 60, noNaN: true, noDefaultInfinity: true }).filter((x) => x === 0 || Math.abs(x) > 2 ** -60);
    fc.assert(
      fc.property(f32, f32, (a, b) => {
        // Products and sums of float32 values are exact in double, so fround rounds once.
        expect(add(env(Rounding.Nearest, 24), fromNumber(a), fromNumber(b)).toNumber()).toBe(Math.fround(a + b));
        expect(mul(env(Rounding.Nearest, 24), fromNumber(a), fromNumber(b)).toNumber()).toBe(Math.fround(a * b));
      }),
    );
  });

  it("division toward zero: q·b ≤ a < (q + ulp)·b, checked with exact integers", () => {
    fc.assert(
      fc.property(positive, positive, (a, b) => {
        const e = env(Rounding.TowardZero);
        const q = div(e, a, b);
        fc.pre((e.flags & (FpException.Overflow | FpException.Underflow)) === 0 && q.exponent > 0);
        // Compare a·2^s with q·b·2^s on a common exponent.
        const lo = Math.min(lsbExp(a), lsbExp(q) + lsbExp(b));
        const A = a.significand << BigInt(lsbExp(a) - lo);
        const Q = q.significand * b.significand << BigInt(lsbExp(q) + lsbExp(b) - lo);
        const Q1 = (q.significand + 1n) * b.significand << BigInt(lsbExp(q) + lsbExp(b) - lo);
        expect(Q <= A && A < Q1).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("square root toward zero: r² ≤ a < (r + ulp)², checked with exact integers", () => {
    fc.assert(
      fc.property(positive, (a) => {
        const r = sqrt(env(Rounding.TowardZero), a);
        const lo = Math.min(lsbExp(a), 2 * lsbExp(r));
        const A = a.significand << BigInt(lsbExp(a) - lo);
        const R = (r.significand * r.significand) << BigInt(2 * lsbExp(r) - lo);
        const R1 = ((r.significand + 1n) * (r.significand + 1n)) << BigInt(2 * lsbExp(r) - lo);
        expect(R <= A && A < R1).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("add and mul are commutative bit for bit, flags included, for every encoding", () => {
    fc.assert(
      fc.property(anyF80, anyF80, fc.integer({ min: 0, max: 3 }), (a, b, rc) => {
        for (const f of [add, mul]) {
          const e1 = env(rc);
          const e2 = env(rc);
          expect(f(e1, a, b).toHex()).toBe(f(e2, b, a).toHex());
          expect(e1.flags).toBe(e2.flags);
        }
      }),
    );
  });

  it("doubles and 64-bit integers round-trip exactly", () => {
    fc.assert(
      fc.property(fc.double(), fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), (d, n) => {
        const back = toFloat64(env(), fromNumber(d));
        // NaNs come back quiet (they already are in JS).
        expect(back).toBe(bitsOf(d));
        expect(toInteger(env(), fromInteger(n), 64)).toBe(n);
      }),
    );
  });

  it("compare agrees with JavaScript on doubles", () => {
    fc.assert(
      fc.property(fc.double(), fc.double(), (a, b) => {
        const want = Number.isNaN(a) || Number.isNaN(b) ? Relation.Unordered : a < b ? Relation.Less : a > b ? Relation.Greater : Relation.Equal;
        expect(compare(env(), fromNumber(a), fromNumber(b), false)).toBe(want);
      }),
    );
  });

  it("packed BCD round-trips every integer below 10^18", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 18n) + 1n, max: 10n ** 18n - 1n }), (n) => {
        const out = new Uint8Array(10);
        toBcd(env(), fromInteger(n), out, 0);
        expect(toInteger(env(), fromBcd(out, 0), 64)).toBe(n);
      }),
    );
  });

  it("every operation accepts every pair of encodings (no throw, no hang, only the six flags)", () => {
    const ops: ((e: F80Env, a: F80, b: F80) => unknown)[] = [
      add, sub, mul, div, (e, a) => sqrt(e, a), scale, (e, a) => extract(e, a), (e, a, b) => remainder(e, a, b, false),
      (e, a, b) => remainder(e, a, b, true), (e, a) => roundToIntegral(e, a), (e, a) => toFloat32(e, a), (e, a) => toFloat64(e, a),
      (e, a) => toInteger(e, a, 64), (e, a) => toBcd(e, a, new Uint8Array(10), 0), (e, a, b) => compare(e, a, b, true),
      (e, a) => trig(e, a, "sin"), (e, a) => trig(e, a, "tan"), (e, a) => twoToXMinus1(e, a), arctan, yLog2X, yLog2XPlus1,
    ];
    fc.assert(
      fc.property(anyF80, anyF80, fc.integer({ min: 0, max: 0xffff }), (a, b, cw) => {
        for (const op of ops) {
          const e = new F80Env().setControlWord(cw);
          op(e, a, b);
          expect(e.flags & ~0x3f).toBe(0);
        }
      }),
      { numRuns: 300 },
    );
  });
});

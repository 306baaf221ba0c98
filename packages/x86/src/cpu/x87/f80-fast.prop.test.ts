// The limb fast paths must agree with the bigint reference bit for bit, flags and C1 included,
// at every rounding mode and precision.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { F80 } from "./f80.js";
import { F80Env } from "./f80-env.js";
import { exactAdd, exactDiv, exactMul, exactSqrt } from "./f80-arith.js";
import { exactToFloat64, exactToInteger } from "./f80-convert.js";
import { fastAdd, fastDiv, fastMul, fastSqrt, fastToFloat64, fastToInt, float64High } from "./f80-fast.js";

const env = (rounding: number, precision: number): F80Env => {
  const e = new F80Env();
  e.rounding = rounding;
  e.precision = precision;
  return e;
};
/** Significands with runs of zeros and ones (ties, carries, cancellation). */
const significand = fc.oneof(
  fc.bigInt({ min: 1n << 63n, max: (1n << 64n) - 1n }),
  fc.integer({ min: 0, max: 63 }).map((k) => ((1n << 64n) - 1n) ^ ((1n << BigInt(k)) - 1n)),
  fc.integer({ min: 0, max: 63 }).map((k) => (1n << 63n) | (1n << BigInt(k))),
  fc.integer({ min: 0, max: 62 }).map((k) => (1n << 63n) | ((1n << BigInt(k)) - 1n)),
);
const normal = (exp: fc.Arbitrary<number>): fc.Arbitrary<F80> =>
  fc.record({ sign: fc.integer({ min: 0, max: 1 }), exp, sig: significand }).map(({ sign, exp, sig }) => F80.of((sign << 15) | exp, sig));
const mode = fc.record({ rounding: fc.integer({ min: 0, max: 3 }), precision: fc.constantFrom(24, 53, 64) });

function same(fast: (e: F80Env) => F80 | undefined, exact: (e: F80Env) => F80, m: { rounding: number; precision: number }): void {
  const e1 = env(m.rounding, m.precision);
  const e2 = env(m.rounding, m.precision);
  const f = fast(e1);
  if (f === undefined) {
    expect(e1.flags).toBe(0); // a declined case leaves the environment alone
    return;
  }
  const x = exact(e2);
  expect(f.toHex()).toBe(x.toHex());
  expect(e1.flags).toBe(e2.flags);
  expect(e1.roundedUp).toBe(e2.roundedUp);
}

describe("f80 fast paths", () => {
  it("add and sub agree with the bigint reference", () => {
    const e = fc.integer({ min: 0x3f00, max: 0x4100 });
    fc.assert(
      fc.property(normal(e), fc.integer({ min: -70, max: 70 }), normal(fc.constant(0x3fff)), fc.integer({ min: 0, max: 1 }), mode, (a, d, b0, signB, m) => {
        const b = F80.of((b0.se & 0x8000) | (a.exponent + d), b0.significand);
        same((en) => fastAdd(en, a, b, signB), (en) => exactAdd(en, a, b, signB), m);
      }),
      { numRuns: 3000 },
    );
  });

  it("x ± 0 and 0 ± x agree with the bigint reference", () => {
    fc.assert(
      fc.property(normal(fc.integer({ min: 1, max: 0x7ffe })), fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 1 }), mode, (x, zeroSign, signB, m) => {
        const zero = F80.of(zeroSign << 15, 0n);
        same((en) => fastAdd(en, x, zero, signB), (en) => exactAdd(en, x, zero, signB), m);
        same((en) => fastAdd(en, zero, x, signB), (en) => exactAdd(en, zero, x, signB), m);
      }),
      { numRuns: 1000 },
    );
  });

  it("mul, div and sqrt agree with the bigint reference, including near the exponent limits", () => {
    const e = fc.oneof(fc.integer({ min: 1, max: 0x7ffe }), fc.integer({ min: 0x3ff0, max: 0x4010 }));
    fc.assert(
      fc.property(normal(e), normal(e), mode, (a, b, m) => {
        same((en) => fastMul(en, a, b), (en) => exactMul(en, a, b), m);
        same((en) => fastDiv(en, a, b), (en) => exactDiv(en, a, b), m);
        same((en) => fastSqrt(en, a), (en) => exactSqrt(en, a), m);
      }),
      { numRuns: 3000 },
    );
  });

  it("float64 stores agree with the bigint reference", () => {
    const e = fc.integer({ min: 0x3fff - 1030, max: 0x3fff + 1030 });
    fc.assert(
      fc.property(normal(e), mode, (x, m) => {
        same(
          (en) => {
            const lo = fastToFloat64(en, x);
            return lo === undefined ? undefined : F80.of(0, (BigInt(float64High >>> 0) << 32n) | BigInt(lo >>> 0));
          },
          (en) => F80.of(0, exactToFloat64(en, x)),
          m,
        );
      }),
      { numRuns: 3000 },
    );
  });

  it("integer stores agree with the bigint reference", () => {
    const e = fc.integer({ min: 0x3fff - 3, max: 0x3fff + 31 });
    fc.assert(
      fc.property(normal(e), mode, fc.boolean(), (x, m, truncate) => {
        same(
          (en) => {
            const n = fastToInt(en, x, truncate);
            return n === undefined ? undefined : F80.of(0, BigInt.asUintN(64, BigInt(n)));
          },
          (en) => F80.of(0, BigInt.asUintN(64, exactToInteger(en, x, 64, truncate))),
          m,
        );
      }),
      { numRuns: 3000 },
    );
  });
});

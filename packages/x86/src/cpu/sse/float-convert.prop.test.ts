// Conversions against independent references: JS's own IEEE conversions in round to nearest,
// and exact bigint comparisons for the directed modes.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { f32Bits, f32Value, nextDown32, nextUp32 } from "./float-bits.js";
import { f64ToF32, f64ToInt, intToF32, intToF64 } from "./float-convert.js";
import { Mxcsr, beginFp, fpEnv } from "./mxcsr.js";

const int64 = fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n });
const halves = (v: bigint): [number, number] => [Number(BigInt.asIntN(32, v)), Number(BigInt.asIntN(32, v >> 32n))];
const finite = fc.double({ noNaN: true, noDefaultInfinity: true });

/** Exact comparison of a float value with a bigint. */
function compare(x: number, v: bigint): number {
  const whole = BigInt(Math.trunc(x));
  if (whole !== v) return whole < v ? -1 : 1;
  const frac = x - Math.trunc(x);
  return frac > 0 ? 1 : frac < 0 ? -1 : 0;
}

describe("conversions", () => {
  it("CVTSD2SS in round to nearest is Math.fround, PE iff it changed the value", () => {
    fc.assert(
      fc.property(finite, (x) => {
        beginFp(Mxcsr.RESET);
        const r = f32Value(f64ToF32(x));
        expect(Object.is(r, Math.fround(x))).toBe(true);
        expect((fpEnv.flags & Mxcsr.PE) !== 0).toBe(r !== x);
      }),
    );
  });

  it("CVTSI2SD of 64-bit integers in round to nearest is Number(bigint)", () => {
    fc.assert(
      fc.property(int64, (v) => {
        beginFp(Mxcsr.RESET);
        const [lo, hi] = halves(v);
        const r = intToF64(lo, hi);
        expect(r).toBe(Number(v));
        expect((fpEnv.flags & Mxcsr.PE) !== 0).toBe(BigInt(r) !== v);
      }),
    );
  });

  it("CVTSI2SS of 64-bit integers brackets the integer as each mode asks", () => {
    fc.assert(
      fc.property(int64, fc.integer({ min: 0, max: 3 }), (v, rc) => {
        beginFp(Mxcsr.RESET | (rc << 13));
        const [lo, hi] = halves(v);
        const r = f32Value(intToF32(lo, hi));
        const c = compare(r, v);
        expect((fpEnv.flags & Mxcsr.PE) !== 0).toBe(c !== 0);
        if (c === 0) return;
        const other = c < 0 ? nextUp32(r) : nextDown32(r);
        expect(compare(other, v)).toBe(-c); // a neighbour of the integer
        if (rc === 1) expect(c).toBe(-1);
        if (rc === 2) expect(c).toBe(1);
        if (rc === 3) expect(c).toBe(v > 0n ? -1 : 1);
        if (rc === 0) {
          const dr = Math.abs(Number(BigInt(r) - v));
          const dother = Math.abs(Number(BigInt(other) - v));
          expect(dr <= dother).toBe(true);
          if (dr === dother) expect(f32Bits(r) & 1).toBe(0); // ties to even
        }
      }),
    );
  });

  it("CVTTSD2SI with 64 bits truncates exactly, and anything out of range is indefinite", () => {
    fc.assert(
      fc.property(finite, (x) => {
        beginFp(Mxcsr.RESET);
        const lo = f64ToInt(x, 64, true);
        const inRange = Math.trunc(x) >= -(2 ** 63) && Math.trunc(x) < 2 ** 63;
        expect((fpEnv.flags & Mxcsr.IE) !== 0).toBe(!inRange);
        if (inRange) expect(lo).toBe(Number(BigInt.asIntN(32, BigInt(Math.trunc(x)))));
      }),
    );
  });
});

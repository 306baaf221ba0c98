// Properties of the arithmetic lanes against an independent exact model: every finite result
// is compared with the exact rational value of the operation (bigint fractions), so each
// rounding mode must pick the right neighbour, and PE/UE/OE must match exactness and range.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addF32, addF64, divF32, divF64, mulF32, mulF64, sqrtF32, sqrtF64, subF32, subF64 } from "./float-arith.js";
import { f32Bits, f32Value, f64FromBits, nextDown32, nextDown64, nextUp32, nextUp64 } from "./float-bits.js";
import { Mxcsr, beginFp, fpEnv } from "./mxcsr.js";

/** An exact rational n / d (d > 0). */
interface Fraction {
  n: bigint;
  d: bigint;
}

function fraction(x: number): Fraction {
  if (x === 0) return { n: 0n, d: 1n };
  let e = 0;
  let m = Math.abs(x);
  while (!Number.isInteger(m)) {
    m *= 2; // exact: doubling a double never rounds
    e--;
  }
  const n = BigInt(m) * (x < 0 ? -1n : 1n);
  return e === 0 ? { n, d: 1n } : { n, d: 1n << BigInt(-e) };
}

const add = (x: Fraction, y: Fraction): Fraction => ({ n: x.n * y.d + y.n * x.d, d: x.d * y.d });
const mul = (x: Fraction, y: Fraction): Fraction => ({ n: x.n * y.n, d: x.d * y.d });
const div = (x: Fraction, y: Fraction): Fraction => (y.n < 0n ? { n: -x.n * y.d, d: x.d * -y.n } : { n: x.n * y.d, d: x.d * y.n });
const cmp = (x: Fraction, y: Fraction): number => {
  const v = x.n * y.d - y.n * x.d;
  return v > 0n ? 1 : v < 0n ? -1 : 0;
};

/** Checks r against the exact value under rounding mode rc; returns a complaint or "". */
function checkRounded(r: number, exact: Fraction, rc: number, up: (x: number) => number, down: (x: number) => number): string {
  const c = cmp(fraction(r), exact);
  if (c === 0) return "";
  const below = c < 0; // r < exact
  const other = below ? up(r) : down(r);
  const otherSide = cmp(fraction(other), exact);
  if (otherSide !== 0 && otherSide === c) return "not a neighbour of the exact value";
  switch (rc) {
    case 0: {
      // nearest: no closer value on the other side (ties: even significand)
      const dr = add(fraction(r), { n: -exact.n, d: exact.d });
      const dother = add(fraction(other), { n: -exact.n, d: exact.d });
      const byDistance = cmp({ n: dr.n < 0n ? -dr.n : dr.n, d: dr.d }, { n: dother.n < 0n ? -dother.n : dother.n, d: dother.d });
      return byDistance > 0 ? "a nearer value exists" : "";
    }
    case 1:
      return below ? "" : "round down went up";
    case 2:
      return below ? "round up went down" : "";
    default:
      return exact.n > 0n === below ? "" : "round toward zero went away from zero";
  }
}

function bitsToDouble(hi: number, lo: number): number {
  return f64FromBits(hi >>> 0, lo >>> 0);
}

/** Finite doubles of every magnitude, with subnormals, tiny and huge values well represented. */
const double64 = fc
  .oneof(
    fc.tuple(fc.integer(), fc.integer()).map(([hi, lo]) => bitsToDouble(hi, lo)),
    fc.tuple(fc.integer({ min: 0, max: 0xfffff }), fc.integer(), fc.boolean()).map(([hi, lo, neg]) => bitsToDouble(hi | (neg ? 0x80000000 : 0), lo)),
    fc.tuple(fc.integer({ min: -1074, max: 1023 }), fc.double({ min: 1, max: 2, noNaN: true }), fc.boolean()).map(([e, m, neg]) => (neg ? -m : m) * 2 ** e),
  )
  .filter(Number.isFinite);

const double32 = fc
  .oneof(
    fc.integer().map((b) => f32Value(b)),
    fc.integer({ min: 0, max: 0x7fffff }).map((b) => f32Value(b)),
    fc.tuple(fc.integer({ min: -149, max: 127 }), fc.integer({ min: 0, max: 0x7fffff }), fc.boolean()).map(([e, m, neg]) => Math.fround((neg ? -1 : 1) * (1 + m / 2 ** 23) * 2 ** e)),
  )
  .filter(Number.isFinite);

const MAX64: Fraction = fraction(Number.MAX_VALUE);
const MAX32: Fraction = fraction(Math.fround(3.4028234663852886e38));
const modes = fc.integer({ min: 0, max: 3 });

function inRange(x: Fraction, max: Fraction): boolean {
  return cmp({ n: x.n < 0n ? -x.n : x.n, d: x.d }, max) <= 0;
}

type Binary = (a: number, b: number) => number;
type Op = { name: string; f64: Binary; f32: Binary; native: Binary; exact: (a: Fraction, b: Fraction) => Fraction };
const OPS: Op[] = [
  { name: "add", f64: addF64, f32: addF32, native: (a, b) => a + b, exact: add },
  { name: "sub", f64: subF64, f32: subF32, native: (a, b) => a - b, exact: (a, b) => add(a, { n: -b.n, d: b.d }) },
  { name: "mul", f64: mulF64, f32: mulF32, native: (a, b) => a * b, exact: mul },
  { name: "div", f64: divF64, f32: divF32, native: (a, b) => a / b, exact: div },
];

/** One format under test: its values, its lane functions on numbers, and its neighbours. */
interface Format {
  values: fc.Arbitrary<number>;
  max: Fraction;
  up: (x: number) => number;
  down: (x: number) => number;
  binary: (op: Op) => (a: number, b: number) => number;
  sqrt: (a: number) => number;
}

const FORMAT64: Format = { values: double64, max: MAX64, up: nextUp64, down: nextDown64, binary: (op) => op.f64, sqrt: sqrtF64 };
const FORMAT32: Format = {
  values: double32,
  max: MAX32,
  up: nextUp32,
  down: nextDown32,
  binary: (op) => (a, b) => f32Value(op.f32(f32Bits(a), f32Bits(b))),
  sqrt: (a) => f32Value(sqrtF32(f32Bits(a))),
};

/** a op b is a neighbour of the exact value, on the side the mode asks, with PE iff inexact. */
function checkBinary(format: Format, op: Op): void {
  fc.assert(
    fc.property(format.values, format.values, modes, (a, b, rc) => {
      if (op.name === "div" && b === 0) return;
      beginFp(Mxcsr.RESET | (rc << 13));
      const r = format.binary(op)(a, b);
      const exact = op.exact(fraction(a), fraction(b));
      if (!inRange(exact, format.max) || !Number.isFinite(r)) return; // overflow has its own test
      expect(checkRounded(r, exact, rc, format.up, format.down)).toBe("");
      expect((fpEnv.flags & Mxcsr.PE) !== 0).toBe(cmp(fraction(r), exact) !== 0);
      if (format === FORMAT64 && rc === 0 && !(r === 0 && exact.n === 0n)) expect(Object.is(r, op.native(a, b))).toBe(true);
    }),
    { numRuns: 400 },
  );
}

/** sqrt(a): r*r brackets a as the mode asks, r is a neighbour, PE iff inexact. */
function checkSqrt(format: Format): void {
  fc.assert(
    fc.property(format.values, modes, (x, rc) => {
      const a = Math.abs(x);
      beginFp(Mxcsr.RESET | (rc << 13));
      const r = format.sqrt(a);
      const c = cmp(mul(fraction(r), fraction(r)), fraction(a));
      expect((fpEnv.flags & Mxcsr.PE) !== 0).toBe(c !== 0);
      if (c === 0) return;
      const next = c < 0 ? format.up(r) : format.down(r);
      expect(cmp(mul(fraction(next), fraction(next)), fraction(a))).toBe(-c);
      if (rc === 1 || rc === 3) expect(c).toBe(-1);
      if (rc === 2) expect(c).toBe(1);
    }),
    { numRuns: 400 },
  );
}

describe("float64 lanes are correctly rounded in every mode", () => {
  for (const op of OPS) {
    it(`${op.name}: a neighbour of the exact value, on the side the mode asks, PE iff inexact`, () => checkBinary(FORMAT64, op));
  }

  it("sqrt: r*r brackets the operand as the mode asks", () => checkSqrt(FORMAT64));

  it("sqrt in round to nearest is Math.sqrt", () => {
    fc.assert(
      fc.property(double64, (x) => {
        beginFp(Mxcsr.RESET);
        expect(sqrtF64(Math.abs(x))).toBe(Math.sqrt(Math.abs(x)));
      }),
    );
  });

  it("overflow: OE and PE, infinity or the largest finite by mode and sign", () => {
    for (const [rc, pos, neg] of [
      [0, Infinity, -Infinity],
      [1, Number.MAX_VALUE, -Infinity],
      [2, Infinity, -Number.MAX_VALUE],
      [3, Number.MAX_VALUE, -Number.MAX_VALUE],
    ] as const) {
      beginFp(Mxcsr.RESET | (rc << 13));
      expect(mulF64(1e300, 1e300)).toBe(pos);
      expect(mulF64(-1e300, 1e300)).toBe(neg);
      expect(fpEnv.flags).toBe(Mxcsr.OE | Mxcsr.PE);
    }
  });

  it("underflow: UE only when the tiny result is inexact; FTZ flushes and sets UE and PE", () => {
    beginFp(Mxcsr.RESET);
    expect(mulF64(2 ** -1000, 2 ** -70)).toBe(2 ** -1070); // exact subnormal: no flag
    expect(fpEnv.flags).toBe(0);
    expect(mulF64(2 ** -1000, 3 * 2 ** -75)).toBe(2 ** -1073); // 1.5 ulp: a tie, to even
    expect(fpEnv.flags).toBe(Mxcsr.UE | Mxcsr.PE);
    beginFp(Mxcsr.RESET);
    expect(divF64(2 ** -1073, 3)).toBe(2 ** -1074); // 2/3 ulp
    expect(fpEnv.flags).toBe(Mxcsr.UE | Mxcsr.PE | Mxcsr.DE); // DE: the dividend is denormal
    beginFp(Mxcsr.RESET | Mxcsr.FTZ);
    expect(Object.is(mulF64(-(2 ** -1000), 3 * 2 ** -75), -0)).toBe(true);
    expect(fpEnv.flags).toBe(Mxcsr.UE | Mxcsr.PE);
    // Tininess is detected after rounding: (MIN - ulp) * (1 + 2^-52) = MIN - 2^-1126 rounds up
    // to MIN with an unbounded exponent too, so rounding up is no underflow, but down is.
    beginFp(Mxcsr.RESET | (2 << 13));
    expect(mulF64(2 ** -1022 - 2 ** -1074, 1 + 2 ** -52)).toBe(2 ** -1022);
    expect(fpEnv.flags).toBe(Mxcsr.PE | Mxcsr.DE);
    beginFp(Mxcsr.RESET | (1 << 13));
    expect(mulF64(2 ** -1022 - 2 ** -1074, 1 + 2 ** -52)).toBe(2 ** -1022 - 2 ** -1074);
    expect(fpEnv.flags).toBe(Mxcsr.PE | Mxcsr.UE | Mxcsr.DE);
  });

  it("FTZ flushes even an exact tiny result, with UE and PE (as this machine's CPU does)", () => {
    beginFp(Mxcsr.RESET | Mxcsr.FTZ);
    expect(f32Value(subF32(f32Bits(1.5 * 2 ** -126), f32Bits(2 ** -126)))).toBe(0);
    expect(fpEnv.flags).toBe(Mxcsr.UE | Mxcsr.PE);
    beginFp(Mxcsr.RESET);
    expect(f32Value(subF32(f32Bits(1.5 * 2 ** -126), f32Bits(2 ** -126)))).toBe(2 ** -127);
    expect(fpEnv.flags).toBe(0);
  });

  it("unmasked underflow: tininess alone raises UE (FTZ ignored); PE only if the unbounded result is inexact", () => {
    beginFp((Mxcsr.RESET & ~(Mxcsr.UE << 7)) | Mxcsr.FTZ);
    mulF64(2 ** -1000, 2 ** -70); // exact tiny
    expect(fpEnv.flags).toBe(Mxcsr.UE);
    beginFp(Mxcsr.RESET & ~(Mxcsr.UE << 7));
    mulF64((1 + 2 ** -52) * 2 ** -1000, (1 + 2 ** -52) * 2 ** -70); // 1 + 2^-51 + 2^-104: inexact at any exponent
    expect(fpEnv.flags).toBe(Mxcsr.UE | Mxcsr.PE);
    beginFp(Mxcsr.RESET & ~(Mxcsr.UE << 7));
    mulF64(2 ** -1000, 3 * 2 ** -75); // denormalizing would round, the unbounded result does not
    expect(fpEnv.flags).toBe(Mxcsr.UE);
  });

  it("unmasked overflow: OE, and PE only if the unbounded result is inexact", () => {
    beginFp(Mxcsr.RESET & ~(Mxcsr.OE << 7));
    mulF64(2 ** 1000, 2 ** 100);
    expect(fpEnv.flags).toBe(Mxcsr.OE);
    beginFp(Mxcsr.RESET & ~(Mxcsr.OE << 7));
    mulF64(2 ** 1000 * (1 + 2 ** -52), 2 ** 100 * (1 + 2 ** -52));
    expect(fpEnv.flags).toBe(Mxcsr.OE | Mxcsr.PE);
  });
});

describe("with PE already set, the shortcut that skips the exactness test", () => {
  for (const format of [FORMAT64, FORMAT32]) {
    const width = format === FORMAT64 ? "float64" : "float32";
    it(`gives the same ${width} results and flags as the full path`, () => {
      fc.assert(
        fc.property(format.values, format.values, fc.constantFrom(...OPS), fc.boolean(), (a, b, op, daz) => {
          const run = (mxcsr: number): number[] => {
            beginFp(mxcsr);
            const r = format.binary(op)(a, b);
            const root = format.sqrt(Math.abs(a));
            return [r, root, fpEnv.flags | Mxcsr.PE];
          };
          const base = Mxcsr.RESET | (daz ? Mxcsr.DAZ | Mxcsr.FTZ : 0);
          const full = run(base);
          const quick = run(base | Mxcsr.PE);
          expect(quick.map(String)).toEqual(full.map(String)); // as strings NaN equals NaN; signs of zero below
          expect(quick.map((x) => Object.is(x, -0))).toEqual(full.map((x) => Object.is(x, -0)));
        }),
        { numRuns: 500 },
      );
    });
  }
});

describe("float32 lanes are correctly rounded in every mode", () => {
  for (const op of OPS) {
    it(`${op.name}: a neighbour of the exact value, on the side the mode asks, PE iff inexact`, () => checkBinary(FORMAT32, op));
  }

  it("sqrt: r*r brackets the operand as the mode asks", () => checkSqrt(FORMAT32));
});

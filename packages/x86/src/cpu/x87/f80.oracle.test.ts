// Replays the x87 cases captured from the host CPU (fixtures/x87-oracle.c, gen-fixtures.sh):
// every exact operation must match bit for bit, results and status word; the transcendental
// instructions (whose last bit is the hardware's own approximation) must be within
// TRANSCENDENTAL_ULPS and match the whole status word except C1.
import { describe, expect, it } from "vitest";
import { F80 } from "./f80.js";
import { F80Env } from "./f80-env.js";
import { add, div, mul, sqrt, sub } from "./f80-arith.js";
import { compare, examine, RELATION_CC } from "./f80-compare.js";
import { constant, type ConstantName } from "./f80-constants.js";
import {
  fromBcd,
  fromFloat32,
  fromFloat64,
  roundToIntegral,
  toBcd,
  toFloat32,
  toFloat64,
  toInteger,
} from "./f80-convert.js";
import { remainder } from "./f80-remainder.js";
import { extract, scale } from "./f80-scale.js";
import { arctan, trig, twoToXMinus1, yLog2X, yLog2XPlus1 } from "./f80-transcendental.js";
import { readOracleCases, type OracleCase } from "./fixture-cases.js";

/** What one replayed case produced: the two results and condition codes beyond the env's flags. */
interface Outcome {
  r1: F80;
  r2?: F80;
  cc?: number;
}
type Op = (env: F80Env, a: F80, b: F80) => Outcome;

const ONE = F80.of(0x3fff, 1n << 63n);
const NONE = F80.of(0, 0n);

/** Memory bits as the fixture writes them: zero-padded into the 80-bit column. */
function bits(v: bigint, width: number): F80 {
  const u = BigInt.asUintN(width, v);
  return F80.of(Number(u >> 64n), BigInt.asUintN(64, u));
}

const one = (f: (env: F80Env, a: F80, b: F80) => F80): Op => (env, a, b) => ({ r1: f(env, a, b) });
const cmp = (ordered: boolean): Op => (env, a, b) => ({ r1: a, cc: RELATION_CC[compare(env, a, b, ordered)] });
const store = (f: (env: F80Env, a: F80) => bigint, width: number): Op => (env, a) => ({ r1: bits(f(env, a), width) });
const integer = (width: number, truncate: boolean): Op => store((env, a) => toInteger(env, a, width, truncate), width);
const konst = (name: ConstantName): Op => (env) => ({ r1: constant(name, env.rounding) });

const EXACT: Record<string, Op> = {
  add: one(add),
  sub: one(sub),
  subr: one((env, a, b) => sub(env, b, a)),
  mul: one(mul),
  div: one(div),
  divr: one((env, a, b) => div(env, b, a)),
  sqrt: one((env, a) => sqrt(env, a)),
  rndint: one((env, a) => roundToIntegral(env, a)),
  scale: one(scale),
  prem: (env, a, b) => {
    const r = remainder(env, a, b, false);
    return { r1: r.value, r2: b, cc: Math.max(r.cc, 0) }; // C bits start clear in the oracle
  },
  prem1: (env, a, b) => {
    const r = remainder(env, a, b, true);
    return { r1: r.value, r2: b, cc: Math.max(r.cc, 0) }; // C bits start clear in the oracle
  },
  xtract: (env, a) => {
    const r = extract(env, a);
    return { r1: r.significand, r2: r.exponent };
  },
  com: cmp(true),
  ucom: cmp(false),
  tst: (env, a) => ({ r1: a, cc: RELATION_CC[compare(env, a, NONE, true)] }),
  xam: (_env, a) => ({ r1: a, cc: examine(a, false) }),
  st_f32: store((env, a) => BigInt(toFloat32(env, a)), 32),
  st_f64: store(toFloat64, 64),
  st_i16: integer(16, false),
  st_i32: integer(32, false),
  st_i64: integer(64, false),
  stt_i16: integer(16, true),
  stt_i32: integer(32, true),
  stt_i64: integer(64, true),
  st_bcd: (env, a) => {
    const out = new Uint8Array(10);
    toBcd(env, a, out, 0);
    return { r1: F80.read(out, 0) };
  },
  ld_f32: (env, a) => ({ r1: fromFloat32(env, a.lo) }),
  ld_f64: (env, a) => ({ r1: fromFloat64(env, a.lo, a.hi) }),
  ld_bcd: (_env, a) => {
    const mem = new Uint8Array(10);
    a.write(mem, 0);
    return { r1: fromBcd(mem, 0) };
  },
  c_1: () => ({ r1: ONE }),
  c_z: () => ({ r1: NONE }),
  c_pi: konst("pi"),
  c_l2t: konst("l2t"),
  c_l2e: konst("l2e"),
  c_lg2: konst("lg2"),
  c_ln2: konst("ln2"),
};

/** The largest distance, in units of the 64-bit significand's last place, accepted for transcendentals. */
const TRANSCENDENTAL_ULPS = 4;
/** Status bits the transcendental results must match exactly: all but C1 ("rounded up"). */
const TRANSCENDENTAL_SW = 0xfdff;

const APPROXIMATE: Record<string, Op> = {
  sin: (env, a) => {
    const r = trig(env, a, "sin");
    return { r1: r.value, cc: r.outOfRange ? 0x400 : 0 };
  },
  cos: (env, a) => {
    const r = trig(env, a, "cos");
    return { r1: r.value, cc: r.outOfRange ? 0x400 : 0 };
  },
  sincos: (env, a, b) => {
    const r = trig(env, a, "sincos");
    return r.outOfRange ? { r1: a, r2: b, cc: 0x400 } : { r1: r.second, r2: r.value };
  },
  // FPTAN pushes 1.0 after the tangent, or the NaN again when the tangent is a NaN.
  ptan: (env, a, b) => {
    const r = trig(env, a, "tan");
    if (r.outOfRange) return { r1: a, r2: b, cc: 0x400 };
    return { r1: r.value.exponent === 0x7fff ? r.value : ONE, r2: r.value };
  },
  "2xm1": (env, a) => ({ r1: twoToXMinus1(env, a) }),
  // The oracle pushes 1.0 after the popping instruction, so the result is the second value.
  patan: (env, a, b) => ({ r1: ONE, r2: arctan(env, b, a) }),
  yl2x: (env, a, b) => ({ r1: ONE, r2: yLog2X(env, b, a) }),
  yl2xp1: (env, a, b) => ({ r1: ONE, r2: yLog2XPlus1(env, b, a) }),
};

function run(op: Op, c: OracleCase): { out: Outcome; sw: number } {
  const env = new F80Env().setControlWord(c.cw);
  const out = op(env, c.a, c.b);
  return { out, sw: env.flags | (env.roundedUp ? 0x200 : 0) | (out.cc ?? 0) };
}

function describeCase(c: OracleCase, out: Outcome, sw: number): string {
  return (
    `line ${c.line}: ${c.op} cw=${c.cw.toString(16)} a=${c.a.toHex()} b=${c.b.toHex()} ` +
    `want ${c.r1.toHex()} ${c.r2.toHex()} sw=${c.sw.toString(16)}, got ${out.r1.toHex()} ${out.r2?.toHex() ?? "-"} sw=${sw.toString(16)}`
  );
}

/** Distance in units in the last place, ordering values by sign-magnitude. */
function ulps(x: F80, y: F80): number {
  const key = (v: F80): bigint => {
    const m = (BigInt(v.exponent) << 63n) + (v.significand & ((1n << 63n) - 1n));
    return v.sign ? -m : m;
  };
  if ((x.exponent === 0x7fff || y.exponent === 0x7fff) && !x.equals(y)) return Infinity;
  const d = key(x) - key(y);
  return Number(d < 0n ? -d : d);
}

const cases = readOracleCases();
const byOp = new Map<string, OracleCase[]>();
for (const c of cases) byOp.set(c.op, [...(byOp.get(c.op) ?? []), c]);

describe("x87 arithmetic against the host CPU", () => {
  it("has every captured operation covered by a replay", () => {
    const known = new Set([...Object.keys(EXACT), ...Object.keys(APPROXIMATE)]);
    expect([...byOp.keys()].filter((op) => !known.has(op))).toEqual([]);
    expect(cases.length).toBeGreaterThan(30000);
  });

  for (const [name, op] of Object.entries(EXACT)) {
    it(`${name}: bit-for-bit results and status word`, () => {
      const list = byOp.get(name) ?? [];
      expect(list.length).toBeGreaterThan(0);
      const failures: string[] = [];
      for (const c of list) {
        const { out, sw } = run(op, c);
        const ok = out.r1.equals(c.r1) && (out.r2 === undefined || out.r2.equals(c.r2)) && sw === c.sw;
        if (!ok && failures.length < 5) failures.push(describeCase(c, out, sw));
      }
      expect(failures).toEqual([]);
    });
  }

  for (const [name, op] of Object.entries(APPROXIMATE)) {
    it(`${name}: within ${TRANSCENDENTAL_ULPS} ulps, status word exact but for C1`, () => {
      const list = byOp.get(name) ?? [];
      expect(list.length).toBeGreaterThan(0);
      const failures: string[] = [];
      for (const c of list) {
        const { out, sw } = run(op, c);
        const d = Math.max(ulps(out.r1, c.r1), out.r2 ? ulps(out.r2, c.r2) : 0);
        const ok = d <= TRANSCENDENTAL_ULPS && (sw & TRANSCENDENTAL_SW) === (c.sw & TRANSCENDENTAL_SW);
        if (!ok && failures.length < 5) failures.push(`${describeCase(c, out, sw)} (${d} ulps)`);
      }
      expect(failures).toEqual([]);
    });
  }
});

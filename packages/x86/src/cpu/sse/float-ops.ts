// Floating-point lane operations (SSE, SSE2, SSE3, SSE4.1 float forms) as LaneOps. float32
// lanes are handled as bit patterns (i32 view), float64 lanes as numbers (f64 view).
import { type LaneOp, type Lanes, implicitXmm0 as sharedImplicitXmm0, scratch as sharedScratch } from "./lanes.js";
import { addF32, addF64, divF32, divF64, mulF32, mulF64, sqrtF32, sqrtF64, subF32, subF64 } from "./float-arith.js";
import { fpEnv } from "./mxcsr.js";
import { cmpF32, cmpF64, maxF32, maxF64, minF32, minF64 } from "./float-compare.js";
import { f32ToF64, f32ToInt, f64ToF32, f64ToInt, intToF32, rcpF32, roundF32, roundF64, rsqrtF32 } from "./float-convert.js";
const scratch = sharedScratch; // a local binding: see the note on getters in sse-handlers.ts
const implicitXmm0 = sharedImplicitXmm0; // a local binding: see the note on getters in sse-handlers.ts

// Imported functions copied into locals: loaders that wrap live bindings in getters (tsx)
// would otherwise call one per use in these hot paths.
const _addF32 = addF32;
const env = fpEnv;
const _subF32 = subF32;
const _mulF32 = mulF32;
const _addF64 = addF64;
const _subF64 = subF64;
const _mulF64 = mulF64;
const _f32ToF64 = f32ToF64;
const _f64ToF32 = f64ToF32;
const _f64ToInt = f64ToInt;
const _f32ToInt = f32ToInt;
const _intToF32 = intToF32;
const _cmpF64 = cmpF64;


type Bin = (a: number, b: number, imm: number) => number;
type Un = (a: number, imm: number) => number;

const packed32 = (f: Bin): LaneOp => (d, s, imm) => {
  for (let k = 0; k < 4; k++) d.i32[k] = f(d.i32[k]!, s.i32[k]!, imm);
};
const scalar32 = (f: Bin): LaneOp => (d, s, imm) => {
  d.i32[0] = f(d.i32[0]!, s.i32[0]!, imm);
};
const packed64 = (f: Bin): LaneOp => (d, s, imm) => {
  d.f64[0] = f(d.f64[0]!, s.f64[0]!, imm);
  d.f64[1] = f(d.f64[1]!, s.f64[1]!, imm);
};
const scalar64 = (f: Bin): LaneOp => (d, s, imm) => {
  d.f64[0] = f(d.f64[0]!, s.f64[0]!, imm);
};
const unary32 = (f: Un): LaneOp => (d, s, imm) => {
  for (let k = 0; k < 4; k++) d.i32[k] = f(s.i32[k]!, imm);
};
const unaryScalar32 = (f: Un): LaneOp => (d, s, imm) => {
  d.i32[0] = f(s.i32[0]!, imm);
};
const unary64 = (f: Un): LaneOp => (d, s, imm) => {
  d.f64[0] = f(s.f64[0]!, imm);
  d.f64[1] = f(s.f64[1]!, imm);
};
const unaryScalar64 = (f: Un): LaneOp => (d, s, imm) => {
  d.f64[0] = f(s.f64[0]!, imm);
};

/** Copies quadword `from` of s to quadword `to` of d as integers (data moves never go through doubles). */
function copyQuad(d: Lanes, to: number, s: Lanes, from: number): void {
  d.i32[2 * to] = s.i32[2 * from]!;
  d.i32[2 * to + 1] = s.i32[2 * from + 1]!;
}

/** CMPPD/CMPSD lane k: the all-ones mask is written as integers, never as a NaN double. */
function compare64(d: Lanes, s: Lanes, predicate: number, k: number): void {
  const mask = _cmpF64(d.f64[k]!, s.f64[k]!, predicate);
  d.i32[2 * k] = mask;
  d.i32[2 * k + 1] = mask;
}

/** HADDPS/HSUBPS: [d0∘d1, d2∘d3, s0∘s1, s2∘s3]. */
const horizontal32 = (f: Bin): LaneOp => (d, s) => {
  const t = scratch.i32;
  t[0] = f(d.i32[0]!, d.i32[1]!, 0);
  t[1] = f(d.i32[2]!, d.i32[3]!, 0);
  t[2] = f(s.i32[0]!, s.i32[1]!, 0);
  t[3] = f(s.i32[2]!, s.i32[3]!, 0);
  d.set(scratch);
};
const horizontal64 = (f: Bin): LaneOp => (d, s) => {
  const lo = f(d.f64[0]!, d.f64[1]!, 0);
  d.f64[1] = f(s.f64[0]!, s.f64[1]!, 0);
  d.f64[0] = lo;
};

const addsubps: LaneOp = (d, s) => {
  for (let k = 0; k < 4; k++) d.i32[k] = k & 1 ? _addF32(d.i32[k]!, s.i32[k]!) : _subF32(d.i32[k]!, s.i32[k]!);
};
const addsubpd: LaneOp = (d, s) => {
  d.f64[0] = _subF64(d.f64[0]!, s.f64[0]!);
  d.f64[1] = _addF64(d.f64[1]!, s.f64[1]!);
};

/**
 * DPPS: masked products, summed pairwise ((0+1)+(2+3)), broadcast to the selected lanes. An
 * unmasked exception in the products faults before the sums, as on hardware; a denormal
 * product raises DE in the sums, as on hardware too.
 */
const dpps: LaneOp = (d, s, imm) => {
  const p = scratch.i32;
  for (let k = 0; k < 4; k++) p[k] = (imm >> (4 + k)) & 1 ? _mulF32(d.i32[k]!, s.i32[k]!) : 0;
  if (env.flags & env.unmasked) return;
  const sum = _addF32(_addF32(p[0]!, p[1]!), _addF32(p[2]!, p[3]!));
  for (let k = 0; k < 4; k++) d.i32[k] = (imm >> k) & 1 ? sum : 0;
};
/** DPPD: as {@link dpps} for two float64 lanes. */
const dppd: LaneOp = (d, s, imm) => {
  const p0 = imm & 0x10 ? _mulF64(d.f64[0]!, s.f64[0]!) : 0;
  const p1 = imm & 0x20 ? _mulF64(d.f64[1]!, s.f64[1]!) : 0;
  if (env.flags & env.unmasked) return;
  const sum = _addF64(p0, p1);
  d.f64[0] = imm & 1 ? sum : 0;
  d.f64[1] = imm & 2 ? sum : 0;
};

const blendps: LaneOp = (d, s, imm) => {
  for (let k = 0; k < 4; k++) if ((imm >> k) & 1) d.i32[k] = s.i32[k]!;
};
const blendpd: LaneOp = (d, s, imm) => {
  for (let k = 0; k < 2; k++) if ((imm >> k) & 1) copyQuad(d, k, s, k);
};
const blendvps: LaneOp = (d, s) => {
  for (let k = 0; k < 4; k++) if (implicitXmm0.i32[k]! < 0) d.i32[k] = s.i32[k]!;
};
const blendvpd: LaneOp = (d, s) => {
  for (let k = 0; k < 2; k++) if (implicitXmm0.i32[2 * k + 1]! < 0) copyQuad(d, k, s, k);
};

/** INSERTPS: lane imm[7:6] of s into lane imm[5:4] of d, then zero the lanes in imm[3:0]. */
const insertps: LaneOp = (d, s, imm) => {
  d.i32[(imm >> 4) & 3] = s.i32[(imm >> 6) & 3]!;
  for (let k = 0; k < 4; k++) if ((imm >> k) & 1) d.i32[k] = 0;
};

const shufps: LaneOp = (d, s, imm) => {
  const t = scratch.i32;
  t[0] = d.i32[imm & 3]!;
  t[1] = d.i32[(imm >> 2) & 3]!;
  t[2] = s.i32[(imm >> 4) & 3]!;
  t[3] = s.i32[(imm >> 6) & 3]!;
  d.set(scratch);
};
const shufpd: LaneOp = (d, s, imm) => {
  copyQuad(scratch, 0, d, imm & 1);
  copyQuad(scratch, 1, s, (imm >> 1) & 1);
  d.set(scratch);
};

const movhlps: LaneOp = (d, s) => copyQuad(d, 0, s, 1);
const movlhps: LaneOp = (d, s) => copyQuad(d, 1, s, 0);
const dup = (a: number, b: number): LaneOp => (d, s) => {
  const x = s.i32[a]!;
  const y = s.i32[b]!;
  d.i32[0] = x;
  d.i32[1] = x;
  d.i32[2] = y;
  d.i32[3] = y;
};
const movddup: LaneOp = (d, s) => {
  copyQuad(d, 0, s, 0);
  copyQuad(d, 1, s, 0);
};

const cvtps2pd: LaneOp = (d, s) => {
  const x = _f32ToF64(s.i32[0]!);
  d.f64[1] = _f32ToF64(s.i32[1]!);
  d.f64[0] = x;
};
const cvtpd2ps: LaneOp = (d, s) => {
  d.i32[0] = _f64ToF32(s.f64[0]!);
  d.i32[1] = _f64ToF32(s.f64[1]!);
  d.i32[2] = 0;
  d.i32[3] = 0;
};
const cvtdq2pd: LaneOp = (d, s) => {
  const x = s.i32[0]!;
  d.f64[1] = s.i32[1]!;
  d.f64[0] = x;
};
/** Two float64 lanes to two int32 lanes; the upper half of an XMM destination is zeroed. */
const pd2dq = (truncate: boolean): LaneOp => (d, s, _imm, bytes) => {
  d.i32[0] = _f64ToInt(s.f64[0]!, 32, truncate);
  d.i32[1] = _f64ToInt(s.f64[1]!, 32, truncate);
  if (bytes === 16) d.f64[1] = 0;
};
/** float32 lanes to int32 lanes (four for XMM, two for an MMX destination). */
const ps2dq = (truncate: boolean): LaneOp => (d, s, _imm, bytes) => {
  for (let k = 0; k < bytes / 4; k++) d.i32[k] = _f32ToInt(s.i32[k]!, 32, truncate);
};
const cvtdq2ps: LaneOp = (d, s) => {
  for (let k = 0; k < 4; k++) d.i32[k] = _intToF32(s.i32[k]!, s.i32[k]! < 0 ? -1 : 0);
};
const cvtpi2ps: LaneOp = (d, s) => {
  for (let k = 0; k < 2; k++) d.i32[k] = _intToF32(s.i32[k]!, s.i32[k]! < 0 ? -1 : 0);
};

/** Floating-point lane operations keyed by mnemonic. */
export const FLOAT_OPS: Record<string, LaneOp> = {
  addps: packed32(addF32),
  addss: scalar32(addF32),
  addpd: packed64(addF64),
  addsd: scalar64(addF64),
  subps: packed32(subF32),
  subss: scalar32(subF32),
  subpd: packed64(subF64),
  subsd: scalar64(subF64),
  mulps: packed32(mulF32),
  mulss: scalar32(mulF32),
  mulpd: packed64(mulF64),
  mulsd: scalar64(mulF64),
  divps: packed32(divF32),
  divss: scalar32(divF32),
  divpd: packed64(divF64),
  divsd: scalar64(divF64),
  minps: packed32(minF32),
  minss: scalar32(minF32),
  minpd: packed64(minF64),
  minsd: scalar64(minF64),
  maxps: packed32(maxF32),
  maxss: scalar32(maxF32),
  maxpd: packed64(maxF64),
  maxsd: scalar64(maxF64),
  cmpps: packed32(cmpF32),
  cmpss: scalar32(cmpF32),
  cmppd: (d, s, imm) => {
    compare64(d, s, imm, 0);
    compare64(d, s, imm, 1);
  },
  cmpsd: (d, s, imm) => compare64(d, s, imm, 0),
  sqrtps: unary32(sqrtF32),
  sqrtss: unaryScalar32(sqrtF32),
  sqrtpd: unary64(sqrtF64),
  sqrtsd: unaryScalar64(sqrtF64),
  rcpps: unary32(rcpF32),
  rcpss: unaryScalar32(rcpF32),
  rsqrtps: unary32(rsqrtF32),
  rsqrtss: unaryScalar32(rsqrtF32),
  roundps: unary32(roundF32),
  roundss: unaryScalar32(roundF32),
  roundpd: unary64(roundF64),
  roundsd: unaryScalar64(roundF64),
  haddps: horizontal32(addF32),
  hsubps: horizontal32(subF32),
  haddpd: horizontal64(addF64),
  hsubpd: horizontal64(subF64),
  addsubps,
  addsubpd,
  dpps,
  dppd,
  blendps,
  blendpd,
  blendvps,
  blendvpd,
  insertps,
  shufps,
  shufpd,
  movhlps,
  movlhps,
  movsldup: dup(0, 2),
  movshdup: dup(1, 3),
  movddup,
  cvtps2pd,
  cvtpd2ps,
  cvtss2sd: (d, s) => {
    d.f64[0] = _f32ToF64(s.i32[0]!);
  },
  cvtsd2ss: (d, s) => {
    d.i32[0] = _f64ToF32(s.f64[0]!);
  },
  cvtdq2ps,
  cvtdq2pd,
  cvtpi2pd: cvtdq2pd,
  cvtpi2ps,
  cvtps2dq: ps2dq(false),
  cvttps2dq: ps2dq(true),
  cvtps2pi: ps2dq(false),
  cvttps2pi: ps2dq(true),
  cvtpd2dq: pd2dq(false),
  cvttpd2dq: pd2dq(true),
  cvtpd2pi: pd2dq(false),
  cvttpd2pi: pd2dq(true),
};


/** Mnemonics whose lanes are floating point (the handler brackets them with MXCSR). */
export const FLOAT_MNEMONICS = new Set(Object.keys(FLOAT_OPS));


// Comparisons: MIN/MAX (second operand on NaN or equal), CMPPS predicates, COMISS/UCOMISS.
import { Mxcsr, fpEnv } from "./mxcsr.js";
import { isDenormal32, isDenormal64, isNaN32, isSNaN32, isSNaN64 } from "./float-bits.js";
import { in32, in64 } from "./float-arith.js";

// Imported constants copied into locals: loaders that wrap live bindings in getters would
// otherwise call one per use in these hot paths.
const IE = Mxcsr.IE;
const env = fpEnv;

/** The value of float32 bits after DAZ (raising DE for a denormal otherwise). */
const daz32 = in32;

/** The bits MIN/MAX return for an operand: a denormal read as zero under DAZ becomes zero. */
function zeroed(b: number): number {
  return env.daz && isDenormal32(b) ? b & 0x80000000 : b;
}

/** MINSD lane: a < b ? a : b, else b (also for NaNs, which raise IE, and for ±0); DAZ applies to the result. */
export function minF64(a: number, b: number): number {
  if (a !== a || b !== b) {
    env.flags |= IE;
    return env.daz && isDenormal64(b) ? (b < 0 ? -0 : 0) : b;
  }
  const x = in64(a);
  const y = in64(b);
  return x < y ? x : y;
}

/** MAXSD lane. */
export function maxF64(a: number, b: number): number {
  if (a !== a || b !== b) {
    env.flags |= IE;
    return env.daz && isDenormal64(b) ? (b < 0 ? -0 : 0) : b;
  }
  const x = in64(a);
  const y = in64(b);
  return x > y ? x : y;
}

/** MINSS lane (bits). */
export function minF32(a: number, b: number): number {
  if (isNaN32(a) || isNaN32(b)) {
    env.flags |= IE;
    return zeroed(b);
  }
  return daz32(a) < daz32(b) ? zeroed(a) : zeroed(b);
}

/** MAXSS lane (bits). */
export function maxF32(a: number, b: number): number {
  if (isNaN32(a) || isNaN32(b)) {
    env.flags |= IE;
    return zeroed(b);
  }
  return daz32(a) > daz32(b) ? zeroed(a) : zeroed(b);
}

/**
 * Result of a comparison: 0 less, 1 equal, 2 greater, 3 unordered. `signalling` makes a quiet
 * NaN raise IE too (COMISS, and the LT/LE/NLT/NLE predicates).
 */
export function compareF64(a: number, b: number, signalling: boolean): number {
  if (a !== a || b !== b) {
    if (signalling || isSNaN64(a) || isSNaN64(b)) env.flags |= IE;
    return 3;
  }
  const x = in64(a);
  const y = in64(b);
  return x < y ? 0 : x > y ? 2 : 1;
}

/** {@link compareF64} for float32 bits. */
export function compareF32(a: number, b: number, signalling: boolean): number {
  if (isNaN32(a) || isNaN32(b)) {
    if (signalling || isSNaN32(a) || isSNaN32(b)) env.flags |= IE;
    return 3;
  }
  const x = in32(a);
  const y = in32(b);
  return x < y ? 0 : x > y ? 2 : 1;
}

// Predicates 0-7 (EQ, LT, LE, UNORD, NEQ, NLT, NLE, ORD): which relations are true,
// as a bit mask over the compare results less(1) equal(2) greater(4) unordered(8).
const TRUE_FOR = [0b0010, 0b0001, 0b0011, 0b1000, 0b1101, 0b1110, 0b1100, 0b0111];
const SIGNALLING = [false, true, true, false, false, true, true, false];

/** CMPSD lane: all ones or zero for predicate imm & 7. Returns 0 or -1. */
export function cmpF64(a: number, b: number, predicate: number): number {
  const p = predicate & 7;
  return (TRUE_FOR[p]! >> compareF64(a, b, SIGNALLING[p]!)) & 1 ? -1 : 0;
}

/** CMPSS lane on bits. */
export function cmpF32(a: number, b: number, predicate: number): number {
  const p = predicate & 7;
  return (TRUE_FOR[p]! >> compareF32(a, b, SIGNALLING[p]!)) & 1 ? -1 : 0;
}

/** ZF PF CF for a compare result of COMISS/UCOMISS (OF SF AF cleared). */
export const COMIS_FLAGS = [0x1, 0x40, 0x0, 0x45];

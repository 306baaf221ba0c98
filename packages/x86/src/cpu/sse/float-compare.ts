// Comparisons: MIN/MAX, the CMPPS predicates, COMISS/UCOMISS.
import { Mxcsr, fpEnv } from "./mxcsr.js";
import { isDenormal32, isDenormal64, isNaN32, isSNaN32, isSNaN64 } from "./float-bits.js";
import { in32, in64 } from "./float-arith.js";

// Imported constants copied into locals: loaders that wrap live bindings in getters would
// otherwise call one per use in these hot paths.
const IE = Mxcsr.IE;
const env = fpEnv;

/** A float64 operand as MIN/MAX return it: a denormal reads as signed zero under DAZ. */
function dazValue64(x: number): number {
  return env.daz && isDenormal64(x) ? (x < 0 ? -0 : 0) : x;
}

/** float32 bits as MIN/MAX return them: a denormal becomes signed zero under DAZ. */
function dazBits32(b: number): number {
  return env.daz && isDenormal32(b) ? b & 0x80000000 : b;
}

// MIN and MAX return the first operand only when it is strictly less (greater) than the
// second; otherwise the second, also when either is a NaN (IE even for a quiet NaN) and for
// two zeros of either sign. Under DAZ the result is the zeroed operand.
const LESS = 0;
const GREATER = 2;

/** MINSD lane. */
export function minF64(a: number, b: number): number {
  return compareF64(a, b, true) === LESS ? dazValue64(a) : dazValue64(b);
}

/** MAXSD lane. */
export function maxF64(a: number, b: number): number {
  return compareF64(a, b, true) === GREATER ? dazValue64(a) : dazValue64(b);
}

/** MINSS lane (bits). */
export function minF32(a: number, b: number): number {
  return compareF32(a, b, true) === LESS ? dazBits32(a) : dazBits32(b);
}

/** MAXSS lane (bits). */
export function maxF32(a: number, b: number): number {
  return compareF32(a, b, true) === GREATER ? dazBits32(a) : dazBits32(b);
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

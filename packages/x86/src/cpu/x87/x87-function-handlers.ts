// The x87 instructions that work on the stack top: sign and magnitude, square root, rounding,
// classification, scaling and remainders, and the transcendental functions.
import type { Cpu } from "../cpu.js";
import type { Handler } from "../instr.js";
import { F80_ONE, type F80 } from "./f80.js";
import type { F80Env } from "./f80-env.js";
import { sqrt } from "./f80-arith.js";
import { Cc, examine } from "./f80-compare.js";
import { roundToIntegral } from "./f80-convert.js";
import { remainder } from "./f80-remainder.js";
import { extract, scale } from "./f80-scale.js";
import { arctan, trig, twoToXMinus1, yLog2X, yLog2XPlus1 } from "./f80-transcendental.js";
import { INDEFINITE, operand, record, waiting } from "./x87-support.js";
import { CC_MASK, type X87State } from "./x87-state.js";

/** Runs a waiting, non-memory instruction: checks #MF and records FIP/FOP. */
function begin(cpu: Cpu, i: Parameters<Handler>[1]): X87State {
  const x = waiting(cpu);
  record(x, i);
  return x;
}

/** ST(0) ← f(ST(0)). */
function unary(f: (env: F80Env, a: F80) => F80): Handler {
  return (cpu, i) => {
    const x = begin(cpu, i);
    const a = operand(x, 0);
    x.setSt(0, a ? f(x.env, a) : INDEFINITE);
    x.commit();
  };
}

/** ST(1) ← f(ST(1), ST(0)), then pop. */
function binaryPop(f: (env: F80Env, y: F80, x: F80) => F80): Handler {
  return (cpu, i) => {
    const x = begin(cpu, i);
    const st0 = operand(x, 0);
    const st1 = operand(x, 1);
    x.setSt(1, st0 && st1 ? f(x.env, st1, st0) : INDEFINITE);
    x.pop();
    x.commit();
  };
}

/** Sets the condition codes in `mask` to `cc` (after commit). */
function setCc(x: X87State, cc: number, mask = CC_MASK): void {
  x.status = (x.status & ~mask) | (cc & mask);
}

/** FSIN and FCOS: C2 set (operand kept) when |ST(0)| ≥ 2^63. */
function trigonometric(fn: "sin" | "cos"): Handler {
  return (cpu, i) => {
    const x = begin(cpu, i);
    const a = operand(x, 0);
    if (!a) {
      x.setSt(0, INDEFINITE);
      x.commit();
      return;
    }
    const r = trig(x.env, a, fn);
    if (!r.outOfRange) x.setSt(0, r.value);
    if (!x.commit()) setCc(x, r.outOfRange ? Cc.C2 : 0, Cc.C2);
  };
}

/**
 * Checks a two-result instruction's operand and room for the push; on stack underflow or
 * overflow writes the masked response (both results the default NaN) and returns undefined.
 */
function twoResultOperand(x: X87State): F80 | undefined {
  const a = operand(x, 0);
  if (a && x.isEmpty(7)) return a;
  if (a) x.stackFault(true);
  x.setSt(0, INDEFINITE);
  x.push(INDEFINITE);
  x.commit();
  return undefined;
}

/** FPTAN (pushes 1.0 after the tangent) and FSINCOS (ST(0) ← sin, then pushes cos). */
function trigonometricPush(fn: "tan" | "sincos"): Handler {
  return (cpu, i) => {
    const x = begin(cpu, i);
    const a = twoResultOperand(x);
    if (!a) return;
    const r = trig(x.env, a, fn);
    if (r.outOfRange) {
      x.commit();
      setCc(x, Cc.C2, Cc.C2);
      return;
    }
    const isNaN = r.value.exponent === 0x7fff && (r.value.hi & 0x7fffffff || r.value.lo);
    x.setSt(0, r.value);
    x.push(fn === "sincos" ? r.second : isNaN ? r.value : F80_ONE);
    x.commit();
    setCc(x, 0, Cc.C2);
  };
}

/** FPREM and FPREM1: C2 = incomplete reduction, C0 C3 C1 = quotient bits Q2 Q1 Q0. */
function partialRemainder(nearest: boolean): Handler {
  return (cpu, i) => {
    const x = begin(cpu, i);
    const st0 = operand(x, 0);
    const st1 = operand(x, 1);
    const r = st0 && st1 ? remainder(x.env, st0, st1, nearest) : { value: INDEFINITE, cc: -1 };
    x.setSt(0, r.value);
    // A NaN result (stack underflow included) or a trapped one clears only C2 on the host.
    const suppressed = x.commit();
    if (suppressed || r.cc < 0) setCc(x, 0, Cc.C2);
    else setCc(x, r.cc);
  };
}

/** FXTRACT: ST(0) ← exponent, then pushes the significand. */
function fxtract(cpu: Cpu, i: Parameters<Handler>[1]): void {
  const x = begin(cpu, i);
  const a = twoResultOperand(x);
  if (!a) return;
  const r = extract(x.env, a);
  x.setSt(0, r.exponent);
  x.push(r.significand);
  x.commit();
}

/** FXAM: classifies ST(0) into C3 C2 C1 C0 (empty registers included). */
function fxam(cpu: Cpu, i: Parameters<Handler>[1]): void {
  const x = begin(cpu, i);
  x.commit();
  setCc(x, examine(x.st(0), x.isEmpty(0)));
}

/** FCHS and FABS: sign operations that never raise anything but stack underflow. */
function sign(f: (a: F80) => F80): Handler {
  return (cpu, i) => {
    const x = begin(cpu, i);
    const a = operand(x, 0);
    x.setSt(0, a ? f(a) : INDEFINITE);
    x.commit();
  };
}

/** Stack-top function handlers by mnemonic. */
export const X87_FUNCTION_HANDLERS: Record<string, Handler> = {
  fchs: sign((a) => a.withSign(a.sign ^ 1)),
  fabs: sign((a) => a.withSign(0)),
  fsqrt: unary(sqrt),
  frndint: unary(roundToIntegral),
  f2xm1: unary(twoToXMinus1),
  fxam,
  fxtract,
  fscale: (cpu, i) => {
    const x = begin(cpu, i);
    const st0 = operand(x, 0);
    const st1 = operand(x, 1);
    x.setSt(0, st0 && st1 ? scale(x.env, st0, st1) : INDEFINITE);
    x.commit();
  },
  fprem: partialRemainder(false),
  fprem1: partialRemainder(true),
  fsin: trigonometric("sin"),
  fcos: trigonometric("cos"),
  fptan: trigonometricPush("tan"),
  fsincos: trigonometricPush("sincos"),
  fpatan: binaryPop(arctan),
  fyl2x: binaryPop(yLog2X),
  fyl2xp1: binaryPop(yLog2XPlus1),
};

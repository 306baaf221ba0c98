/** x87 exception flag bits, as in the status word (and the control word's mask bits). */
export const FpException = {
  /** IE: invalid operation. */
  Invalid: 0x01,
  /** DE: denormal operand. */
  Denormal: 0x02,
  /** ZE: division by zero. */
  ZeroDivide: 0x04,
  /** OE: overflow. */
  Overflow: 0x08,
  /** UE: underflow. */
  Underflow: 0x10,
  /** PE: precision (inexact result). */
  Precision: 0x20,
} as const;

/** Rounding control (control word bits 10–11). */
export const Rounding = {
  Nearest: 0,
  Down: 1,
  Up: 2,
  TowardZero: 3,
} as const;

/**
 * The rounding environment of an operation and what it reports: rounding and precision
 * control in, exception flags and the C1 "rounded up" indication out.
 */
export class F80Env {
  /** A {@link Rounding} value. */
  rounding: number = Rounding.Nearest;
  /** Significand bits kept by add, sub, mul, div and sqrt: 24, 53 or 64. */
  precision = 64;
  /** Accumulated {@link FpException} bits (sticky: the caller clears them). */
  flags = 0;
  /** True when the last rounded result has a larger magnitude than the exact one (C1). */
  roundedUp = false;
  /**
   * {@link FpException} bits whose exceptions are unmasked. Only OE and UE change results here:
   * an extended result then keeps its rounded significand with the exponent wrapped by 24576.
   */
  unmasked = 0;

  /** Takes rounding control, precision control and the exception masks from an x87 control word. */
  setControlWord(cw: number): this {
    this.rounding = (cw >>> 10) & 3;
    const pc = (cw >>> 8) & 3;
    // PC 1 is reserved; hardware treats it as 64 bits (as does this).
    this.precision = pc === 0 ? 24 : pc === 2 ? 53 : 64;
    this.unmasked = ~cw & 0x3f;
    return this;
  }
}

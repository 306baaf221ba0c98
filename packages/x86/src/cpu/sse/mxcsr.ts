// MXCSR: the SSE control/status register, and the per-instruction floating-point environment
// the lane functions read (rounding, DAZ, FTZ) and write (exception flags).

/** MXCSR bits. */
export const Mxcsr = {
  /** Invalid operation flag. */
  IE: 0x1,
  /** Denormal operand flag. */
  DE: 0x2,
  /** Divide-by-zero flag. */
  ZE: 0x4,
  /** Overflow flag. */
  OE: 0x8,
  /** Underflow flag. */
  UE: 0x10,
  /** Precision (inexact) flag. */
  PE: 0x20,
  /** Denormals are zeros: denormal inputs read as signed zero. */
  DAZ: 0x40,
  /** The six exception masks, IM..PM (bits 7-12), one per flag shifted left by 7. */
  MASKS: 0x1f80,
  /** Rounding control (bits 13-14), a {@link Rounding} value shifted left by 13. */
  RC: 0x6000,
  /** Flush to zero: tiny results become signed zero when underflow is masked. */
  FTZ: 0x8000,
  /** Every bit a guest may set; the others are reserved (LDMXCSR raises #GP). */
  WRITABLE: 0xffff,
  /** The value at reset and as Linux starts a program: all exceptions masked, round to nearest. */
  RESET: 0x1f80,
} as const;

/** Rounding modes, as in MXCSR.RC and the ROUNDPS immediate. */
export const Rounding = { Nearest: 0, Down: 1, Up: 2, Zero: 3 } as const;

/**
 * The floating-point environment of the instruction being executed. A handler loads it from
 * MXCSR with {@link beginFp}, the lane functions read the mode and OR exception flags into
 * `flags`, and {@link fpExceptions} tells the handler what to merge and whether to fault.
 * One shared object: no allocation per instruction.
 */
export const fpEnv = {
  /** A {@link Rounding} value. */
  rc: 0 as number,
  /** Denormal inputs read as zero. */
  daz: false,
  /** Tiny results flush to zero (only when underflow is masked, as on hardware). */
  ftz: false,
  /** The exception flags whose mask bit is clear (such a flag makes the instruction fault). */
  unmasked: 0,
  /**
   * Rounding to nearest with PE already set in MXCSR and masked: a result in the normal range
   * is then JS arithmetic's own, and whether it is exact changes no flag, so the lanes may skip
   * the error computation. (Tiny and overflowing results still take the exact path.)
   */
  inexactKnown: false,
  /** Exception flags raised so far by this instruction (low six MXCSR bits). */
  flags: 0,
};

/** Loads {@link fpEnv} from an MXCSR value and clears the instruction's flags. */
export function beginFp(mxcsr: number): void {
  fpEnv.rc = (mxcsr >> 13) & 3;
  fpEnv.daz = (mxcsr & Mxcsr.DAZ) !== 0;
  // FTZ only changes the masked response to underflow.
  fpEnv.unmasked = ~(mxcsr >> 7) & 0x3f;
  fpEnv.ftz = (mxcsr & Mxcsr.FTZ) !== 0 && (fpEnv.unmasked & Mxcsr.UE) === 0;
  fpEnv.flags = 0;
  fpEnv.inexactKnown = fpEnv.rc === Rounding.Nearest && (mxcsr & Mxcsr.PE) !== 0 && (fpEnv.unmasked & Mxcsr.PE) === 0;
}

/** The raised flags whose mask bit is clear: non-zero means the instruction must raise #XM. */
export function unmaskedExceptions(mxcsr: number, flags: number): number {
  return flags & ~(mxcsr >> 7) & 0x3f;
}

import { F80 } from "./f80.js";
import { Rounding } from "./f80-env.js";

/** A constant as 128 significand bits (leading bit set) and the sign/exponent word. */
interface WideConstant {
  se: number;
  bits: bigint;
}

// The constants FLDPI, FLDL2T, FLDL2E, FLDLG2 and FLDLN2 load, to 128 bits.
const WIDE = {
  pi: { se: 0x4000, bits: 0xc90fdaa22168c234c4c6628b80dc1cd1n },
  l2t: { se: 0x4000, bits: 0xd49a784bcd1b8afe492bf6ff4dafdb4cn },
  l2e: { se: 0x3fff, bits: 0xb8aa3b295c17f0bbbe87fed0691d3e89n },
  lg2: { se: 0x3ffd, bits: 0x9a209a84fbcff7988f8959ac0b7c9178n },
  ln2: { se: 0x3ffe, bits: 0xb17217f7d1cf79abc9e3b39803f2f6afn },
} as const satisfies Record<string, WideConstant>;

/** Names of the x87 constants FLDPI (pi), FLDL2T (log2 10), FLDL2E (log2 e), FLDLG2 (log10 2), FLDLN2 (ln 2). */
export type ConstantName = keyof typeof WIDE;

/**
 * The constant rounded to 64 bits with a rounding mode, as the x87 loads it (no precision
 * control, no exceptions: the hardware sets no flags for these loads). All are positive.
 */
export function constant(name: ConstantName, rounding: number): F80 {
  const c = WIDE[name];
  const truncated = c.bits >> 64n;
  // Every tail here is nonzero and none is exactly a half, so nearest is decided by bit 63.
  const up = rounding === Rounding.Nearest ? ((c.bits >> 63n) & 1n) === 1n : rounding === Rounding.Up;
  return F80.of(c.se, up ? truncated + 1n : truncated);
}

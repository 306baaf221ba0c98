// PCLMULQDQ: the carry-less (GF(2)[x]) product of two 64-bit halves into 128 bits.
import type { LaneOp } from "./lanes.js";

/** Carry-less 32 x 32 → 64 product, XORed into out[at] (low) and out[at + 1] (high). */
function clmul32(a: number, b: number, out: Uint32Array, at: number): void {
  let lo = 0;
  let hi = 0;
  for (let k = 0; k < 32; k++) {
    if ((b >>> k) & 1) {
      lo ^= a << k;
      if (k !== 0) hi ^= a >>> (32 - k);
    }
  }
  out[at] = out[at]! ^ lo;
  out[at + 1] = out[at + 1]! ^ hi;
}

const product = new Uint32Array(5);

/** PCLMULQDQ: imm bit 0 picks the destination's quadword, bit 4 the source's. */
export const pclmulqdq: LaneOp = (d, s, imm) => {
  const a = imm & 1 ? 2 : 0;
  const b = imm & 0x10 ? 2 : 0;
  const al = d.u32[a]!;
  const ah = d.u32[a + 1]!;
  const bl = s.u32[b]!;
  const bh = s.u32[b + 1]!;
  product.fill(0);
  clmul32(al, bl, product, 0);
  clmul32(al, bh, product, 1);
  clmul32(ah, bl, product, 1);
  clmul32(ah, bh, product, 2);
  d.u32[0] = product[0]!;
  d.u32[1] = product[1]!;
  d.u32[2] = product[2]!;
  d.u32[3] = product[3]!;
};

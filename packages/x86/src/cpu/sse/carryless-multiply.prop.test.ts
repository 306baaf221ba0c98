import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pclmulqdq } from "./carryless-multiply.js";
import { Lanes } from "./lanes.js";

/** Carry-less product by shifting and XOR on bigints: the textbook definition. */
function clmul(a: bigint, b: bigint): bigint {
  let r = 0n;
  for (let k = 0n; k < 64n; k++) if ((b >> k) & 1n) r ^= a << k;
  return r;
}

function quad(l: Lanes, k: number): bigint {
  return (BigInt(l.u32[2 * k + 1]!) << 32n) | BigInt(l.u32[2 * k]!);
}

function setQuad(l: Lanes, k: number, v: bigint): void {
  l.u32[2 * k] = Number(v & 0xffffffffn);
  l.u32[2 * k + 1] = Number((v >> 32n) & 0xffffffffn);
}

describe("PCLMULQDQ", () => {
  it("equals the carry-less product of the selected quadwords", () => {
    const q = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
    fc.assert(
      fc.property(q, q, q, q, fc.constantFrom(0x00, 0x01, 0x10, 0x11), (d0, d1, s0, s1, imm) => {
        const d = new Lanes();
        const s = new Lanes();
        setQuad(d, 0, d0);
        setQuad(d, 1, d1);
        setQuad(s, 0, s0);
        setQuad(s, 1, s1);
        pclmulqdq(d, s, imm, 16);
        const want = clmul(imm & 1 ? d1 : d0, imm & 0x10 ? s1 : s0);
        expect((quad(d, 1) << 64n) | quad(d, 0)).toBe(want);
      }),
      { numRuns: 300 },
    );
  });
});

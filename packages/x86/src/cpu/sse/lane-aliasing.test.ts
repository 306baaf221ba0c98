// The in-place path runs LaneOps with d and s as the same register (pxor xmm0,xmm0,
// addps xmm1,xmm1…): each op must give what it gives on two separate copies, flags included.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AES_OPS } from "./aes.js";
import { pclmulqdq } from "./carryless-multiply.js";
import { INTEGER_OPS, SHIFT_IMM_OPS } from "./integer-ops.js";
import { FLOAT_OPS } from "./float-ops.js";
import { type LaneOp, Lanes } from "./lanes.js";
import { Mxcsr, beginFp, fpEnv } from "./mxcsr.js";

const OPS: [string, LaneOp][] = [
  ...Object.entries(INTEGER_OPS),
  ...Object.entries(SHIFT_IMM_OPS),
  ...Object.entries(AES_OPS),
  ["pclmulqdq", pclmulqdq],
  ...Object.entries(FLOAT_OPS),
];

describe("LaneOps with d and s the same value", () => {
  for (const [name, op] of OPS) {
    it(name, () => {
      fc.assert(
        fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.integer({ min: 0, max: 255 }), (bytes, imm) => {
          const same = new Lanes();
          same.u8.set(bytes);
          beginFp(Mxcsr.RESET);
          op(same, same, imm, 16);
          const sameFlags = fpEnv.flags;
          const d = new Lanes();
          const s = new Lanes();
          d.u8.set(bytes);
          s.u8.set(bytes);
          beginFp(Mxcsr.RESET);
          op(d, s, imm, 16);
          expect([...same.u8]).toEqual([...d.u8]);
          expect(sameFlags).toBe(fpEnv.flags);
        }),
        { numRuns: 50 },
      );
    });
  }
});

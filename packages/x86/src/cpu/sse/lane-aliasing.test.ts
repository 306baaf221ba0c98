// The in-place path runs integer LaneOps with d and s as the same register (pxor xmm0,xmm0,
// pshufb xmm1,xmm1…): each op must give what it gives on two separate copies.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AES_OPS } from "./aes.js";
import { pclmulqdq } from "./carryless-multiply.js";
import { INTEGER_OPS, SHIFT_IMM_OPS } from "./integer-ops.js";
import { type LaneOp, Lanes } from "./lanes.js";

const OPS: [string, LaneOp][] = [...Object.entries(INTEGER_OPS), ...Object.entries(SHIFT_IMM_OPS), ...Object.entries(AES_OPS), ["pclmulqdq", pclmulqdq]];

describe("integer LaneOps with d and s the same value", () => {
  for (const [name, op] of OPS) {
    it(name, () => {
      fc.assert(
        fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.integer({ min: 0, max: 255 }), (bytes, imm) => {
          const same = new Lanes();
          same.u8.set(bytes);
          op(same, same, imm, 16);
          const d = new Lanes();
          const s = new Lanes();
          d.u8.set(bytes);
          s.u8.set(bytes);
          op(d, s, imm, 16);
          expect([...same.u8]).toEqual([...d.u8]);
        }),
        { numRuns: 50 },
      );
    });
  }
});

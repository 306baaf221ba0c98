import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { getI64, getU64, set64 } from "./bytes-view.js";

describe("64-bit fields from numbers", () => {
  it("store exactly what BigInt would, and read back every safe integer", () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (n) => {
        const v = new DataView(new ArrayBuffer(8));
        set64(v, 0, n);
        expect(v.getBigInt64(0, true)).toBe(BigInt(n));
        expect(getI64(v, 0)).toBe(n);
        if (n >= 0) expect(getU64(v, 0)).toBe(n);
      }),
    );
  });

  it("read values beyond 2^53 as Number(BigInt) rounds them", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), (b) => {
        const v = new DataView(new ArrayBuffer(8));
        v.setBigUint64(0, b, true);
        expect(getU64(v, 0)).toBe(Number(b));
        expect(getI64(v, 0)).toBe(Number(BigInt.asIntN(64, b)));
      }),
    );
  });
});

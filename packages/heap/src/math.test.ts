import { describe, expect, it } from "vitest";
import { findOrder, isPowerOfTwo, pad } from "./math.js";

describe("rounding helpers", () => {
  it("findOrder is the ceiling of log2, 0 for 0 and 1, and terminates on non-finite input", () => {
    for (let k = 0; k < 53; k++) {
      expect(findOrder(2 ** k)).toBe(k);
      if (k > 1) expect(findOrder(2 ** k + 1)).toBe(k + 1);
      if (k > 1) expect(findOrder(2 ** k - 1)).toBe(k);
    }
    expect(findOrder(0)).toBe(0);
    expect(findOrder(Number.NaN)).toBe(0);
    expect(findOrder(-5)).toBe(0);
    expect(findOrder(Infinity)).toBe(Infinity);
  });

  it("pad rounds up to a multiple; isPowerOfTwo accepts only positive integral powers", () => {
    expect(pad(0, 8)).toBe(0);
    expect(pad(9, 8)).toBe(16);
    expect(pad(2 ** 52 + 1, 2 ** 12)).toBe(2 ** 52 + 2 ** 12);
    expect([1, 2, 4096, 2 ** 52].every(isPowerOfTwo)).toBe(true);
    expect([0, 3, -4, 0.5, Number.NaN, Infinity].some(isPowerOfTwo)).toBe(false);
  });
});

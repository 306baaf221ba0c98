import { describe, expect, it } from "vitest";
import { compareWithIced } from "./iced-oracle.js";

// A seeded sample; scripts/iced-diff.ts runs millions of windows.
describe("random 15-byte windows against iced-x86", () => {
  it.each([1, 2])("seed %i: same length and operands whenever both decode, same validity except EVEX/XOP", (seed) => {
    const r = compareWithIced(100_000, seed, 10);
    expect(r.lengthMismatch, r.examples.join("\n")).toBe(0);
    // Residual operand differences are where objdump and iced disagree (66 movsxd, verr r32,
    // implicit maskmovq/sha256rnds2 operands) and we follow objdump: about 1 in 70 000.
    expect(r.operandMismatch / r.bothValid, r.examples.join("\n")).toBeLessThan(1e-4);
    expect(r.weValidIcedInvalid, r.examples.join("\n")).toBe(0);
    expect(r.bothValid).toBeGreaterThan(80_000);
    expect(r.icedValidWeInvalid, r.examples.join("\n")).toBe(0);
    // Only EVEX (AVX-512) and AMD XOP are outside the decoder: about 1 window in 100 000.
    expect(r.unsupportedNotEvexXop, r.examples.join("\n")).toBe(0);
  });
});

describe("random 15-byte windows against iced-x86 in 32-bit mode", () => {
  it("same length, validity and operands (objdump's register names aside) on 100 000 windows", () => {
    const r = compareWithIced(100_000, 3, 10, 32);
    expect(r.lengthMismatch, r.examples.join("\n")).toBe(0);
    expect(r.weValidIcedInvalid, r.examples.join("\n")).toBe(0);
    expect(r.icedValidWeInvalid, r.examples.join("\n")).toBe(0);
    expect(r.unsupportedNotEvexXop, r.examples.join("\n")).toBe(0);
    expect(r.operandMismatch / r.bothValid, r.examples.join("\n")).toBeLessThan(1e-4);
    expect(r.bothValid).toBeGreaterThan(90_000);
  });
});


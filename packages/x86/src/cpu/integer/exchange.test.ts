import { describe, expect, it } from "vitest";
import { Vector } from "../exit.js";
import { DATA, run } from "./test-machine.js";

// SDM vol. 2 CMPXCHG16B: a memory operand not aligned to 16 bytes raises #GP(0) (before any
// page check).
describe("cmpxchg16b", () => {
  it("raises #GP for a misaligned kernel-half address a number would round to an aligned one", () => {
    // 2^64 - 8 rounds to 2^64 as a number, which looks 16-aligned.
    const o = run("480fc70b", { rbx: 0xfffffffffffffff8n });
    expect(o.fault?.vector).toBe(Vector.GP);
  });

  it("raises #PF for an aligned kernel-half address", () => {
    const o = run("480fc70b", { rbx: 0xfffffffffffffff0n });
    expect(o.fault?.vector).toBe(Vector.PF);
  });

  it("raises #GP for a misaligned user address even when mapped", () => {
    const o = run("480fc70b", { rbx: BigInt(DATA + 8) });
    expect(o.fault?.vector).toBe(Vector.GP);
  });
});

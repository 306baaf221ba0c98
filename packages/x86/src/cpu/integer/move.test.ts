import { describe, expect, it } from "vitest";
import { BARE_LAYOUT } from "../bare-machine.js";
import { R, run } from "./test-machine.js";

describe("lea", () => {
  // SDM vol. 2 §2.2.1.6: with 0x67, RIP-relative becomes EIP-relative: the address of the next
  // instruction plus disp32, truncated to 32 bits.
  it("computes eip-relative addresses with the 0x67 prefix", () => {
    const o = run("678d3d00010000", { rdi: 0xffffffffffff8000n, rcx: 0x1234n }); // lea edi, [eip+0x100]
    expect(o.m.cpu.getReg(R.rdi)).toBe(BigInt(BARE_LAYOUT.code + 7 + 0x100));
  });

  it("zero-extends a 32-bit eip-relative address into a 64-bit destination", () => {
    const o = run("674c8d2d00010000", { r13: 0x7fffffffffffffffn }); // lea r13, [eip+0x100]
    expect(o.m.cpu.getReg(R.r13)).toBe(BigInt(BARE_LAYOUT.code + 8 + 0x100));
  });
});

import { describe, expect, it } from "vitest";
import { R, run } from "./test-machine.js";

// A count that masks to zero changes no flags and no value, but the instruction still writes its
// 32-bit register destination, which clears bits 63:32 as every dword write does (SDM vol. 1
// §3.4.1.1). The host CPU agrees (differential fixtures).
describe("shifts by a masked count of zero", () => {
  const flags = 0x202 | 0x1 | 0x40 | 0x800; // CF ZF OF
  it.each([
    ["shl r12d, cl (cl = 0)", "41d3e4", { rcx: 0x8000000000000000n }],
    ["sar r12d, 0x20 (masks to 0)", "41c1fc20", {}],
    ["rol r12d, 0x20 (masks to 0)", "41c1c420", {}],
    ["rcl r12d, cl (cl = 0x20)", "41d3d4", { rcx: 0x20n }],
    ["shld r12d, eax, 0", "410fa4c400", {}],
    ["shrd r12d, eax, cl (cl = 0x40)", "410fadc4", { rcx: 0x40n }],
  ])("%s clears the high half and keeps the flags", (_name, code, regs) => {
    const o = run(code, { r12: 0x29b572bdd62c6456n, ...regs }, () => {}, flags);
    expect(o.fault).toBeUndefined();
    expect(o.m.cpu.getReg(R.r12)).toBe(0xd62c6456n);
    expect(o.m.cpu.rflags).toBe(flags);
  });

  it("a 64-bit register keeps all its bits", () => {
    const o = run("49d3e4", { r12: 0x29b572bdd62c6456n, rcx: 0x40n }, () => {}, flags);
    expect(o.m.cpu.getReg(R.r12)).toBe(0x29b572bdd62c6456n);
    expect(o.m.cpu.rflags).toBe(flags);
  });
});

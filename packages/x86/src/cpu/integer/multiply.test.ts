import { describe, expect, it } from "vitest";
import { Vector } from "../exit.js";
import { R, run } from "./test-machine.js";

// SDM vol. 2 DIV/IDIV: the dividend is rdx:rax (128 bits); a quotient that does not fit in 64
// bits raises #DE with no register changed.
describe("64-bit division", () => {
  it("idiv sees the high half of rdx: (2^96 + 0x34) / 15 overflows", () => {
    const o = run("48f7f9", { rax: 0x34n, rdx: 0x100000000n, rcx: 15n });
    expect(o.fault?.vector).toBe(Vector.DE);
    expect(o.m.cpu.getReg(R.rax)).toBe(0x34n);
    expect(o.m.cpu.getReg(R.rdx)).toBe(0x100000000n);
  });

  it("idiv with rdx the sign extension of rax divides the 64-bit value", () => {
    const o = run("48f7f9", { rax: BigInt.asUintN(64, -100n), rdx: 0xffffffffffffffffn, rcx: 7n });
    expect(o.fault).toBeUndefined();
    expect(o.m.cpu.getReg(R.rax)).toBe(BigInt.asUintN(64, -14n));
    expect(o.m.cpu.getReg(R.rdx)).toBe(BigInt.asUintN(64, -2n));
  });

  it("idiv with a non-zero rdx that is not rax's sign takes the 128-bit path", () => {
    // rdx:rax = 2^64 + 6 (rdx = 1): quotient (2^64 + 6) / 2^33 = 2^31, remainder 6.
    const o = run("48f7f9", { rax: 6n, rdx: 1n, rcx: 1n << 33n });
    expect(o.fault).toBeUndefined();
    expect(o.m.cpu.getReg(R.rax)).toBe(1n << 31n);
    expect(o.m.cpu.getReg(R.rdx)).toBe(6n);
  });
});

// 64-bit multiplication against bigint arithmetic: mul, one-operand imul and two-operand imul.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BareMachine } from "../bare-machine.js";

const u64 = fc.oneof(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.constantFrom(0n, 1n, (1n << 63n) - 1n, 1n << 63n, (1n << 64n) - 1n, 0xffffffffn, 0x100000000n));

function run(code: number[], rax: bigint, rcx: bigint): BareMachine {
  const m = new BareMachine({ memoryBytes: 1 << 20 });
  m.load(Uint8Array.from([...code, 0xcc]));
  m.cpu.setReg(0, rax);
  m.cpu.setReg(1, rcx);
  m.runToExit(10);
  return m;
}

describe("64-bit multiplication", () => {
  it("mul rcx gives the unsigned 128-bit product in rdx:rax, CF=OF=(rdx≠0)", () => {
    fc.assert(
      fc.property(u64, u64, (a, b) => {
        const m = run([0x48, 0xf7, 0xe1], a, b);
        const p = a * b;
        expect(m.cpu.getReg(0)).toBe(p & ((1n << 64n) - 1n));
        expect(m.cpu.getReg(2)).toBe(p >> 64n);
        expect((m.cpu.rflags & 0x801) !== 0).toBe(p >> 64n !== 0n);
      }),
    );
  });

  it("imul rcx gives the signed 128-bit product in rdx:rax", () => {
    fc.assert(
      fc.property(u64, u64, (a, b) => {
        const m = run([0x48, 0xf7, 0xe9], a, b);
        const p = BigInt.asIntN(64, a) * BigInt.asIntN(64, b);
        expect(m.cpu.getReg(0)).toBe(BigInt.asUintN(64, p));
        expect(m.cpu.getReg(2)).toBe(BigInt.asUintN(64, p >> 64n));
        expect((m.cpu.rflags & 0x801) === 0x801).toBe(BigInt.asIntN(64, p) !== p);
      }),
    );
  });

  it("imul rax, rcx truncates and flags signed overflow", () => {
    fc.assert(
      fc.property(u64, u64, (a, b) => {
        const m = run([0x48, 0x0f, 0xaf, 0xc1], a, b);
        const p = BigInt.asIntN(64, a) * BigInt.asIntN(64, b);
        expect(m.cpu.getReg(0)).toBe(BigInt.asUintN(64, p));
        expect((m.cpu.rflags & 0x801) === 0x801).toBe(BigInt.asIntN(64, p) !== p);
      }),
    );
  });
});

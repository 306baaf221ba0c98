import { describe, expect, it } from "vitest";
import { Flag } from "../flags.js";
import { Vector } from "../exit.js";
import { DATA, R, run } from "./test-machine.js";

// SDM vol. 2 BT: with a register destination the bit offset is taken modulo the operand size;
// with a memory destination a register offset is signed and addresses the operand-sized unit
// at base + (offset >> 3) rounded down to the operand size.
describe("bt/bts/btr/btc", () => {
  it("take a register bit offset modulo 64 from its low bits, however large the register", () => {
    // bts r15, rdx: rdx = 0x6191e16352974ac7, 0xc7 mod 64 = 7.
    const o = run("490fabd7", { r15: 1n, rdx: 0x6191e16352974ac7n });
    expect(o.m.cpu.getReg(R.r15)).toBe(0x81n);
    expect(o.m.cpu.rflags & Flag.CF).toBe(0);
  });

  it("bt rcx, r10 reads the bit the low six bits of r10 name", () => {
    // r10 = 0xfedcba9876543221: bit 33 of rcx.
    const o = run("4c0fa3d1", { rcx: 1n << 33n, r10: 0xfedcba9876543221n });
    expect(o.m.cpu.rflags & Flag.CF).toBe(Flag.CF);
  });

  it("bt word [rbx], r8w reaches below the operand with a negative offset", () => {
    // -1276 = -80 * 16 + 4: the word at rbx - 160, bit 4.
    const o = run("66440fa303", { rbx: BigInt(DATA + 0x200), r8: 0xfb04n }, (m) => m.poke(DATA + 0x200 - 160, Uint8Array.of(0x10, 0)));
    expect(o.fault).toBeUndefined();
    expect(o.m.cpu.rflags & Flag.CF).toBe(Flag.CF);
  });

  it("with 0x67 the displaced address wraps at 2^32", () => {
    // btr qword [ebx], r11 with r11 = (2^32 + 8) * 8: the unit at ebx + 2^32 + 8, which wraps to
    // ebx + 8 in a 32-bit address; bit 0 of it.
    const o = run("674c0fb31b", { rbx: BigInt(DATA), r11: (2n ** 32n + 8n) * 8n }, (m) => m.poke(DATA + 8, Uint8Array.of(0xff)));
    expect(o.fault).toBeUndefined();
    expect(o.m.peek(DATA + 8, 1)[0]).toBe(0xfe);
    expect(o.m.cpu.rflags & Flag.CF).toBe(Flag.CF);
  });

  it("raise #PF (not #GP) when a negative offset moves a kernel-half base further down", () => {
    // bt word [r10], r8w with r10 = 2^64 - 8 and offset -1276: the word at 2^64 - 168.
    const o = run("66450fa302", { r10: 0xfffffffffffffff8n, r8: 0xfb04n });
    expect(o.fault?.vector).toBe(Vector.PF);
    expect(o.fault?.errorCode).toBe(5); // present, user: a supervisor page
  });
});

describe("bt with a stack-segment memory operand", () => {
  // bt qword [rbp+0x42], rax: rax = 2^62 bits puts the unit 2^59 bytes away, non-canonical.
  // rbp's segment is ss, so the fault is #SS(0) (SDM vol. 2 BT, 64-bit mode exceptions).
  const regs = { rbp: BigInt(0x10000000), rax: 1n << 62n };
  it("raises #SS when a register offset moves an rbp-based address out of canonical form", () => {
    expect(run("480fa34542", regs).fault?.vector).toBe(12);
  });
  it("raises #GP for the same address based on another register", () => {
    expect(run("480fa34342", { rbx: regs.rbp, rax: regs.rax }).fault?.vector).toBe(Vector.GP);
  });
  it("raises #GP when an fs override replaces the stack segment", () => {
    expect(run("64480fa34542", regs).fault?.vector).toBe(Vector.GP);
  });
});

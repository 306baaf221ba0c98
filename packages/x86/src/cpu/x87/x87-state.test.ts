import { describe, expect, it } from "vitest";
import { F80 } from "./f80.js";
import { Tag, X87State } from "./x87-state.js";

describe("X87State", () => {
  it("starts as FNINIT leaves it: control 0x037f, status 0, all registers empty", () => {
    const x = new X87State();
    expect(x.control).toBe(0x037f);
    expect(x.statusWord).toBe(0);
    expect(x.tagWord).toBe(0xffff);
    expect(x.env.rounding).toBe(0);
    expect(x.env.precision).toBe(64);
  });

  it("keeps control-word bits as the host does (bit 6 reads 1, bits 13–15 read 0)", () => {
    const x = new X87State();
    for (const [written, read] of [
      [0x0000, 0x0040],
      [0xffff, 0x1f7f],
      [0x1000, 0x1040],
      [0x0100, 0x0140],
    ] as const) {
      x.setControl(written);
      expect(x.control).toBe(read);
    }
    x.setControl(0x0c7f);
    expect(x.env.rounding).toBe(3);
  });

  it("computes the full tag word from register contents", () => {
    const x = new X87State();
    x.push(F80.of(0x3fff, 1n << 63n)); // R7 valid
    x.push(F80.of(0, 0n)); // R6 zero
    x.push(F80.of(0x7fff, 1n << 63n)); // R5 special (infinity)
    x.push(F80.of(0, 1n)); // R4 special (denormal)
    expect(x.tagWord).toBe((Tag.Valid << 14) | (Tag.Zero << 12) | (Tag.Special << 10) | (Tag.Special << 8) | 0xff);
    x.tagWord = 0xffff;
    expect(x.valid).toBe(0);
  });

  it("status word carries TOP in bits 11–13; an unmasked pending flag sets ES and B", () => {
    const x = new X87State();
    x.statusWord = 0x3804;
    expect(x.top).toBe(7);
    expect(x.statusWord & 0x8080).toBe(0); // ZE masked
    x.setControl(0x037b);
    expect(x.statusWord & 0x8080).toBe(0x8080);
  });

  it("aliases MMX onto the register significands: a write sets exponent 0xFFFF, TOP 0, all tags valid", () => {
    const x = new X87State();
    x.top = 5;
    x.setMmx(3, 0x89abcdef, 0x01234567);
    expect(x.top).toBe(0);
    // Every register in use: the zeros tag 01, R3 (exponent all ones) tags 10.
    expect(x.tagWord).toBe(0x5595);
    expect(x.regs[3]!.toHex()).toBe("ffff0123456789abcdef");
    expect(x.getMmx(3)).toBe(0x89abcdef | 0);
    expect(x.mmxHi).toBe(0x01234567);
    x.emms();
    expect(x.tagWord).toBe(0xffff);
  });

  it("x87 values seen as MMX registers: the significand of the physical register", () => {
    const x = new X87State();
    x.push(F80.of(0x3fff, 0x8000000000000001n)); // physical R7
    expect(x.getMmx(7)).toBe(1);
    expect(x.mmxHi).toBe(0x80000000 | 0);
  });

  it("records stack faults for commit: overflow sets C1, underflow clears it", () => {
    const x = new X87State();
    x.stackFault(true);
    x.commit();
    expect(x.statusWord).toBe(0x0241);
    x.status = 0x0200;
    x.stackFault(false);
    x.commit();
    expect(x.statusWord).toBe(0x0041);
  });
});

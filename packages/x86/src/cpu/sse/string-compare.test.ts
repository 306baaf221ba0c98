import { describe, expect, it } from "vitest";
import { Lanes } from "./lanes.js";
import { compareStrings, explicitLength, implicitLength, writeMask } from "./string-compare.js";

function text(s: string): Lanes {
  const l = new Lanes();
  l.u8.set(new TextEncoder().encode(s).subarray(0, 16));
  return l;
}

const CF = 0x1;
const ZF = 0x40;
const SF = 0x80;
const OF = 0x800;

function istri(a: string, b: string, imm: number): { index: number; flags: number; mask: number } {
  const x = text(a);
  const y = text(b);
  const r = compareStrings(x, y, implicitLength(x, (imm & 1) !== 0), implicitLength(y, (imm & 1) !== 0), imm);
  return { index: r.index, flags: r.flags, mask: r.mask };
}

describe("PCMPxSTRx", () => {
  it("equal ordered finds a substring (strstr)", () => {
    expect(istri("lo", "hello world", 0x0c)).toEqual({ index: 3, flags: CF | ZF | SF, mask: 1 << 3 });
    expect(istri("xyz", "hello world", 0x0c).index).toBe(16);
  });

  it("equal any finds the first byte of a set (strpbrk); bit 6 picks the last", () => {
    expect(istri("aeiou", "rhythm and", 0x00).index).toBe(7);
    expect(istri("aeiou", "rhythm and blues", 0x40).index).toBe(14);
  });

  it("ranges match between pairs of bounds; the negative polarity finds the first outsider", () => {
    expect(istri("az", "ABCdef", 0x04).index).toBe(3);
    expect(istri("AZ", "ABCdef", 0x14).index).toBe(3); // not in A-Z
    expect(istri("AZ", "ABCdef", 0x34).index).toBe(3); // masked negation: only valid bytes
  });

  it("equal each with negative masked polarity gives the first difference (strcmp)", () => {
    // Past both ends the elements compare equal (invalid against invalid), so those bits stay set.
    expect(istri("hello", "help!", 0x38)).toEqual({ index: 3, flags: CF | ZF | SF, mask: 0xfff8 });
    const same = istri("same", "same", 0x18); // plain negation: nothing differs
    expect(same.index).toBe(16);
    expect(same.flags & CF).toBe(0);
    expect(istri("same", "same", 0x38).index).toBe(4); // masked: the bytes past the end count
  });

  it("OF is bit 0 of the result; SF and ZF say which string is shorter than the register", () => {
    expect(istri("h", "h", 0x08).flags).toBe(CF | ZF | SF | OF);
    expect(istri("0123456789abcdef", "0123456789abcdef", 0x08).flags).toBe(CF | OF);
  });

  it("explicit lengths are absolute values saturated to the element count", () => {
    expect(explicitLength(-3, -1, false, false)).toBe(3);
    expect(explicitLength(100, 0, false, true)).toBe(8);
    expect(explicitLength(0, 1, true, false)).toBe(16); // 2^32 in RAX
    expect(explicitLength(0x80000000 | 0, 0, false, false)).toBe(16);
  });

  it("the mask forms write bits or whole elements", () => {
    const out = new Lanes();
    writeMask(out, 0b101, 0x00);
    expect([...out.u16]).toEqual([5, 0, 0, 0, 0, 0, 0, 0]);
    writeMask(out, 0b101, 0x41);
    expect([...out.u16]).toEqual([0xffff, 0, 0xffff, 0, 0, 0, 0, 0]);
  });
});

import { describe, expect, it } from "vitest";
import { Bitmap } from "./bitmap.js";
import { INVALID } from "./constants.js";

function setBits(b: Bitmap): number[] {
  const bits: number[] = [];
  b.forEachSet((bit) => void bits.push(bit));
  return bits;
}

describe("Bitmap (bitmap_test)", () => {
  it("a new 4096-bit map has no set bits", () => {
    const b = new Bitmap(4096);
    expect(b.countSet()).toBe(0);
    expect(b.rangeGetFirst(0, 4096)).toBe(INVALID);
  });

  it("clone and copy give exactly the same set bits", () => {
    const b = new Bitmap(10000);
    for (const i of [0, 31, 32, 63, 64, 4095, 4096, 9999]) b.set(i, true);
    const c = b.clone();
    expect(setBits(c)).toEqual(setBits(b));
    const d = new Bitmap(10000);
    d.set(5000, true);
    d.copyFrom(b);
    expect(setBits(d)).toEqual(setBits(b));
    c.set(1, true);
    expect(b.get(1)).toBe(false);
    expect(() => new Bitmap(5).copyFrom(b)).toThrow(RangeError);
  });

  it("wrap over a word matches it bit for bit", () => {
    const words = new Uint32Array([0xdeadbeef, 0x12345678]);
    const b = Bitmap.wrap(words);
    for (let i = 0; i < 64; i++) expect(b.get(i)).toBe(((words[i >> 5]! >>> (i & 31)) & 1) === 1);
    b.set(0, false);
    expect(words[0]).toBe(0xdeadbeee);
    // copyFrom writes through to the caller's words.
    const source = new Bitmap(64);
    source.set(40, true);
    b.copyFrom(source);
    expect([...words]).toEqual([0, 1 << 8]);
    expect(b.findFirstClear(40)).toBe(41);
  });

  it("alloc sets exactly n bits, aligned to the next power of two from start; dealloc frees them", () => {
    const b = new Bitmap(4096);
    for (let n = 1; n <= 300; n += 37) {
      const at = b.allocWithinRange(n, 128, 4096);
      expect(at).not.toBe(INVALID);
      expect((at - 128) % 2 ** Math.ceil(Math.log2(n))).toBe(0);
      expect(b.rangeGetFirst(at, n)).toBe(at);
      expect(b.findFirstClear(at, at + n)).toBe(INVALID);
    }
    const before = b.countSet();
    const at = b.alloc(5);
    expect(b.countSet()).toBe(before + 5);
    expect(b.dealloc(at, 5)).toBe(true);
    expect(b.dealloc(at, 5)).toBe(false);
    expect(b.countSet()).toBe(before);
  });

  it("alignment is measured from start (15, 17, 19 with bits 0–14 taken and start 5)", () => {
    const b = new Bitmap(64);
    b.rangeCheckAndSet(0, 15, false, true);
    expect([b.allocWithinRange(2, 5, 64), b.allocWithinRange(2, 5, 64), b.allocWithinRange(2, 5, 64)]).toEqual([15, 17, 19]);
  });

  it("fixed Nanos bug: an unaligned start never claims bits owned by others across a word boundary", () => {
    const b = new Bitmap(256);
    b.set(64, true);
    // Nanos returned 62 here and claimed bit 64.
    const at = b.allocWithinRange(3, 62, 256);
    expect(at).not.toBe(62);
    expect([at, at + 1, at + 2].includes(64)).toBe(false);
    expect(b.dealloc(at, 3)).toBe(true);
    expect(b.get(64)).toBe(true);
  });

  it("rangeCheckAndSet without validate sets a range; with validate it refuses a range in the wrong state", () => {
    const b = new Bitmap(200);
    expect(b.rangeCheckAndSet(30, 70, false, true)).toBe(true);
    expect(b.countSet()).toBe(70);
    expect(b.rangeCheckAndSet(90, 20, true, true)).toBe(false);
    expect(b.countSet()).toBe(70);
    expect(b.rangeCheckAndSet(30, 70, true, false)).toBe(true);
    expect(b.countSet()).toBe(0);
    expect(b.rangeCheckAndSet(190, 11, false, true)).toBe(false);
    expect(b.rangeCheckAndSet(200, 0, false, true)).toBe(false);
  });

  it("rangeGetFirst over every (start, n) window finds the first set bit in it", () => {
    const b = new Bitmap(160);
    const ones = [3, 31, 32, 33, 64, 100, 159];
    for (const i of ones) b.set(i, true);
    for (let start = 0; start < 160; start++) {
      for (let n = 0; start + n <= 160; n++) {
        const expected = ones.find((i) => i >= start && i < start + n) ?? INVALID;
        if (b.rangeGetFirst(start, n) !== expected) expect(b.rangeGetFirst(start, n)).toBe(expected);
      }
    }
  });

  it("grows storage in 4096-bit steps; reads beyond storage are clear; Infinity length is clamped", () => {
    const b = new Bitmap(100000);
    expect(b.mapBits).toBe(4096);
    expect(b.get(50000)).toBe(false);
    b.set(50000, true);
    expect(b.mapBits).toBe(53248);
    expect(b.set(100000, true)).toBe(false);
    const huge = new Bitmap(Infinity);
    expect(huge.maxBits % 64).toBe(0);
    expect(huge.maxBits).toBeLessThanOrEqual(Number.MAX_SAFE_INTEGER);
    expect(huge.mapBits).toBe(4096);
    expect(() => new Bitmap(0)).toThrow(RangeError);
    expect(() => new Bitmap(1.5)).toThrow(RangeError);
  });

  it("hostile arguments return failure values", () => {
    const b = new Bitmap(64);
    expect(b.allocWithinRange(0, 0, 64)).toBe(INVALID);
    expect(b.allocWithinRange(-1, 0, 64)).toBe(INVALID);
    expect(b.allocWithinRange(65, 0, 64)).toBe(INVALID);
    expect(b.allocWithinRange(2, -5, 64)).toBe(INVALID);
    expect(b.set(-1, true)).toBe(false);
    expect(b.get(Number.NaN)).toBe(false);
    expect(b.dealloc(60, 10)).toBe(false);
    expect(b.rangeGetFirst(-1, 4)).toBe(INVALID);
  });
});

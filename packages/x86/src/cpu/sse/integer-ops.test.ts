// Hand-derived examples from the SDM's definitions (the oracle covers random inputs).
import { describe, expect, it } from "vitest";
import { INTEGER_OPS, SHIFT_IMM_OPS } from "./integer-ops.js";
import { Lanes } from "./lanes.js";

function run(name: string, d: number[], s: number[], width: 1 | 2 | 4, imm = 0, table = INTEGER_OPS): number[] {
  const a = new Lanes();
  const b = new Lanes();
  const view = (l: Lanes) => (width === 1 ? l.i8 : width === 2 ? l.i16 : l.i32);
  view(a).set(d);
  view(b).set(s);
  table[name]!(a, b, imm, 16);
  return [...view(a)];
}

describe("integer lane operations", () => {
  it("saturate signed and unsigned adds and subtracts", () => {
    expect(run("paddsw", [32767, -32768, 100, 0, 0, 0, 0, 0], [1, -1, -200, 0, 0, 0, 0, 0], 2).slice(0, 3)).toEqual([32767, -32768, -100]);
    expect(run("psubusb", [5, 10, ...new Array(14).fill(0)], [10, 5, ...new Array(14).fill(0)], 1).slice(0, 2)).toEqual([0, 5]);
    expect(run("paddusb", [-56, 0, ...new Array(14).fill(0)], [100, 0, ...new Array(14).fill(0)], 1)[0]).toBe(-1); // 200+100 → 255
  });

  it("pmulhrsw rounds (a*b >> 14) + 1 >> 1, and 0x8000² wraps to 0x8000", () => {
    expect(run("pmulhrsw", [16384, -32768, 3, 0, 0, 0, 0, 0], [16384, -32768, 16384, 0, 0, 0, 0, 0], 2).slice(0, 3)).toEqual([8192, -32768, 2]);
  });

  it("pmaddwd sums pairs of products; 0x8000*0x8000*2 wraps to 0x80000000", () => {
    expect(run("pmaddwd", [-32768, -32768, 2, 3, 0, 0, 0, 0], [-32768, -32768, 4, 5, 0, 0, 0, 0], 2)).toEqual([0, -32768, 23, 0, 0, 0, 0, 0]);
  });

  it("psadbw sums absolute differences per quadword into its low word", () => {
    const d = [1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 0, 0, 0, -1];
    const s = [8, 7, 6, 5, 4, 3, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0];
    const a = new Lanes();
    const b = new Lanes();
    a.i8.set(d);
    b.i8.set(s);
    INTEGER_OPS.psadbw!(a, b, 0, 16);
    expect([...a.u16]).toEqual([32, 0, 0, 0, 255, 0, 0, 0]);
  });

  it("pshufb zeroes where the selector's top bit is set and indexes with its low four bits", () => {
    const table = [...new Array(16).keys()].map((k) => k * 16);
    expect(run("pshufb", table, [15, 0, -128, 0x11, ...new Array(12).fill(1)], 1).slice(0, 4)).toEqual([-16, 0, 0, 16]);
  });

  it("palignr shifts the 32-byte d:s concatenation right; counts of 32 and more give zero", () => {
    const d = [...new Array(16).keys()].map((k) => 16 + k);
    const s = [...new Array(16).keys()];
    expect(run("palignr", d, s, 1, 20)).toEqual([...new Array(12).keys()].map((k) => 20 + k).concat([0, 0, 0, 0]));
    expect(run("palignr", d, s, 1, 32)).toEqual(new Array(16).fill(0));
  });

  it("shift counts of the lane width or more clear logical shifts and fill arithmetic ones with the sign", () => {
    expect(run("psrlw", [-1, 0x1234, 0, 0, 0, 0, 0, 0], [16, 0, 0, 0, 0, 0, 0, 0], 2).slice(0, 2)).toEqual([0, 0]);
    expect(run("psraw", [-4, 0x1234, 0, 0, 0, 0, 0, 0], [99, 0, 0, 0, 0, 0, 0, 0], 2).slice(0, 2)).toEqual([-1, 0]);
    expect(run("psrad", [-4, 8, 0, 0], [0, 0, 0, 0], 4, 33, SHIFT_IMM_OPS).slice(0, 2)).toEqual([-1, 0]);
    expect(run("pslldq", [1, 2, 3, 4], [0, 0, 0, 0], 4, 4, SHIFT_IMM_OPS)).toEqual([0, 1, 2, 3]);
  });

  it("packuswb clamps signed words to 0..255; packssdw clamps dwords to words", () => {
    const a = new Lanes();
    const b = new Lanes();
    a.i16.set([-5, 300, 128, 0, 0, 0, 0, 0]);
    b.i16.set([1, 0, 0, 0, 0, 0, 0, 0]);
    INTEGER_OPS.packuswb!(a, b, 0, 16);
    expect([...a.u8.subarray(0, 3)]).toEqual([0, 255, 128]);
    expect(a.u8[8]).toBe(1);
    expect(run("packssdw", [70000, -70000, 5, -5], [0, 0, 0, 0], 4)[0]).toBe((32767 & 0xffff) | (-32768 << 16));
  });

  it("phminposuw finds the first minimum word and its index", () => {
    const a = new Lanes();
    const b = new Lanes();
    b.u16.set([9, 3, 7, 3, 65535, 4, 3, 8]);
    INTEGER_OPS.phminposuw!(a, b, 0, 16);
    expect([...a.u16]).toEqual([3, 1, 0, 0, 0, 0, 0, 0]);
  });

  it("pcmpgtq compares signed quadwords", () => {
    // d = [-1, 1], s = [0, 0x1_0000_0000 - 1 (unsigned low half, positive)]
    expect(run("pcmpgtq", [-1, -1, 1, 0], [0, 0, -1, 0], 4)).toEqual([0, 0, 0, 0]);
    expect(run("pcmpgtq", [0, 1, 0, 0], [-1, 0, 0, -1], 4)).toEqual([-1, -1, -1, -1]);
  });

  it("mpsadbw: eight sums of 4 absolute differences at sliding offsets", () => {
    const a = new Lanes();
    const b = new Lanes();
    a.u8.set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    b.u8.set([1, 1, 1, 1, 2, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0]);
    INTEGER_OPS.mpsadbw!(a, b, 1, 16); // source block 1 (bytes 4..7 = 2), destination offset 0
    expect([...a.u16]).toEqual([4, 4, 6, 10, 14, 18, 22, 26]); // |0-2|+|1-2|+|2-2|+|3-2| = 4, …
  });
});

import { describe, expect, it } from "vitest";
import { f32Bits, f64FromBits, hiBits, loBits } from "./float-bits.js";
import { convertHigh, f32ToF64, f64ToF32, f64ToInt, intToF32, intToF64, roundF64, roundIntegral } from "./float-convert.js";
import { Mxcsr, Rounding, beginFp, fpEnv } from "./mxcsr.js";

describe("conversions", () => {
  it("float to int32 rounds by MXCSR.RC (or truncates) and gives the integer indefinite with IE", () => {
    const cases: [number, number, number, number, number][] = [
      // x, nearest, down, up, zero
      [2.5, 2, 2, 3, 2],
      [-2.5, -2, -3, -2, -2],
      [3.5, 4, 3, 4, 3],
      [-0.25, 0, -1, 0, 0],
    ];
    for (const [x, ...want] of cases) {
      for (let rc = 0; rc < 4; rc++) {
        beginFp(Mxcsr.RESET | (rc << 13));
        expect(f64ToInt(x, 32, false)).toBe(want[rc]);
        expect(fpEnv.flags).toBe(Mxcsr.PE);
      }
    }
    beginFp(Mxcsr.RESET);
    expect(f64ToInt(2 ** 31, 32, true)).toBe(0x80000000 | 0);
    expect(fpEnv.flags).toBe(Mxcsr.IE);
    expect(f64ToInt(-(2 ** 31), 32, true)).toBe(-(2 ** 31));
    expect(f64ToInt(NaN, 32, true)).toBe(0x80000000 | 0);
  });

  it("float to int64 returns halves; out of range is 0x8000000000000000", () => {
    beginFp(Mxcsr.RESET);
    expect(f64ToInt(-(2 ** 40) - 3, 64, true)).toBe(-3);
    expect(convertHigh).toBe(-257);
    expect(f64ToInt(2 ** 63, 64, true)).toBe(0);
    expect(convertHigh).toBe(0x80000000 | 0);
    expect(fpEnv.flags).toBe(Mxcsr.IE);
  });

  it("int64 to float rounds by MXCSR.RC", () => {
    beginFp(Mxcsr.RESET | (Rounding.Up << 13));
    expect(intToF64(1, 0x20000000)).toBe(2 ** 61 + 512); // 2^61 + 1 rounds up one ulp
    expect(fpEnv.flags).toBe(Mxcsr.PE);
    beginFp(Mxcsr.RESET | (Rounding.Down << 13));
    expect(intToF64(-1, -1)).toBe(-1);
    expect(intToF32(0x01000001, 0)).toBe(f32Bits(2 ** 24)); // 2^24 + 1 rounds down
    expect(fpEnv.flags).toBe(Mxcsr.PE);
  });

  it("float32 and float64 NaNs convert keeping the payload; SNaN is quieted with IE", () => {
    beginFp(Mxcsr.RESET);
    const x = f32ToF64(0x7f812345); // SNaN, payload 0x12345
    expect(hiBits(x) >>> 0).toBe(0x7ff82468);
    expect(loBits(x) >>> 0).toBe(0xa0000000);
    expect(fpEnv.flags).toBe(Mxcsr.IE);
    beginFp(Mxcsr.RESET);
    expect(f64ToF32(f64FromBits(0xfff12345, 0x67890000)) >>> 0).toBe(0xffc91a2b);
    expect(fpEnv.flags).toBe(Mxcsr.IE);
  });

  it("ROUNDSD: modes from the immediate or MXCSR, -0 kept, precision suppressed by bit 3", () => {
    beginFp(Mxcsr.RESET | (Rounding.Up << 13));
    expect(roundF64(-0.5, 0)).toBe(-0);
    expect(Object.is(roundF64(-0.5, 0), -0)).toBe(true);
    expect(roundF64(2.5, 0)).toBe(2);
    expect(roundF64(2.1, 4)).toBe(3); // imm bit 2: MXCSR.RC (up)
    expect(fpEnv.flags).toBe(Mxcsr.PE);
    beginFp(Mxcsr.RESET);
    expect(roundF64(2.5, 8 | Rounding.Down)).toBe(2);
    expect(fpEnv.flags).toBe(0);
    expect(roundIntegral(2 ** 52 + 1, Rounding.Nearest)).toBe(2 ** 52 + 1);
  });
});

import { describe, expect, it } from "vitest";
import { gunzipSync, gzipSync } from "node:zlib";
import { decodeFixture, encodeFixture, type CaseRecord } from "../../diff/case-format.js";
import { FLAG } from "../../diff/layout.js";

const record: CaseRecord = {
  seed: 0xdeadbeef,
  code: Uint8Array.of(0x48, 0x01, 0xd8, 0xcc),
  starts: [0, 3],
  regPatches: [[3, 0x2000_0010n], [15, 0xffff_ffff_ffff_fff0n]],
  memPatches: [{ address: 0x3000_07f8, bytes: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8) }],
  undefinedFlags: [0, FLAG.AF, FLAG.AF | FLAG.OF | FLAG.CF],
  undefinedRegBytes: Uint8Array.from({ length: 16 }, (_, i) => (i === 2 ? 0x03 : 0)),
  outcome: {
    fault: { vector: 14, ripOffset: 3, errorCode: 6, address: 0x2000_1000n },
    gprXor: new Map([[0, 0x1234n], [4, 0xffff_ffff_0000_0000n]]),
    rflags: FLAG.ZF | FLAG.DF,
    mxcsr: 0x1fa0,
    xmm: new Map([[7, Uint8Array.from({ length: 16 }, (_, i) => i * 3)]]),
    memory: [{ address: 0x2000_0ffe, bytes: Uint8Array.of(0xaa, 0xbb) }],
  },
};

describe("fixture format", () => {
  it("round-trips every field of a record", () => {
    const x87 = { ...record, seed: 8, undefinedFsw: [0x4500, 0x100, 0], outcome: { ...record.outcome, x87: Uint8Array.from({ length: 85 }, (_, i) => i) } };
    const { header, records } = decodeFixture(encodeFixture({ meta: { note: "unit" } }, [record, { ...record, seed: 7, outcome: { ...record.outcome, fault: undefined } }, x87]));
    expect(header.meta).toEqual({ note: "unit" });
    expect(records[0]).toEqual(record);
    expect(records[2]).toEqual(x87);
    expect(records[1]!.seed).toBe(7);
    expect(records[1]!.outcome.fault).toBeUndefined();
  });

  it("rejects a file that is not a fixture, and says which record is truncated", () => {
    expect(() => decodeFixture(gzipSync(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8)))).toThrow(/bad magic/);
    const whole = encodeFixture({ meta: {} }, [record]);
    const raw = new Uint8Array(gunzipSync(whole));
    expect(() => decodeFixture(gzipSync(raw.subarray(0, raw.length - 3)))).toThrow(/record 0: fixture truncated/);
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ByteReader } from "./byte-reader.js";
import { ByteWriter } from "./byte-writer.js";
import { TupleError } from "./tuple-error.js";

const varintBytes = (n: number | bigint) => {
  const w = new ByteWriter(1);
  w.varint(n);
  return Array.from(w.toBytes());
};

describe("varints (TFS-FORMAT §3: big-endian base-128, not LEB128)", () => {
  it.each<[number, number[]]>([
    [0, [0x00]],
    [1, [0x01]],
    [127, [0x7f]],
    [128, [0x81, 0x00]],
    [1024, [0x88, 0x00]],
    [3073, [0x98, 0x01]],
    [524237, [0x9f, 0xff, 0x4d]],
    [1048579, [0xc0, 0x80, 0x03]],
  ])("%i is written minimally and read back", (n, bytes) => {
    expect(varintBytes(n)).toEqual(bytes);
    expect(varintBytes(BigInt(n))).toEqual(bytes);
    expect(new ByteReader(new Uint8Array(bytes)).varint("n")).toBe(n);
  });

  it("round-trips every width up to 2^64 − 1, through number and bigint readers", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (n) => {
        const bytes = new Uint8Array(varintBytes(n));
        expect(new ByteReader(bytes).varint64("n")).toBe(n);
        const small = new ByteReader(bytes).varintInteger("n");
        expect(BigInt(small)).toBe(n);
        expect(typeof small).toBe(n < 2n ** 53n ? "number" : "bigint");
        if (n < 2n ** 53n) expect(varintBytes(Number(n))).toEqual(Array.from(bytes));
      }),
    );
  });

  it("rejects what does not fit, with the offset", () => {
    const overflow = new Uint8Array([0x82, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00]);
    expect(() => new ByteReader(overflow).varint64("size")).toThrow(/size does not fit in 64 bits at offset 0/);
    expect(() => new ByteReader(overflow).varint("size")).toThrow(/size is too large/);
    expect(() => new ByteReader(new Uint8Array([0x81])).varint("count")).toThrow(/truncated input: count missing at offset 1/);
    expect(() => new ByteWriter().varint(-1)).toThrow(TupleError);
    expect(() => new ByteWriter().varint(1n << 64n)).toThrow(TupleError);
  });
});

describe("ByteWriter", () => {
  it("grows as needed and resets", () => {
    const w = new ByteWriter(1);
    for (let i = 0; i < 1000; i++) w.u8(i & 0xff);
    w.write(new Uint8Array([1, 2, 3]));
    w.ascii("ok");
    expect(w.length).toBe(1005);
    expect(Array.from(w.toBytes().subarray(998))).toEqual([230, 231, 1, 2, 3, 111, 107]);
    w.reset();
    expect(w.toBytes().length).toBe(0);
  });

  it("returns copies that later writes never touch, small or large", () => {
    const w = new ByteWriter();
    const copies: Array<[Uint8Array, number]> = [];
    for (let i = 0; i < 3000; i++) {
      w.reset();
      const size = i % 7 === 0 ? 2000 : i % 50;
      for (let j = 0; j < size; j++) w.u8(i & 0xff);
      copies.push([w.toBytes(), size]);
    }
    copies.forEach(([bytes, size], i) => {
      expect(bytes.length).toBe(size);
      expect(bytes.every((b) => b === (i & 0xff))).toBe(true);
    });
  });
});

import { describe, expect, it } from "vitest";
import { encodeIovecs } from "./structs/iovec.js";
import { ArrayUserMemory, readI64, readIovecs, readU32, readU64, writeU32, writeU64 } from "./user-memory.js";

describe("ArrayUserMemory", () => {
  it("faults outside its range, byte-exact at both ends", () => {
    const mem = new ArrayUserMemory(4096, 0x10000);
    expect(mem.read(0x10000, 4096)?.length).toBe(4096);
    expect(mem.read(0xffff, 1)).toBeUndefined();
    expect(mem.read(0x10000, 4097)).toBeUndefined();
    expect(mem.read(0x10fff, 2)).toBeUndefined();
    expect(mem.read(-8, 4)).toBeUndefined();
    expect(mem.read(0x10000, -1)).toBeUndefined();
    expect(mem.read(2 ** 60, 1)).toBeUndefined();
    expect(mem.write(0x10ffe, Uint8Array.of(1, 2, 3))).toBe(false);
    expect(mem.read(0x10ffe, 2)).toEqual(Uint8Array.of(0, 0)); // nothing stored by the failed write
  });

  it("refuses writes touching a read-only range", () => {
    const mem = new ArrayUserMemory(4096, 0x10000);
    mem.protectReadOnly(0x10100, 16);
    expect(mem.write(0x100fc, Uint8Array.of(1, 2, 3, 4, 5))).toBe(false);
    expect(mem.write(0x100fc, Uint8Array.of(1, 2, 3, 4))).toBe(true);
    expect(mem.read(0x10100, 4)).toEqual(new Uint8Array(4));
  });

  it("reads C strings: to the NUL, cut at max, undefined when they run off the mapping", () => {
    const mem = new ArrayUserMemory(16, 0x10000);
    mem.write(0x10000, new TextEncoder().encode("héllo\0rest"));
    expect(mem.readCString(0x10000, 100)).toBe("héllo");
    expect(mem.readCString(0x10000, 3)).toBe("hé");
    mem.write(0x10000, new TextEncoder().encode("abcdefghijklmnop"));
    expect(mem.readCString(0x10000, 16)).toBe("abcdefghijklmnop");
    expect(mem.readCString(0x10000, 17)).toBeUndefined();
    expect(mem.readCString(0x20000, 4)).toBeUndefined();
  });

  it("reads and writes little-endian integers and iovecs", () => {
    const mem = new ArrayUserMemory(64, 0x10000);
    expect(writeU64(mem, 0x10000, -2)).toBe(true);
    expect(readI64(mem, 0x10000)).toBe(-2);
    expect(readU32(mem, 0x10000)).toBe(0xfffffffe);
    expect(writeU32(mem, 0x10008, 0x12345678)).toBe(true);
    expect(mem.read(0x10008, 4)).toEqual(Uint8Array.of(0x78, 0x56, 0x34, 0x12));
    expect(readU64(mem, 0x1003c)).toBeUndefined();
    mem.write(0x10010, encodeIovecs([{ base: 0x1234, len: 5 }, { base: 0, len: 0 }]));
    expect(readIovecs(mem, 0x10010, 2)).toEqual([{ base: 0x1234, len: 5 }, { base: 0, len: 0 }]);
    expect(readIovecs(mem, 0x10010, 4)).toBeUndefined();
  });
});

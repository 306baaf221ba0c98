import { describe, expect, it } from "vitest";
import { BufferGuestMemory } from "./guest-memory.js";
import { VirtioError } from "./virtio-error.js";

// The tsconfig has no DOM lib, so WebAssembly.Memory is typed here by hand.
interface WasmMemory { readonly buffer: ArrayBuffer; grow(pages: number): number }
const { WebAssembly } = globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number; maximum: number }) => WasmMemory } };

describe("BufferGuestMemory", () => {
  it("reads and writes little-endian values", () => {
    const buffer = new ArrayBuffer(64);
    const memory = new BufferGuestMemory(buffer);
    memory.write16(0, 0x1234);
    memory.write32(4, 0xdeadbeef);
    memory.write64(8, 2 ** 40 + 5);
    const bytes = new Uint8Array(buffer);
    expect([...bytes.subarray(0, 2)]).toEqual([0x34, 0x12]);
    expect([...bytes.subarray(4, 8)]).toEqual([0xef, 0xbe, 0xad, 0xde]);
    expect([...bytes.subarray(8, 16)]).toEqual([5, 0, 0, 0, 0, 1, 0, 0]);
    expect(memory.read16(0)).toBe(0x1234);
    expect(memory.read32(4)).toBe(0xdeadbeef);
    expect(memory.read64(8)).toBe(2 ** 40 + 5);
    expect(memory.read8(5)).toBe(0xbe);
  });

  it("hands out live views", () => {
    const memory = new BufferGuestMemory(new Uint8Array(32));
    memory.bytes(10, 4).set([1, 2, 3, 4]);
    expect(memory.read32(10)).toBe(0x04030201);
  });

  it("rejects ranges outside memory with an out-of-range error", () => {
    const memory = new BufferGuestMemory(new ArrayBuffer(16));
    for (const [addr, len] of [[16, 1], [15, 2], [-1, 1], [Number.NaN, 1], [0, 17], [2 ** 64, 1]] as const) {
      expect(memory.contains(addr, len)).toBe(false);
      expect(() => memory.bytes(addr, len)).toThrow(VirtioError);
    }
    expect(() => memory.read32(13)).toThrowError(/outside guest memory of 16 bytes/);
    expect(() => memory.write64(9, 1)).toThrow(VirtioError);
    expect(memory.contains(0, 16)).toBe(true);
    expect(memory.contains(16, 0)).toBe(true);
  });

  it("follows a growing WebAssembly.Memory", () => {
    const wasm = new WebAssembly.Memory({ initial: 1, maximum: 4 });
    const memory = new BufferGuestMemory(wasm);
    memory.write32(100, 77);
    expect(memory.size).toBe(65536);
    expect(memory.contains(65536, 4)).toBe(false);
    wasm.grow(1);
    memory.write32(65536 + 8, 99);
    expect(memory.read32(65536 + 8)).toBe(99);
    expect(memory.read32(100)).toBe(77);
    expect(memory.size).toBe(131072);
  });

  it("works over a SharedArrayBuffer", () => {
    const shared = new SharedArrayBuffer(16);
    const memory = new BufferGuestMemory(shared);
    memory.write16(2, 0xbeef);
    expect(new Uint16Array(shared)[1]).toBe(0xbeef);
  });
});

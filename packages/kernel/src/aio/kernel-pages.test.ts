import { describe, expect, it } from "vitest";
import { FrameAllocator } from "../mm/frames.js";
import { KernelPages } from "./kernel-pages.js";

describe("KernelPages", () => {
  it("reads and writes across frames that are not contiguous, zeroed at first", () => {
    const ram = new Uint8Array(64 * 4096).fill(0xee);
    const frames = new FrameAllocator(4096, ram.length);
    const spacer = frames.allocate(); // keep the region's frames apart
    const pages = new KernelPages(ram, frames, 3 * 4096 - 10);
    frames.free(spacer);
    expect(pages.size).toBe(3 * 4096);
    expect(new Set(pages.frames).size).toBe(3);
    expect([...pages.read(0, 16)]).toEqual(new Array(16).fill(0));
    const data = Uint8Array.from({ length: 5000 }, (_, k) => k & 0xff);
    pages.write(4000, data);
    expect([...pages.read(4000, 5000)]).toEqual([...data]);
    // The bytes are where the frames say, as the guest's mapping sees them.
    expect(ram[pages.frames[1]! + 0]).toBe((4096 - 4000) & 0xff);
    pages.setU32(8188, 0xdeadbeef);
    expect(pages.u32(8188)).toBe(0xdeadbeef);
    expect(pages.mapping("ring", 4096).source.frame!(0)).toBe(pages.frames[1]);
  });

  it("fails with RangeError when guest RAM runs out, and gives back what it took", () => {
    const ram = new Uint8Array(4 * 4096);
    const frames = new FrameAllocator(4096, ram.length);
    expect(() => new KernelPages(ram, frames, 8 * 4096)).toThrow(RangeError);
    expect(frames.inUse).toBe(0);
  });

  it("gives its frames back when freed", () => {
    const ram = new Uint8Array(16 * 4096);
    const frames = new FrameAllocator(4096, ram.length);
    const pages = new KernelPages(ram, frames, 3 * 4096);
    expect(frames.inUse).toBe(3);
    pages.free(frames);
    expect(frames.inUse).toBe(0);
    expect(pages.size).toBe(0);
  });
});

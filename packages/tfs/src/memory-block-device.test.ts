import { SgList } from "@nanots/sg";
import { describe, expect, it } from "vitest";
import { MemoryBlockDevice } from "./memory-block-device.js";

describe("MemoryBlockDevice", () => {
  it("reads back what was written, across chunk boundaries and fragment lists; zeros elsewhere", () => {
    const device = new MemoryBlockDevice(1000);
    const data = Uint8Array.from({ length: 512 * 300 }, (_, i) => (i * 13) & 0xff);
    device.write(100, [data.subarray(0, 1024), data.subarray(1024)]);
    const back = new Uint8Array(data.length);
    device.read(100, back);
    expect(Buffer.from(back).equals(data)).toBe(true);
    const zeros = new Uint8Array(512 * 50).fill(9);
    device.read(500, zeros);
    expect(zeros.every((b) => b === 0)).toBe(true);
  });

  it("takes an SgList without consuming it", () => {
    const device = new MemoryBlockDevice(8);
    const sg = new SgList();
    sg.append(new Uint8Array(512).fill(4));
    device.write(2, sg);
    expect(sg.totalLength).toBe(512);
    const out = new SgList();
    out.append(new Uint8Array(512));
    device.read(2, out);
    expect(out.toUint8Array().every((b) => b === 4)).toBe(true);
  });

  it("is sparse, and from/toBytes round-trip an image", () => {
    const device = new MemoryBlockDevice(2 ** 30);
    device.write(2 ** 29, new Uint8Array(512).fill(1));
    expect(device.allocatedBytes).toBe(64 * 1024);
    const image = new Uint8Array(512 * 300);
    image[512 * 200 + 3] = 7;
    const copy = MemoryBlockDevice.from(image);
    expect(copy.allocatedBytes).toBe(64 * 1024);
    expect(Buffer.from(copy.toBytes()).equals(image)).toBe(true);
  });

  it("resize drops what lies past the new end", () => {
    const device = new MemoryBlockDevice(300);
    device.write(200, new Uint8Array(512 * 100).fill(3));
    device.resize(250);
    device.resize(300);
    const tail = new Uint8Array(512 * 50);
    device.read(250, tail);
    expect(tail.every((b) => b === 0)).toBe(true);
    const kept = new Uint8Array(512 * 50);
    device.read(200, kept);
    expect(kept.every((b) => b === 3)).toBe(true);
  });

  it("rejects transfers outside the device or of partial sectors", () => {
    const device = new MemoryBlockDevice(4);
    expect(() => device.read(4, new Uint8Array(512))).toThrow(RangeError);
    expect(() => device.write(0, new Uint8Array(10))).toThrow(RangeError);
    expect(() => device.read(-1, new Uint8Array(512))).toThrow(RangeError);
  });
});

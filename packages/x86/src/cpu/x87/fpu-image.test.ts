import { Cpu } from "../cpu.js";
import { describe, expect, it } from "vitest";
import { copyX87State, FXSAVE_IMAGE_BYTES, loadFpuImage, saveFpuImage } from "./fxsave.js";

/** An FXSAVE64 image with distinct x87 registers, control state, MXCSR and XMM bytes. */
function sampleImage(): Uint8Array {
  const image = new Uint8Array(FXSAVE_IMAGE_BYTES);
  const v = new DataView(image.buffer);
  v.setUint16(0, 0x0b7f, true); // control: round up, 64-bit precision
  v.setUint16(2, 0x3800 | 0x20, true); // status: TOP = 7, precision exception flag
  v.setUint8(4, 0x80); // physical register 7 in use
  v.setUint16(6, 0x5d9, true);
  v.setBigUint64(8, 0x401000n, true);
  v.setBigUint64(16, 0x7fff0000n, true);
  v.setUint32(24, 0x5f80, true); // MXCSR: round down
  v.setUint32(28, 0xffff, true);
  for (let k = 0; k < 8; k++) {
    // ST(k) = 1.5 * 2^k as an 80-bit extended number: mantissa 0xc000…, exponent 16383 + k.
    v.setBigUint64(32 + 16 * k, 0xc000000000000000n, true);
    v.setUint16(40 + 16 * k, 16383 + k, true);
  }
  for (let k = 160; k < 416; k++) image[k] = (k * 7) & 0xff;
  return image;
}

describe("fpu image", () => {
  it("round-trips the x87 unit, MXCSR and XMM registers through a vCPU", () => {
    const cpu = new Cpu({ memoryBytes: 1 << 20 });
    const image = sampleImage();
    loadFpuImage(cpu, image);
    expect(cpu.x87.control).toBe(0x0b7f);
    expect(cpu.x87.top).toBe(7);
    expect(cpu.mxcsr).toBe(0x5f80);
    const out = new Uint8Array(FXSAVE_IMAGE_BYTES);
    saveFpuImage(cpu, out);
    expect(out.subarray(0, 416)).toEqual(image.subarray(0, 416));
  });

  it("drops reserved MXCSR bits a frame may carry", () => {
    const cpu = new Cpu({ memoryBytes: 1 << 20 });
    const image = sampleImage();
    new DataView(image.buffer).setUint32(24, 0xffff1f80, true);
    loadFpuImage(cpu, image);
    expect(cpu.mxcsr).toBe(0x1f80);
  });

  it("copies an x87 unit into an independent one", () => {
    const cpu = new Cpu({ memoryBytes: 1 << 20 });
    loadFpuImage(cpu, sampleImage());
    const copy = copyX87State(cpu.x87);
    expect(copy).not.toBe(cpu.x87);
    expect(copy.control).toBe(cpu.x87.control);
    expect(copy.statusWord).toBe(cpu.x87.statusWord);
    expect(copy.tagWord).toBe(cpu.x87.tagWord);
    for (let k = 0; k < 8; k++) expect(copy.st(k)).toEqual(cpu.x87.st(k));
    copy.setControl(0x37f);
    expect(cpu.x87.control).toBe(0x0b7f);
  });
});

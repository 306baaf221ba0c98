import { describe, expect, it } from "vitest";
import { DATA } from "../testing/machine.js";
import { driveDevice } from "../testing/queue-driver.js";
import { DeviceId } from "../virtio-constants.js";
import { webCryptoEntropy } from "./entropy-source.js";
import { VirtioRngDevice } from "./rng-device.js";

describe("virtio-rng", () => {
  it("fills exactly the device-writable buffers and reports their length", () => {
    let calls = 0;
    const source = { fill: (bytes: Uint8Array) => { calls++; bytes.fill(0xa5); } };
    const m = driveDevice(new VirtioRngDevice({ source }), 1);
    expect(m.driver.probe().deviceId).toBe(DeviceId.ENTROPY);
    m.memory.bytes(DATA, 0x100).fill(1);
    const len = m.request(0, [
      { addr: DATA, len: 16, writable: false }, // readable: must stay untouched
      { addr: DATA + 0x20, len: 32, writable: true },
      { addr: DATA + 0x80, len: 8, writable: true },
    ]);
    expect(len()).toBe(40);
    expect(calls).toBe(2);
    expect([...m.memory.bytes(DATA, 16)].every((b) => b === 1)).toBe(true);
    expect([...m.memory.bytes(DATA + 0x20, 32)].every((b) => b === 0xa5)).toBe(true);
    expect(m.memory.read8(DATA + 0x40)).toBe(1);
    expect([...m.memory.bytes(DATA + 0x80, 8)].every((b) => b === 0xa5)).toBe(true);
    expect(m.memory.read8(DATA + 0x88)).toBe(1);
  });

  it("serves random bytes from Web Crypto by default, beyond its 64 KiB limit per call", () => {
    const m = driveDevice(new VirtioRngDevice({ maxBytesPerRequest: 1 << 20 }), 1);
    const size = 200_000;
    expect(m.request(0, [{ addr: DATA, len: size, writable: true }])()).toBe(size);
    const bytes = m.memory.bytes(DATA, size);
    const counts = new Array<number>(256).fill(0);
    for (const b of bytes) counts[b]!++;
    // 200 000 uniform bytes: each value appears about 781 times; a zeroed tail would break this.
    expect(Math.min(...counts)).toBeGreaterThan(500);
    expect(Math.max(...counts)).toBeLessThan(1100);
    expect(bytes.subarray(size - 1024).some((b) => b !== 0)).toBe(true);
  });

  it("caps the bytes served per request, however often a chain repeats guest memory", () => {
    let filled = 0;
    const source = { fill: (bytes: Uint8Array) => { filled += bytes.length; } };
    const m = driveDevice(new VirtioRngDevice({ source, maxBytesPerRequest: 1000 }), 1);
    // Eight descriptors naming the same 4 MiB: 32 MiB asked for.
    const segments = Array.from({ length: 8 }, () => ({ addr: 0, len: 4 << 20, writable: true }));
    expect(m.request(0, segments)()).toBe(1000);
    expect(filled).toBe(1000);
  });

  it("fills views of shared memory too", () => {
    const shared = new Uint8Array(new SharedArrayBuffer(70_000));
    webCryptoEntropy.fill(shared);
    expect(shared.subarray(0, 1000).some((b) => b !== 0)).toBe(true);
    expect(shared.subarray(69_000).some((b) => b !== 0)).toBe(true);
  });
});

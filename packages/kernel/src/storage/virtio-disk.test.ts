import { MemoryBlockDevice, mkfs, Tfs } from "@nanots/tfs";
import { MemoryBlockBackend } from "@nanots/virtio";
import { Cpu } from "@nanots/x86";
import { describe, expect, it } from "vitest";
import { FrameAllocator } from "../mm/frames.js";
import { VirtioDisk } from "./virtio-disk.js";

function image(files: Record<string, Uint8Array>): Uint8Array {
  const device = new MemoryBlockDevice(2 ** 31);
  const children = Object.keys(files)
    .map((name) => `${name}:(contents:(host:${name}))`)
    .join(" ");
  const { imageBytes } = mkfs(device, `(children:(${children}))`, { size: 4 << 20, host: { readFile: (p) => files[p]! } });
  const bytes = new Uint8Array(imageBytes);
  device.read(0, bytes);
  return bytes;
}

function disk(bytes: Uint8Array, cachePages?: number) {
  const cpu = new Cpu({ memoryBytes: 16 << 20 });
  const frames = new FrameAllocator(4096, cpu.mem.length);
  return new VirtioDisk({ ram: cpu.memory, frames, backend: new MemoryBlockBackend(bytes), ...(cachePages ? { cachePages } : {}) });
}

describe("VirtioDisk", () => {
  it("mounts a TFS image through virtio-blk and reads files bit-exactly", () => {
    const big = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7 + (i >> 9)) & 0xff);
    const d = disk(image({ small: new TextEncoder().encode("hello\n"), big }));
    const fs = Tfs.mount(d);
    expect(new TextDecoder().decode(fs.readFile("/small"))).toBe("hello\n");
    expect(fs.readFile("/big")).toEqual(big);
    expect(d.misses).toBeGreaterThan(0);
  });

  it("writes through to the image and serves repeated reads from the cache", () => {
    const bytes = image({ a: new Uint8Array(10) });
    const d = disk(bytes);
    const fs = Tfs.mount(d);
    fs.writeFile("/b", "written through virtio");
    fs.sync();
    // A second mount straight from the backend's bytes sees the write.
    const again = Tfs.mount(MemoryBlockDevice.from(bytes));
    expect(new TextDecoder().decode(again.readFile("/b"))).toBe("written through virtio");
    const before = d.hits;
    fs.readFile("/b");
    expect(d.hits).toBeGreaterThan(before);
  });

  it("evicts least-recently-used pages when the cache is full and still reads correctly", () => {
    const big = Uint8Array.from({ length: 200_000 }, (_, i) => (i * 13) & 0xff);
    const d = disk(image({ big }), 4);
    expect(Tfs.mount(d).readFile("/big")).toEqual(big);
  });
});

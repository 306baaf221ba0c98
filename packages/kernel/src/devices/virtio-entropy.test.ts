import { Cpu } from "@nanots/x86";
import { describe, expect, it } from "vitest";
import { FrameAllocator } from "../mm/frames.js";
import { VirtioEntropy } from "./virtio-entropy.js";

describe("VirtioEntropy", () => {
  it("fills buffers of any size through the virtio-rng queue, with the source's bytes", () => {
    const cpu = new Cpu({ memoryBytes: 1 << 20 });
    let counter = 0;
    const rng = new VirtioEntropy(cpu.memory, new FrameAllocator(4096, cpu.mem.length), { fill: (b) => b.forEach((_, i) => (b[i] = counter++ & 0xff)) });
    const small = new Uint8Array(16);
    rng.fill(small);
    expect([...small]).toEqual([...Array(16).keys()]);
    const big = new Uint8Array(10_000);
    rng.fill(big);
    expect(big[0]).toBe(16);
    expect(big[9999]).toBe((16 + 9999) & 0xff);
  });
});

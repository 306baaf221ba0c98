import { describe, expect, it } from "vitest";
import { VirtioRngDevice } from "../devices/rng-device.js";
import { DATA } from "../testing/machine.js";
import { driveDevice } from "../testing/queue-driver.js";
import { nodeEntropy } from "./node-entropy.js";

describe("nodeEntropy", () => {
  it("feeds virtio-rng from node:crypto", () => {
    const m = driveDevice(new VirtioRngDevice({ source: nodeEntropy, maxBytesPerRequest: 1 << 20 }), 1);
    expect(m.request(0, [{ addr: DATA, len: 100_000, writable: true }])()).toBe(100_000);
    const bytes = m.memory.bytes(DATA, 100_000);
    const distinct = new Set(bytes);
    expect(distinct.size).toBe(256);
    expect(bytes.subarray(99_000).some((b) => b !== 0)).toBe(true);
  });
});

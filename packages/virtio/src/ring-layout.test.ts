import { describe, expect, it } from "vitest";
import { isValidQueueSize, layoutQueue, queueFootprint, ringPartSizes } from "./ring-layout.js";

describe("split ring layout", () => {
  it("sizes the three parts as the spec does, with the event fields", () => {
    expect(ringPartSizes(256)).toEqual({ desc: 4096, avail: 518, used: 2054 });
  });

  it("lays a queue out contiguously with the used ring aligned to 4", () => {
    const layout = layoutQueue(0x10000, 4);
    expect(layout).toEqual({ desc: 0x10000, avail: 0x10040, used: 0x10050 }); // avail is 14 bytes → 0x1004e → 0x10050
    expect(queueFootprint(4)).toBe(0x50 + 38);
  });

  it("accepts only powers of two up to 32768", () => {
    expect([1, 2, 256, 32768].every(isValidQueueSize)).toBe(true);
    expect([0, 3, 65536, -2, 1.5, Number.NaN].some(isValidQueueSize)).toBe(false);
  });
});

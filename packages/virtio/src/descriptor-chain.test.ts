import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { gatherFrom, scatterInto, sliceSegments, totalLength } from "./descriptor-chain.js";
import { BufferGuestMemory } from "./guest-memory.js";

describe("segment helpers", () => {
  const segments = [{ addr: 100, len: 4 }, { addr: 200, len: 0 }, { addr: 300, len: 6 }];

  it("slices across segment boundaries", () => {
    expect(sliceSegments(segments, 2, 5)).toEqual([{ addr: 102, len: 2 }, { addr: 300, len: 3 }]);
    expect(sliceSegments(segments, 4, 100)).toEqual([{ addr: 300, len: 6 }]);
    expect(sliceSegments(segments, 10, 1)).toEqual([]);
    expect(totalLength(segments)).toBe(10);
  });

  it("gather and scatter agree with a flat model", () => {
    fc.assert(fc.property(
      fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 6 }), fc.nat(), fc.nat(), fc.uint8Array({ maxLength: 120 }),
      (lengths, offsetSeed, lengthSeed, payload) => {
        const memory = new BufferGuestMemory(new Uint8Array(4096));
        const list = lengths.map((len, i) => ({ addr: 64 * i * 2 + (i % 3), len }));
        const total = totalLength(list);
        const offset = offsetSeed % (total + 1);
        const source = payload.subarray(0, lengthSeed % (payload.length + 1));
        const written = scatterInto(memory, list, offset, source);
        expect(written).toBe(Math.min(source.length, total - offset));
        const flat = new Uint8Array(total);
        gatherFrom(memory, list, 0, flat);
        expect(flat.subarray(offset, offset + written)).toEqual(source.subarray(0, written));
        expect(flat.subarray(0, offset).every((b) => b === 0)).toBe(true);
      }));
  });
});

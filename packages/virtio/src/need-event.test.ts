import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { needEvent } from "./need-event.js";

/** The spec's meaning, by enumeration: was `event` one of the indices old+1 … new? */
function publishedIndices(oldIdx: number, newIdx: number): Set<number> {
  const seen = new Set<number>();
  for (let i = oldIdx; i !== newIdx; i = (i + 1) & 0xffff) seen.add((i + 1) & 0xffff);
  return seen;
}

describe("needEvent", () => {
  it("fires when the event index was just passed", () => {
    expect(needEvent(5, 6, 5)).toBe(true); // published entry 5 → idx 6, driver asked for event at 5
    expect(needEvent(5, 5, 4)).toBe(false);
    expect(needEvent(4, 6, 5)).toBe(false); // already signalled before
    expect(needEvent(0, 10, 0)).toBe(true);
  });

  it("is correct across the 16-bit wrap", () => {
    expect(needEvent(0xffff, 1, 0xfffe)).toBe(true);
    expect(needEvent(0, 1, 0xffff)).toBe(true);
    expect(needEvent(1, 1, 0xffff)).toBe(false);
  });

  it("matches the window definition for every triple", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 300 }),
      (event, oldIdx, step) => {
        const newIdx = (oldIdx + step) & 0xffff;
        // vring_need_event tests whether event+1 lies in (old, new]: the entry at `event` was used.
        expect(needEvent(event, newIdx, oldIdx)).toBe(publishedIndices(oldIdx, newIdx).has((event + 1) & 0xffff));
      }));
  });
});

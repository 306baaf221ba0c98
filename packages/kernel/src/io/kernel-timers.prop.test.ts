import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { KernelTimers } from "./kernel-timers.js";

describe("KernelTimers properties", () => {
  it("property: expire(now) fires exactly the uncancelled timers due by now, in order", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.boolean())), fc.integer({ min: 0, max: 1000 }), (specs, now) => {
        const timers = new KernelTimers();
        const fired: number[] = [];
        const handles = specs.map(([deadline]) => timers.add(deadline, () => fired.push(deadline)));
        specs.forEach(([, cancel], k) => cancel && timers.cancel(handles[k]!));
        timers.expire(now);
        const expected = specs.filter(([d, cancel]) => !cancel && d <= now).map(([d]) => d).sort((a, b) => a - b);
        expect(fired).toEqual(expected);
        expect(timers.length).toBe(specs.filter(([d, cancel]) => !cancel && d > now).length);
      }),
    );
  });
});

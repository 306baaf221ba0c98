import { describe, expect, it } from "vitest";
import { formatRate, formatReport } from "./report.js";
import { median } from "./stats.js";
import { mulberry32 } from "./random.js";

describe("bench-kit", () => {
  it("formats rates with units", () => {
    expect(formatRate(1_234_567)).toBe("1.23 M/s");
    expect(formatRate(950)).toBe("950.0 /s");
    expect(formatRate(2_500)).toBe("2.50 k/s");
  });

  it("reports the ratio of our best against the best peer", () => {
    const text = formatReport({
      title: "t",
      phases: ["insert"],
      contenders: [
        { name: "ours", ours: true, rates: { insert: 3e6 }, checks: {} },
        { name: "slow", ours: false, rates: { insert: 1e6 }, checks: {} },
        { name: "fast", ours: false, rates: { insert: 2e6 }, checks: {} },
      ],
    });
    expect(text).toMatch(/insert\s+ours\s+3\.00 M\/s\s+fast\s+2\.00 M\/s\s+1\.50x/);
  });

  it("takes medians and replays seeded randomness", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    const a = mulberry32(7);
    const b = mulberry32(7);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
  });
});

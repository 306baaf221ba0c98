import { describe, expect, it } from "vitest";
import { enumerateAgainstIced } from "./iced-enumerate.js";

const show = (groups: Map<string, { count: number; examples: string[] }>): string[] =>
  [...groups].map(([name, g]) => `${name} ×${g.count}: ${g.examples.join(" ")}`);

// scripts/iced-enumerate.ts runs the same walk with every register rm value.
describe("systematic walk of the opcode space against iced-x86", () => {
  it("accepts exactly the encodings iced accepts (every map, opcode, prefix, W, L, ModRM.reg)", () => {
    const r = enumerateAgainstIced(false);
    expect(r.encodings).toBeGreaterThan(2_000_000);
    expect(show(r.icedOnly)).toEqual([]);
    expect(show(r.oursOnly)).toEqual([]);
    expect(r.bothValid).toBeGreaterThan(300_000);
  });
});

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildTables } from "../gen/build-tables.js";

describe("generated tables", () => {
  it("are up to date with data/opcodes.txt (run npx tsx gen/gen-tables.ts)", () => {
    const data = readFileSync(new URL("../data/opcodes.txt", import.meta.url), "utf8");
    const committed = readFileSync(new URL("../src/decoder/generated/tables.ts", import.meta.url), "utf8");
    expect(buildTables(data) === committed).toBe(true);
  });

  it("reject malformed data lines with the line number", () => {
    expect(() => buildTables("1 00 r - add Eb,Qz")).toThrow(/line 1: unknown operand "Qz"/);
    expect(() => buildTables("\n9 00 r - add Eb,Gb")).toThrow(/line 2: unknown map/);
    expect(() => buildTables("1 00 r - add Eb,Gb br=never")).toThrow(/unknown branch kind/);
    expect(() => buildTables("1 00 r - add Eb,Gb\n1 00 - NP nop -")).toThrow(/mixes ModRM/);
  });
});

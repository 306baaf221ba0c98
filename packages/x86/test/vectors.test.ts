import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FORM_LINE } from "../src/decoder/generated/tables.js";
import { DecodeError, DecodedInstruction, decode } from "../src/decoder/index.js";
import { normalise } from "./corpus-check.js";
import { explainDifference } from "./known-differences.js";
import { readVectors, runVector } from "./vectors.js";

describe("golden vectors (objdump text, Intel and AT&T)", () => {
  const vectors = readVectors();

  it("has thousands of vectors", () => {
    expect(vectors.length).toBeGreaterThan(10_000);
  });

  it.each(["intel", "att"] as const)("every %s vector matches objdump or a documented known difference", (syntax) => {
    const unexplained: string[] = [];
    let explained = 0;
    const ins = new DecodedInstruction();
    for (const v of readVectors(syntax)) {
      const ours = runVector(v, ins, syntax);
      const theirs = normalise(v.expected);
      if (ours === theirs) continue;
      if (explainDifference(ours, theirs, v.bytes.toString("hex"))) explained++;
      else unexplained.push(`line ${v.line} ${v.bytes.toString("hex")}: ours "${ours}", objdump "${theirs}"`);
    }
    expect(unexplained).toEqual([]);
    expect(explained / vectors.length).toBeLessThan(0.02);
  });

  // Forms objdump cannot print, so no captured vector can hold them; decode.test.ts covers them.
  const NOT_IN_OBJDUMP = new Set(["0F 0D r - nop Ev"]);

  it("covers every form of the opcode data file", () => {
    const dataLines = readFileSync(new URL("../data/opcodes.txt", import.meta.url), "utf8").split("\n");
    const ins = new DecodedInstruction();
    const hit = new Set<number>();
    for (const v of vectors) {
      decode(ins, v.bytes, 0, v.address);
      if (ins.error === DecodeError.None || ins.error === DecodeError.InvalidIn64BitMode) hit.add(ins.form);
    }
    const missing: number[] = [];
    for (let f = 0; f < FORM_LINE.length; f++) {
      if (!hit.has(f) && !NOT_IN_OBJDUMP.has(dataLines[FORM_LINE[f]! - 1]!)) missing.push(FORM_LINE[f]!);
    }
    expect(missing.map((line) => `data/opcodes.txt:${line}`)).toEqual([]);
  });
});

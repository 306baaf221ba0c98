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

  it.each(["intel", "att", "intel32", "att32"] as const)("every %s vector matches objdump or a documented known difference", (syntax) => {
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

  // Forms objdump cannot print, so no captured vector can hold them: the register-form 0F 0D
  // hint (decode.test.ts covers it) and extensions newer than objdump 2.40 (their validity and
  // length are checked against iced-x86 by iced-enumerate.test.ts).
  const NEWER_THAN_OBJDUMP = /\bext=(LKGS|TSE|SHA512|SM3|SM4|AVX_VNNI_INT16)\b|\b(ccs_|via_undoc|xsha512|xstore-alt|tcmm)/;
  const notInObjdump = (line: string): boolean => line === "0F 0D r - nop Ev" || NEWER_THAN_OBJDUMP.test(line);

  it("covers every form of the opcode data file", () => {
    const dataLines = readFileSync(new URL("../data/opcodes.txt", import.meta.url), "utf8").split("\n");
    const ins = new DecodedInstruction();
    const hit = new Set<number>();
    for (const v of vectors) {
      decode(ins, v.bytes, 0, v.address);
      if (ins.error === DecodeError.None || ins.error === DecodeError.InvalidIn64BitMode) hit.add(ins.form);
    }
    // Forms that exist only outside 64-bit mode are covered by the 32-bit vectors.
    for (const v of readVectors("intel32")) {
      decode(ins, v.bytes, 0, v.address, v.bytes.length, 32);
      if (ins.error === DecodeError.None) hit.add(ins.form);
    }
    const missing: number[] = [];
    for (let f = 0; f < FORM_LINE.length; f++) {
      if (!hit.has(f) && !notInObjdump(dataLines[FORM_LINE[f]! - 1]!)) missing.push(FORM_LINE[f]!);
    }
    expect(missing.map((line) => `data/opcodes.txt:${line}`)).toEqual([]);
  });
});

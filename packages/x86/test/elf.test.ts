import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ElfError, disassembleElf } from "../src/index.js";
import { normalise } from "./corpus-check.js";

// test/fixtures/small.o is gcc -O2 -c of a small C file; small.o.objdump.txt is
// `objdump -d -M intel test/fixtures/small.o` from GNU objdump 2.40.
const elf = readFileSync(new URL("./fixtures/small.o", import.meta.url));
const expected = readFileSync(new URL("./fixtures/small.o.objdump.txt", import.meta.url), "utf8");

/** Compares our listing with objdump's line by line, normalising only the instruction text. */
function expectSameListing(ours: string, objdump: string): void {
  const a = ours.split("\n");
  const b = objdump.split("\n");
  expect(a.length).toBe(b.length);
  const norm = (l: string): string => l.replace(/\t(.*)$/, (_, t: string) => `\t${normalise(t)}`).trimEnd();
  a.forEach((line, i) => expect(norm(line), `line ${i + 1}`).toBe(norm(b[i]!)));
}

describe("disassembleElf", () => {
  it("reproduces objdump -d -M intel line for line (after the documented normalisation)", () => {
    expectSameListing(disassembleElf(elf, { fileName: "test/fixtures/small.o" }), expected);
  });

  it("reproduces objdump -d (AT&T) with syntax: att", () => {
    const att = readFileSync(new URL("./fixtures/small.o.objdump-att.txt", import.meta.url), "utf8");
    expectSameListing(disassembleElf(elf, { fileName: "test/fixtures/small.o", syntax: "att" }), att);
  });

  it("rejects malformed files with a typed error saying where", () => {
    expect(() => disassembleElf(new Uint8Array(10))).toThrow(ElfError);
    expect(() => disassembleElf(new Uint8Array(64))).toThrow(/bad magic/);
    const cut = elf.subarray(0, 200);
    expect(() => disassembleElf(cut)).toThrow(/truncated ELF: section header table/);
  });
});

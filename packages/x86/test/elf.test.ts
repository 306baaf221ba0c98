import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ElfError, disassembleElf } from "../src/index.js";
import { normalise } from "./corpus-check.js";

// test/fixtures/small.o is gcc -O2 -c of a small C file; small.o.objdump.txt is
// `objdump -d -M intel test/fixtures/small.o` from GNU objdump 2.40.
const elf = readFileSync(new URL("./fixtures/small.o", import.meta.url));
const expected = readFileSync(new URL("./fixtures/small.o.objdump.txt", import.meta.url), "utf8");

describe("disassembleElf", () => {
  it("reproduces objdump -d -M intel line for line (after the documented normalisation)", () => {
    const ours = disassembleElf(elf, { fileName: "test/fixtures/small.o" }).split("\n");
    const theirs = expected.split("\n");
    expect(ours.length).toBe(theirs.length);
    ours.forEach((line, i) => {
      const [a, b] = [line, theirs[i]!].map((l) => l.replace(/\t(.*)$/, (_, t: string) => `\t${normalise(t)}`).trimEnd());
      expect(a, `line ${i + 1}`).toBe(b);
    });
  });

  it("reproduces objdump -d (AT&T) with syntax: att", () => {
    const att = readFileSync(new URL("./fixtures/small.o.objdump-att.txt", import.meta.url), "utf8").split("\n");
    const ours = disassembleElf(elf, { fileName: "test/fixtures/small.o", syntax: "att" }).split("\n");
    expect(ours.length).toBe(att.length);
    ours.forEach((line, i) => {
      const [a, b] = [line, att[i]!].map((l) => l.replace(/\t(.*)$/, (_, t: string) => `\t${normalise(t)}`).trimEnd());
      expect(a, `line ${i + 1}`).toBe(b);
    });
  });

  it("rejects malformed files with a typed error saying where", () => {
    expect(() => disassembleElf(new Uint8Array(10))).toThrow(ElfError);
    expect(() => disassembleElf(new Uint8Array(64))).toThrow(/bad magic/);
    const cut = elf.subarray(0, 200);
    expect(() => disassembleElf(cut)).toThrow(/truncated ELF: section header table/);
  });
});

// Every legacy 16-byte-memory SSE form, run on a misaligned address: the CPU raises #GP exactly
// where this machine's CPU did (fixtures/alignment.txt, from fixtures/alignment-probe.c).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BareMachine } from "../bare-machine.js";
import { Exit, Vector } from "../exit.js";
import { executeOne } from "./execute-one.js";

const CODE = 0x400000;
const DATA = 0x10000000;

const forms = readFileSync(new URL("./fixtures/alignment.txt", import.meta.url), "utf8")
  .trim()
  .split("\n")
  .map((line) => {
    const [hex = "", mnemonic = "", result = ""] = line.split(" ");
    return { code: Uint8Array.from(hex.match(/../g)!.map((b) => parseInt(b, 16))), mnemonic, gp: result === "GP" };
  });

describe("alignment of 16-byte memory operands (fixtures/alignment.txt)", () => {
  it("covers every 16-byte legacy form, most of them aligned-only", () => {
    expect(forms.length).toBeGreaterThan(170);
    expect(new Set(forms.filter((f) => !f.gp).map((f) => f.mnemonic))).toEqual(
      new Set(["movups", "movupd", "movdqu", "lddqu", "pcmpestri", "pcmpestrm", "pcmpistri", "pcmpistrm"]),
    );
  });

  it("raises #GP exactly where the hardware did", () => {
    const m = new BareMachine({ memoryBytes: 4 << 20 });
    m.map(CODE, 0x1000, { write: true, execute: true });
    m.map(DATA, 0x1000, { write: true });
    const wrong: string[] = [];
    for (const form of forms) {
      m.cpu.setRegNumber(0, DATA + 17);
      m.cpu.mxcsr = 0x1f80;
      const exit = executeOne(m, form.code, CODE);
      const gp = exit === Exit.Fault && m.cpu.fault.vector === Vector.GP;
      if (gp !== form.gp || (!gp && exit !== Exit.Budget)) wrong.push(`${form.mnemonic}: exit ${exit}, hardware ${form.gp ? "#GP" : "ok"}`);
    }
    expect(wrong).toEqual([]);
  });
});

// Replays x87 sequences run on the host with some exceptions unmasked
// (fixtures/x87-unmasked.c): the #MF must come at the same instruction (the next waiting one
// after the exception) or not at all, and the FPU state then (control, status and abridged
// tag words, FOP, registers in use) must equal what the host's kernel saved for its SIGFPE.
// Left out: the pointers, MXCSR_MASK, empty registers' stale contents, and FOP where the host
// stored 0.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { BARE_LAYOUT } from "../bare-machine.js";
import { Vector } from "../exit.js";
import { DATA, X87Machine } from "./x87-test-machine.js";

const hex = (s: string): Uint8Array => Uint8Array.from(s.match(/../g)!.map((b) => parseInt(b, 16)));
const show = (b: Uint8Array): string => [...b].map((x) => x.toString(16).padStart(2, "0")).join("");

/** The compared part of an FXSAVE image. */
function comparable(b: Uint8Array, keepFop: boolean): string {
  b.fill(0, 8, 24); // FIP, FDP
  b.fill(0, 28, 32); // MXCSR_MASK (ours 0xFFFF, the host's 0x2FFFF)
  if (!keepFop) b.fill(0, 6, 8);
  const top = (b[3]! >> 3) & 7;
  for (let i = 0; i < 8; i++) if (((b[4]! >> ((top + i) & 7)) & 1) === 0) b.fill(0, 32 + 16 * i, 48 + 16 * i);
  return show(b);
}

describe("x87 unmasked exceptions against the host CPU", () => {
  const lines = gunzipSync(readFileSync(new URL("./fixtures/x87-unmasked.txt.gz", import.meta.url))).toString("latin1").trim().split("\n");

  it("has the captured cases, most of them raising #MF", () => {
    expect(lines.length).toBe(1500);
    expect(lines.filter((l) => l.split(" ")[2] !== "-1").length).toBeGreaterThan(500);
  });

  it("raises #MF where the host did, with the host's FPU state", () => {
    const failures: string[] = [];
    const t = new X87Machine();
    for (let n = 0; n < lines.length; n++) {
      const [code, input, at, image] = lines[n]!.split(" ") as [string, string, string, string];
      t.x87.reset();
      t.poke(DATA, hex(input));
      t.cpu.setReg(7, BigInt(DATA));
      const vector = t.run(code);
      const where = vector === Vector.MF ? t.cpu.rip - BARE_LAYOUT.code : vector === -1 ? -1 : `vector ${vector}`;
      t.run("0fae8700010000"); // fxsave [rdi+256]: not a waiting instruction
      const want = hex(image);
      const keepFop = want[6] !== 0 || want[7] !== 0;
      const got = comparable(t.peek(DATA + 256, 160), keepFop);
      const expected = comparable(want, keepFop);
      if (String(where) !== at || got !== expected) {
        if (failures.length < 5) failures.push(`line ${n + 1}: code ${code}: #MF at ${at}, got ${where}\n  want ${expected}\n  got  ${got}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

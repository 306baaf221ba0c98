// Replays random x87 instruction sequences captured on the host CPU (fixtures/x87-sequences.c)
// through the CPU: the store area and the final FNSAVE image (control, status and tag words,
// FOP and every register in use) must match byte for byte. Left out: the instruction and data
// pointers and their selectors (host addresses), the contents of empty registers (on the host
// they hold whatever earlier cases left there: FNINIT does not clear them), and FOP when the
// host stored 0 (an AMD CPU loses FOP across a context switch unless an exception is pending).
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { DATA, X87Machine } from "./x87-test-machine.js";

const hex = (s: string): Uint8Array => Uint8Array.from(s.match(/../g)!.map((b) => parseInt(b, 16)));
const show = (b: Uint8Array): string => [...b].map((x) => x.toString(16).padStart(2, "0")).join("");

/** Offsets (from the store area) of the FNSAVE fields that hold host addresses: FIP, FCS, FDP, FDS. */
const POINTERS = [...Array(6).keys()].map((k) => 80 + 12 + k).concat([...Array(8).keys()].map((k) => 80 + 20 + k));
const IMAGE = 80; // the FNSAVE image within the compared bytes

/** Zeroes what must not be compared: the pointers, and ST(i) registers the tag word marks empty. */
function comparable(b: Uint8Array): string {
  for (const k of POINTERS) b[k] = 0;
  const top = (b[IMAGE + 5]! >> 3) & 7;
  const tags = b[IMAGE + 8]! | (b[IMAGE + 9]! << 8);
  for (let i = 0; i < 8; i++) {
    if (((tags >> (2 * ((top + i) & 7))) & 3) === 3) b.fill(0, IMAGE + 28 + 10 * i, IMAGE + 38 + 10 * i);
  }
  return show(b);
}

describe("x87 instruction sequences against the host CPU", () => {
  const random = gunzipSync(readFileSync(new URL("./fixtures/x87-sequences.txt.gz", import.meta.url))).toString("latin1");
  const found = readFileSync(new URL("./fixtures/x87-sequences-found.txt", import.meta.url), "latin1");
  const lines = (random + found).trim().split("\n");

  it("has the captured cases", () => {
    expect(lines.length).toBe(4009);
  });

  it("ends every sequence with the host's store area and FNSAVE image", () => {
    const failures: string[] = [];
    const t = new X87Machine();
    for (let n = 0; n < lines.length; n++) {
      const [code, input, output] = lines[n]!.split(" ") as [string, string, string];
      t.poke(DATA, hex(input));
      t.poke(DATA + 160, new Uint8Array(188));
      t.cpu.setReg(7, BigInt(DATA));
      const vector = t.run(code);
      const gotBytes = t.peek(DATA + 160, 188);
      const wantBytes = hex(output);
      if (wantBytes[IMAGE + 18] === 0 && wantBytes[IMAGE + 19] === 0) gotBytes[IMAGE + 18] = gotBytes[IMAGE + 19] = 0;
      const got = comparable(gotBytes);
      const want = comparable(wantBytes);
      if (vector !== -1 || got !== want) {
        if (failures.length < 5) failures.push(`line ${n + 1}: code ${code}\n  want ${want}\n  got  ${got} (exit ${vector})`);
      }
    }
    expect(failures).toEqual([]);
  });
});

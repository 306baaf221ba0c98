// A whole program through Cpu.run: fixtures/aes-crc.s encrypts the FIPS-197 C.1 block with
// AES-NI (key schedule by AESKEYGENASSIST/PSHUFD/PSLLDQ/PXOR, ten AESENC rounds) and computes
// CRC-32C of "123456789" with CRC32. Natively it prints 69c4e0d8… and e3069283.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BareMachine } from "../bare-machine.js";
import { Exit, Vector } from "../exit.js";

const code = Uint8Array.from(readFileSync(new URL("./fixtures/aes-crc.hex", import.meta.url), "utf8").match(/../g)!.map((b) => parseInt(b, 16)));

describe("an AES-NI and CRC32 program run by the Cpu", () => {
  it("produces the FIPS-197 ciphertext and the CRC-32C check value", () => {
    const m = new BareMachine();
    const at = 0x400000;
    m.map(at, 0x1000, { write: true, execute: true }); // the program stores its output inline
    m.poke(at, code);
    m.cpu.rip = at;
    expect(m.runToExit(10_000)).toBe(Exit.Fault);
    expect(m.cpu.fault.vector).toBe(Vector.BP);
    const text = [...code].map((b) => b.toString(16).padStart(2, "0")).join("");
    const plainAt = text.indexOf("00112233445566778899aabbccddeeff") / 2;
    const out = [...m.peek(at + plainAt + 16, 16)].map((b) => b.toString(16).padStart(2, "0")).join("");
    expect(out).toBe("69c4e0d86a7b0430d8cdb78070b4c55a");
    expect(Number(m.cpu.getReg(0))).toBe(0xe3069283);
  });
});

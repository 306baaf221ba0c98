import { DecodedInstruction, decode, formatIntel } from "@nanots/x86";
import { describe, expect, it } from "vitest";
import { SYSCALL_STUB_SIZE, syscallStub } from "./syscall-stub.js";

/** Decodes `bytes` instruction by instruction into Intel syntax. */
function disassemble(bytes: Uint8Array): string[] {
  const out: string[] = [];
  const ins = new DecodedInstruction();
  for (let at = 0; at < bytes.length; ) {
    const length = decode(ins, bytes, at, at);
    expect(ins.error).toBe(0);
    out.push(formatIntel(ins).replace(/\s+/g, " "));
    at += length;
  }
  return out;
}

describe("syscallStub", () => {
  it("decodes to mov eax, nr; syscall; ret", () => {
    for (const nr of [0, 96, 228, 309, 0x7fffffff]) {
      const stub = syscallStub(nr);
      expect(stub.length).toBe(SYSCALL_STUB_SIZE);
      expect(disassemble(stub)).toEqual([`mov eax,0x${nr.toString(16)}`, "syscall", "ret"]);
    }
  });

  it("puts the number in the immediate of B8 (mov eax, imm32), little-endian", () => {
    const ins = new DecodedInstruction();
    decode(ins, syscallStub(0x12345678), 0);
    expect(ins.mnemonic).toBe("mov");
    expect(ins.immediate >>> 0).toBe(0x12345678);
  });
});

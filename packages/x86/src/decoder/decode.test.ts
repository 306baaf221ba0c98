import { describe, expect, it } from "vitest";
import { DecodeError } from "./decode-error.js";
import { DecodedInstruction, OperandKind, Prefix } from "./decoded-instruction.js";
import { decode } from "./decode.js";
import { registerName } from "./registers.js";
import { BRANCH_KINDS, FLAG_LETTERS } from "./table-format.js";

const ins = new DecodedInstruction();
function run(hex: string, ip = 0x1000): DecodedInstruction {
  decode(ins, Buffer.from(hex.replace(/ /g, ""), "hex"), 0, ip);
  return ins;
}
const flags = (bits: number): string => [...FLAG_LETTERS].filter((_, i) => bits & (1 << i)).join("");

describe("decode", () => {
  it("reports operands of add rsi,rcx (48 01 ce)", () => {
    run("48 01 ce");
    expect([ins.length, ins.mnemonic, ins.operandCount, ins.operandSize]).toEqual([3, "add", 2, 8]);
    expect([registerName(ins.operandRegister[0]!), registerName(ins.operandRegister[1]!)]).toEqual(["rsi", "rcx"]);
    expect(flags(ins.flagsWritten)).toBe("cpazso");
    expect(ins.extension).toBe("BASE");
  });

  it("decodes SIB memory with displacement: mov eax,[rbx+rcx*4-0x10]", () => {
    run("8b 44 8b f0");
    expect(ins.operandKind[1]).toBe(OperandKind.Memory);
    expect([registerName(ins.memoryBase), registerName(ins.memoryIndex), ins.memoryScale, ins.memoryDisplacement]).toEqual(["rbx", "rcx", 4, -16]);
  });

  it("resolves RIP-relative addresses and branch targets from the ip", () => {
    run("48 8d 05 10 00 00 00", 0x2000);
    expect(registerName(ins.memoryBase)).toBe("rip");
    expect(ins.memoryDisplacement).toBe(0x10);
    run("e8 fb ff ff ff", 0x2000);
    expect([ins.branchTarget, BRANCH_KINDS[ins.branchKind]]).toEqual([0x2000, "call"]);
    run("74 fe", 0x3000);
    expect([ins.branchTarget, BRANCH_KINDS[ins.branchKind], flags(ins.flagsRead)]).toEqual([0x3000, "jcc", "z"]);
  });

  it("keeps 64-bit immediates exact: movabs rax,0x8877665544332211", () => {
    run("48 b8 11 22 33 44 55 66 77 88");
    expect([ins.length, ins.immediate.toString(16), ins.immediateHigh.toString(16)]).toEqual([10, "44332211", "88776655"]);
  });

  it("sign-extends imm8 to the operand size", () => {
    run("48 83 c4 80");
    expect([ins.immediate, ins.immediateHigh]).toEqual([0xffffff80, 0xffffffff]);
  });

  it("names ISA extensions", () => {
    expect(run("66 0f 38 dc c1").extension).toBe("AES");
    expect(run("f3 0f b8 c1").extension).toBe("POPCNT");
    expect(run("c4 e2 78 f2 c1").extension).toBe("BMI1");
    expect(run("c5 fd ef c0").extension).toBe("AVX");
    expect(run("0f c7 f0").extension).toBe("RDRAND");
    expect(run("0f 0b").mnemonic).toBe("ud2");
  });

  it("selects forms by mandatory prefix", () => {
    expect(run("0f 10 c1").mnemonic).toBe("movups");
    expect(run("66 0f 10 c1").mnemonic).toBe("movupd");
    expect(run("f3 0f 10 c1").mnemonic).toBe("movss");
    expect(run("f2 0f 10 c1").mnemonic).toBe("movsd");
    expect(run("f3 90").mnemonic).toBe("pause");
    expect(run("41 90").mnemonic).toBe("xchg");
    expect(run("66 0f bc c1").mnemonic).toBe("bsf");
    expect(run("f3 0f bc c1").mnemonic).toBe("tzcnt");
  });

  it("reports prefixes", () => {
    run("f0 48 0f b1 0b");
    expect(ins.prefixes & (Prefix.Lock | Prefix.Rex)).toBe(Prefix.Lock | Prefix.Rex);
    expect(ins.error).toBe(DecodeError.None);
  });

  it.each([
    ["06", DecodeError.InvalidIn64BitMode],
    ["0f 04", DecodeError.InvalidOpcode],
    ["8f c8", DecodeError.Unsupported],
    ["fe d0", DecodeError.InvalidGroupEncoding],
    ["8d c0", DecodeError.InvalidModrmForm],
    ["f0 01 c0", DecodeError.LockNotAllowed],
    ["f0 90", DecodeError.LockNotAllowed],
    ["66 c5 f9 ef c0", DecodeError.VexAfterPrefix],
    ["c5 f8 77", DecodeError.None],
    ["c4 e2 79 19 00", DecodeError.InvalidVexField],
    ["c5 f1 6f c0", DecodeError.VexVvvvNotUnused],
    ["c5 f0 77", DecodeError.VexVvvvNotUnused],
    ["62 f1 7c 48 10 00", DecodeError.Unsupported],
    ["48 8b", DecodeError.Truncated],
    ["66".repeat(15) + "90", DecodeError.TooLong],
  ])("%s → error %i", (hex, error) => {
    expect(run(hex).error).toBe(error);
  });

  it("decodes 0F 0D register forms as hint NOPs (objdump cannot print them)", () => {
    run("0f 0d d1");
    expect([ins.error, ins.mnemonic, ins.length]).toEqual([0, "nop", 3]);
  });

  it("never reads at or past `end`", () => {
    const code = Buffer.from("48b81122334455667788", "hex");
    for (let end = 0; end < code.length; end++) {
      decode(ins, code, 0, 0, end);
      expect(ins.error).toBe(end === 0 ? DecodeError.Truncated : DecodeError.Truncated);
      expect(ins.length).toBeLessThanOrEqual(Math.max(1, end));
    }
  });
});

describe("operand size of default-64-bit instructions", () => {
  it("REX.W overrides 66 (66 48 68 imm32 is push imm32, 7 bytes; iced agrees)", () => {
    run("66 48 68 38 fc 79 9f");
    expect([ins.error, ins.length, ins.operandSize]).toEqual([0, 7, 8]);
    run("66 68 38 fc");
    expect([ins.error, ins.length, ins.operandSize]).toEqual([0, 4, 2]);
  });
});

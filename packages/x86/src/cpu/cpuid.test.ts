// CPUID must advertise exactly what the CPU implements: every instruction of an advertised
// extension has a handler, and the extensions it lacks (AVX and later) are not advertised.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { cpuid } from "./cpuid.js";
import { isImplemented } from "./handlers.js";

const lines = readFileSync(new URL("../../data/opcodes.txt", import.meta.url), "utf8").split("\n").filter((l) => l.trim() && !l.startsWith("#"));

/** Mnemonics (as the decoder names them, per operand size) of the legacy forms of an extension. */
function mnemonicsOf(ext: string): string[] {
  return lines
    .filter((l) => new RegExp(` ext=${ext}(\\s|$)`).test(l) && !/^V[123] /.test(l))
    .flatMap((l) => l.split(/\s+/)[4]!.split("|"));
}

const [, , ecx1, edx1] = cpuid(1, 0);
const [, ebx7, ecx7] = cpuid(7, 0);
const [, , ecxExt, edxExt] = cpuid(0x80000001, 0);
const [xsaveSub1] = cpuid(0xd, 1);
const has = (reg: number, bit: number): boolean => ((reg >>> bit) & 1) === 1;

// Feature bit → the extension names of the opcode data file it stands for.
const ADVERTISED: Array<[string, boolean, string[]]> = [
  ["SSE3", has(ecx1, 0), ["SSE3"]],
  ["PCLMULQDQ", has(ecx1, 1), ["PCLMUL"]],
  ["SSSE3", has(ecx1, 9), ["SSSE3"]],
  ["SSE4.1", has(ecx1, 19), ["SSE4_1"]],
  ["SSE4.2", has(ecx1, 20), ["SSE4_2"]],
  ["MOVBE", has(ecx1, 22), ["MOVBE"]],
  ["POPCNT", has(ecx1, 23), ["POPCNT"]],
  ["AES", has(ecx1, 25), ["AES"]],
  ["XSAVE", has(ecx1, 26), ["XSAVE"]],
  ["RDRAND", has(ecx1, 30), ["RDRAND"]],
  ["x87", has(edx1, 0), ["X87"]],
  ["MMX", has(edx1, 23), ["MMX"]],
  ["FXSR", has(edx1, 24), ["FXSR"]],
  ["SSE", has(edx1, 25), ["SSE"]],
  ["SSE2", has(edx1, 26), ["SSE2"]],
  ["BMI1", has(ebx7, 3), ["BMI1"]],
  ["BMI2", has(ebx7, 8), ["BMI2"]],
  ["RDSEED", has(ebx7, 18), ["RDSEED"]],
  ["ADX", has(ebx7, 19), ["ADX"]],
  ["SHA", has(ebx7, 29), ["SHA"]],
  ["LZCNT", has(ecxExt, 5), ["LZCNT"]],
  ["PREFETCHW", has(ecxExt, 8), ["PREFETCHW"]],
  ["RDTSCP", has(edxExt, 27), ["RDTSCP"]],
  ["XSAVEOPT", has(xsaveSub1, 0), ["XSAVEOPT"]],
  ["XSAVEC", has(xsaveSub1, 1), ["XSAVEC"]],
];

describe("CPUID", () => {
  it.each(ADVERTISED.filter(([, on]) => on))("advertises %s, and every legacy instruction of it runs", (_name, _on, exts) => {
    const missing = exts.flatMap(mnemonicsOf).filter((m) => !isImplemented(m));
    expect(missing).toEqual([]);
  });

  it("does not advertise what is not implemented: AVX, AVX2, FMA, F16C, AVX-512, FSGSBASE, RTM, OSPKE", () => {
    expect(has(ecx1, 28)).toBe(false); // AVX
    expect(has(ecx1, 12)).toBe(false); // FMA
    expect(has(ecx1, 29)).toBe(false); // F16C
    expect(has(ebx7, 5)).toBe(false); // AVX2
    expect(has(ebx7, 16)).toBe(false); // AVX-512F
    expect(has(ebx7, 0)).toBe(false); // FSGSBASE
    expect(has(ebx7, 11)).toBe(false); // RTM
    expect(has(ecx7, 4)).toBe(false); // OSPKE
    expect(cpuid(0xd, 0)[0]).toBe(3); // XCR0 components: x87 and SSE only
  });
});

// Instructions the decoder knows but the CPU does not run (3DNow!, FMA4, PadLock, CMPccXADD,
// VMX, AVX-512 mask ops, AMX…): they decode, CPUID does not advertise them, and running one
// raises #UD with rip at the instruction.
import { describe, expect, it } from "vitest";
import { BareMachine } from "../src/cpu/bare-machine.js";
import { cpuid } from "../src/cpu/cpuid.js";
import { Exit, Vector } from "../src/cpu/exit.js";
import { DecodeError, DecodedInstruction, decode } from "../src/decoder/index.js";

const SAMPLES: Array<[string, string, string]> = [
  ["0f0e", "femms", "3DNOW"],
  ["0f0fc19e", "pfadd", "3DNOW"],
  ["0f0f4310bb", "pswapd", "3DNOWEXT"],
  ["c4e3f1684310c0", "vfmaddps", "FMA4"],
  ["c4e3f15ed230", "vfmsubaddps", "FMA4"],
  ["c4e3754910c1", "vpermil2pd", "XOP"],
  ["f30fa7c8", "xcrypt-ecb", "PADLOCK"],
  ["0fa7c0", "xstore-rng", "PADLOCK"],
  ["c4e2f1e21a", "cmpbxadd", "CMPCCXADD"],
  ["c5f441c2", "kandw", "AVX512"],
  ["0f01c1", "vmcall", "VMX"],
  ["c4e27b4b0c18", "tileloadd", "AMX"],
  ["660f38cfc1", "gf2p8mulb", "GFNI"],
];

describe("decoded-only instructions", () => {
  it.each(SAMPLES)("%s decodes as %s (%s) and raises #UD on the CPU", (hex, mnemonic, extension) => {
    const bytes = Buffer.from(hex, "hex");
    const ins = new DecodedInstruction();
    decode(ins, bytes, 0);
    expect([ins.error, ins.mnemonic, ins.extension, ins.length]).toEqual([DecodeError.None, mnemonic, extension, bytes.length]);

    const m = new BareMachine();
    m.load(Uint8Array.from([0x90, ...bytes, 0xcc]));
    const start = m.cpu.rip;
    expect(m.runToExit()).toBe(Exit.Fault);
    expect(m.cpu.fault.vector).toBe(Vector.UD);
    expect(m.cpu.rip).toBe(start + 1); // at the instruction, after the nop
  });

  it("are not advertised by CPUID: 3DNow!, 3DNow!+, FMA4, XOP, CMPccXADD, AVX-512, AMX, GFNI, VIA PadLock", () => {
    const [, , ecxExt, edxExt] = cpuid(0x80000001, 0);
    const [, ebx7, ecx7, edx7] = cpuid(7, 0);
    const [eax71] = cpuid(7, 1);
    const bit = (reg: number, n: number): number => (reg >>> n) & 1;
    expect([bit(edxExt, 31), bit(edxExt, 30), bit(ecxExt, 16), bit(ecxExt, 11)]).toEqual([0, 0, 0, 0]);
    expect(bit(eax71, 7)).toBe(0); // CMPccXADD
    expect([bit(ebx7, 16), bit(edx7, 24), bit(ecx7, 8)]).toEqual([0, 0, 0]); // AVX-512F, AMX-TILE, GFNI
    expect(cpuid(0xc0000000, 0)[0]! >>> 0).toBeLessThan(0xc0000001); // no Centaur leaves, so no PadLock
  });
});

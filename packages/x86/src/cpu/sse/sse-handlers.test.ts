import { readFileSync } from "node:fs";
import { beforeEach, describe, expect, it } from "vitest";
import { BareMachine } from "../bare-machine.js";
import { Exit, Vector } from "../exit.js";
import { executeOne } from "./execute-one.js";
import { readMmx, writeMmx } from "./mmx-registers.js";
import { SSE_HANDLERS } from "./sse-handlers.js";

const CODE = 0x400000;
const DATA = 0x10000000;
const READ_ONLY = DATA + 0x1000;

function hex(s: string): Uint8Array {
  return Uint8Array.from(s.match(/../g)!.map((b) => parseInt(b, 16)));
}

function toHex(b: Uint8Array): string {
  return [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
}

const SSE_EXTENSIONS = new Set(["SSE", "SSE2", "SSE3", "SSSE3", "SSE4_1", "SSE4_2", "MMX", "AES", "PCLMUL"]);

describe("SSE_HANDLERS coverage", () => {
  const listed = new Set<string>();
  for (const line of readFileSync(new URL("../../../data/opcodes.txt", import.meta.url), "utf8").split("\n")) {
    const cols = line.split(/\s+/);
    const ext = cols.find((c) => c.startsWith("ext="))?.slice(4);
    if (line.startsWith("#") || line.startsWith("V") || ext === undefined || !SSE_EXTENSIONS.has(ext)) continue;
    for (const name of cols[4]!.split("|")) listed.add(name);
  }

  it("has a handler for every non-VEX SSE…SSE4.2, MMX, AES-NI and PCLMULQDQ mnemonic in opcodes.txt", () => {
    expect(listed.size).toBeGreaterThan(250);
    expect([...listed].filter((m) => SSE_HANDLERS[m] === undefined)).toEqual([]);
  });

  it("has no handler for a mnemonic the decoder never produces for these extensions", () => {
    expect(Object.keys(SSE_HANDLERS).filter((m) => !listed.has(m))).toEqual([]);
  });
});

describe("README example", () => {
  it("divides 1 by 3 rounding up and reports inexact", () => {
    const code = Uint8Array.from([
      0xf2, 0x0f, 0x10, 0x05, 0x10, 0, 0, 0, 0xf2, 0x0f, 0x5e, 0x05, 0x10, 0, 0, 0, 0xcc,
      ...new Array(7).fill(0x90),
      ...new Uint8Array(Float64Array.of(1, 3).buffer),
    ]);
    const m = new BareMachine();
    m.load(code);
    m.cpu.mxcsr = 0x1f80 | (2 << 13);
    expect(m.runToExit(10)).toBe(Exit.Fault);
    expect(m.cpu.fault.vector).toBe(Vector.BP);
    expect(new Float64Array(m.cpu.xmm.buffer, 0, 1)[0]).toBe(0.33333333333333337);
    expect((m.cpu.mxcsr & 0x3f).toString(16)).toBe("20");
  });
});

describe("SSE handlers on a Cpu", () => {
  let m: BareMachine;
  beforeEach(() => {
    m = new BareMachine({ memoryBytes: 4 << 20 });
    m.map(CODE, 0x1000, { write: true, execute: true });
    m.map(DATA, 0x1000, { write: true });
    m.map(READ_ONLY, 0x1000, {});
  });
  const run = (code: string): number => executeOne(m, hex(code), CODE);
  const xmm = (n: number): string => toHex(m.cpu.xmm.subarray(16 * n, 16 * n + 16));
  const setXmm = (n: number, h: string): void => m.cpu.xmm.set(hex(h), 16 * n);
  const bytes16 = "000102030405060708090a0b0c0d0e0f";

  it("movaps faults #GP on a misaligned address and leaves the register; movups loads", () => {
    m.poke(DATA, hex(bytes16 + bytes16));
    m.cpu.setRegNumber(0, DATA + 8);
    setXmm(0, "ff".repeat(16));
    expect(run("0f2800")).toBe(Exit.Fault); // movaps xmm0, [rax]
    expect(m.cpu.fault.vector).toBe(Vector.GP);
    expect(m.cpu.rip).toBe(CODE);
    expect(xmm(0)).toBe("ff".repeat(16));
    expect(run("0f1000")).toBe(Exit.Budget); // movups xmm0, [rax]
    expect(xmm(0)).toBe("08090a0b0c0d0e0f0001020304050607");
    expect(run("f20ff000")).toBe(Exit.Budget); // lddqu xmm0, [rax]
  });

  it("checks alignment of legacy packed memory operands but not of scalar ones", () => {
    m.cpu.setRegNumber(0, DATA + 4);
    expect(run("0f5800")).toBe(Exit.Fault); // addps xmm0, [rax]
    expect(m.cpu.fault.vector).toBe(Vector.GP);
    expect(run("f30f5800")).toBe(Exit.Budget); // addss xmm0, [rax]
    expect(run("660f7f00")).toBe(Exit.Fault); // movdqa [rax], xmm0
    expect(run("660fe700")).toBe(Exit.Fault); // movntdq [rax], xmm0
    expect(run("f20f5100")).toBe(Exit.Budget); // sqrtsd xmm0, [rax]
  });

  it("the SSE4.2 string compares accept an unaligned memory operand (as the hardware does)", () => {
    m.poke(DATA + 1, new TextEncoder().encode("hello world\0"));
    m.cpu.setRegNumber(0, DATA + 1);
    setXmm(0, toHex(new TextEncoder().encode("wor")) + "00".repeat(13));
    expect(run("660f3a63000c")).toBe(Exit.Budget); // pcmpistri xmm0, [rax], 0x0c
    expect(m.cpu.getReg(1)).toBe(6n);
    expect(run("660f3a0f0001")).toBe(Exit.Fault); // palignr xmm0, [rax], 1: aligned
    expect(m.cpu.fault.vector).toBe(Vector.GP);
  });

  it("reaches xmm8-xmm15 and r8-r15 through REX", () => {
    setXmm(8, "0000803f".repeat(4)); // 1.0
    setXmm(15, "00000040".repeat(4)); // 2.0
    run("450f58c7"); // addps xmm8, xmm15
    expect(xmm(8)).toBe("00004040".repeat(4)); // 3.0
    setXmm(12, "0f0e0d0c0b0a09080706050403020100");
    run("66450f3800e4"); // pshufb xmm12, xmm12: each byte selects its own mirror
    expect(xmm(12)).toBe("000102030405060708090a0b0c0d0e0f");
    m.poke(DATA, hex(bytes16));
    m.cpu.setRegNumber(0, DATA);
    run("66440f6f38"); // movdqa xmm15, [rax]
    expect(xmm(15)).toBe(bytes16);
    setXmm(14, bytes16);
    run("664d0f3a16f501"); // pextrq r13, xmm14, 1
    expect(m.cpu.getReg(13)).toBe(0x0f0e0d0c0b0a0908n);
  });

  it("movss: a load zeroes the upper lanes, a register move keeps them, a store writes four bytes", () => {
    m.poke(DATA, hex("0000803f" + "ff".repeat(12)));
    m.cpu.setRegNumber(0, DATA);
    setXmm(0, "11".repeat(16));
    setXmm(1, "22".repeat(16));
    expect(run("f30f1000")).toBe(Exit.Budget);
    expect(xmm(0)).toBe("0000803f" + "00".repeat(12));
    setXmm(0, "11".repeat(16));
    run("f30f10c1"); // movss xmm0, xmm1
    expect(xmm(0)).toBe("22222222" + "11".repeat(12));
    run("f30f1100"); // movss [rax], xmm0
    expect(toHex(m.peek(DATA, 8))).toBe("22222222ffffffff");
  });

  it("movhps, movq and movd load and store their halves", () => {
    m.poke(DATA, hex(bytes16));
    m.cpu.setRegNumber(0, DATA);
    setXmm(0, "aa".repeat(16));
    run("0f1600"); // movhps xmm0, [rax]
    expect(xmm(0)).toBe("aa".repeat(8) + "0001020304050607");
    run("f30f7e00"); // movq xmm0, [rax]
    expect(xmm(0)).toBe("0001020304050607" + "00".repeat(8));
    run("660f6e00"); // movd xmm0, [rax]
    expect(xmm(0)).toBe("00010203" + "00".repeat(12));
    setXmm(0, "0102030405060708090a0b0c0d0e0f10");
    run("0f1700"); // movhps [rax], xmm0
    expect(toHex(m.peek(DATA, 16))).toBe("090a0b0c0d0e0f10" + "08090a0b0c0d0e0f");
    run("660fd600"); // movq [rax], xmm0
    expect(toHex(m.peek(DATA, 8))).toBe("0102030405060708");
  });

  it("a store that crosses into a read-only page faults #PF and writes nothing", () => {
    m.cpu.setRegNumber(0, READ_ONLY - 8);
    setXmm(0, "77".repeat(16));
    expect(run("0f1100")).toBe(Exit.Fault); // movups [rax], xmm0
    expect(m.cpu.fault.vector).toBe(Vector.PF);
    // CR2 is in the read-only page (the core reports the access's last byte there).
    expect(Math.floor(m.cpu.fault.address / 0x1000) * 0x1000).toBe(READ_ONLY);
    expect(toHex(m.peek(READ_ONLY - 8, 8))).toBe("00".repeat(8));
  });

  it("ldmxcsr raises #GP on reserved bits and leaves MXCSR; stmxcsr stores it", () => {
    m.cpu.setRegNumber(0, DATA);
    m.poke(DATA, hex("801f0100")); // 0x00011f80: bit 16 is reserved
    expect(run("0fae10")).toBe(Exit.Fault);
    expect(m.cpu.fault.vector).toBe(Vector.GP);
    expect(m.cpu.mxcsr).toBe(0x1f80);
    m.poke(DATA, hex("c0ff0000")); // every writable bit
    expect(run("0fae10")).toBe(Exit.Budget);
    expect(m.cpu.mxcsr).toBe(0xffc0);
    m.poke(DATA, hex("00000000"));
    run("0fae18");
    expect(toHex(m.peek(DATA, 4))).toBe("c0ff0000");
  });

  it("raises #XM for an unmasked exception, sets the flag, and leaves the destination", () => {
    m.cpu.mxcsr = 0x1f80 & ~0x200; // divide-by-zero unmasked
    setXmm(0, "0000803f" + "0000803f".repeat(3)); // 1.0
    setXmm(1, "00000000" + "0000803f".repeat(3)); // 0.0 in lane 0
    expect(run("f30f5ec1")).toBe(Exit.Fault); // divss xmm0, xmm1
    expect(m.cpu.fault.vector).toBe(Vector.XM);
    expect(m.cpu.rip).toBe(CODE);
    expect(m.cpu.mxcsr & 0x3f).toBe(0x4);
    expect(xmm(0)).toBe("0000803f".repeat(4));
    m.cpu.mxcsr = 0x1f80;
    expect(run("f30f5ec1")).toBe(Exit.Budget);
    expect(xmm(0).slice(0, 8)).toBe("0000807f"); // +inf
    expect(m.cpu.mxcsr).toBe(0x1f84);
  });

  it("an unmasked pre-computation exception reports only IE/DE/ZE, not the inexact of other lanes", () => {
    m.cpu.mxcsr = 0x1f80 & ~0x80; // invalid unmasked
    setXmm(0, "00000000" + "0000803f".repeat(3)); // 0, 1, 1, 1
    setXmm(1, "00000000" + "00004040".repeat(3)); // 0, 3, 3, 3: 0/0 invalid, 1/3 inexact
    expect(run("0f5ec1")).toBe(Exit.Fault); // divps xmm0, xmm1
    expect(m.cpu.fault.vector).toBe(Vector.XM);
    expect(m.cpu.mxcsr & 0x3f).toBe(0x1);
  });

  it("converts 64-bit integers with rounding and floats to integers with truncation", () => {
    m.cpu.setReg(0, (1n << 62n) + 1n);
    run("f2480f2ac0"); // cvtsi2sd xmm0, rax
    expect(new Float64Array(m.cpu.xmm.buffer, 0, 1)[0]).toBe(2 ** 62);
    expect(m.cpu.mxcsr & 0x20).toBe(0x20);
    setXmm(1, "0000000000c05ec0" + "00".repeat(8)); // -123.0
    run("f2480f2cc1"); // cvttsd2si rax, xmm1
    expect(m.cpu.getReg(0)).toBe(BigInt.asUintN(64, -123n));
    setXmm(1, "000000000000f07f" + "00".repeat(8)); // +inf → integer indefinite
    run("f2480f2cc1");
    expect(m.cpu.getReg(0)).toBe(0x8000000000000000n);
  });

  it("comisd and ucomiss set ZF PF CF and clear OF SF AF", () => {
    m.cpu.rflags = 0x8d5 | 0x202;
    setXmm(0, "000000000000f03f" + "00".repeat(8)); // 1.0
    setXmm(1, "0000000000000040" + "00".repeat(8)); // 2.0
    run("660f2fc1");
    expect(m.cpu.rflags & 0x8d5).toBe(0x1); // less: CF
    setXmm(0, "0000c07f" + "00".repeat(12)); // QNaN
    run("0f2ec1");
    expect(m.cpu.rflags & 0x8d5).toBe(0x45); // unordered
    expect(m.cpu.mxcsr & 1).toBe(0); // ucomiss: quiet NaN does not signal
    run("660f2fc1".replace("660f", "0f")); // comiss signals it
    expect(m.cpu.mxcsr & 1).toBe(1);
  });

  it("pextrw and extractps store to memory; pinsrb and insertps load from it", () => {
    m.cpu.setRegNumber(0, DATA);
    setXmm(1, bytes16);
    run("660f3a150805"); // pextrw [rax], xmm1, 5
    expect(toHex(m.peek(DATA, 4))).toBe("0a0b0000");
    run("660f3a170802"); // extractps [rax], xmm1, 2
    expect(toHex(m.peek(DATA, 4))).toBe("08090a0b");
    setXmm(0, "00".repeat(16));
    run("660f3a200007"); // pinsrb xmm0, [rax], 7
    expect(xmm(0)).toBe("00".repeat(7) + "08" + "00".repeat(8));
    run("660f3a2100d0"); // insertps xmm0, [rax], 0xd0: lane 1 from memory (source-lane bits ignored)
    expect(xmm(0)).toBe("00000000" + "08090a0b" + "00".repeat(8));
  });

  it("maskmovdqu writes only the selected bytes at rdi", () => {
    m.cpu.setRegNumber(7, DATA + 3);
    m.poke(DATA, hex("ee".repeat(32)));
    setXmm(0, bytes16);
    setXmm(1, "80008000" + "00".repeat(11) + "ff");
    run("660ff7c1");
    expect(toHex(m.peek(DATA, 20))).toBe("eeeeee" + "00ee02ee" + "ee".repeat(11) + "0f" + "ee");
  });

  it("crc32 accumulates CRC-32C from memory; the standard check value of '123456789' is E3069283", () => {
    m.poke(DATA, new TextEncoder().encode("123456789"));
    m.cpu.setReg(0, 0xffffffffn);
    for (let k = 0; k < 9; k++) {
      m.cpu.setRegNumber(1, DATA + k);
      run("f20f38f001"); // crc32 eax, byte [rcx]
    }
    expect((Number(m.cpu.getReg(0)) ^ 0xffffffff) >>> 0).toBe(0xe3069283);
    m.cpu.setReg(0, 0xffffffff_ffffffffn);
    m.cpu.setRegNumber(1, DATA);
    run("f2480f38f101"); // crc32 rax, qword [rcx]: the high half of rax is cleared
    expect(m.cpu.getReg(0) >> 32n).toBe(0n);
  });

  it("MMX instructions reach the MMX registers", () => {
    m.poke(DATA, hex("01020304050607f0"));
    m.cpu.setRegNumber(0, DATA);
    run("0f6f00"); // movq mm0, [rax]
    writeMmx(m.cpu, 1, 0x01010101, 0x20010101);
    run("0ffcc1"); // paddb mm0, mm1
    run("0f7f00"); // movq [rax], mm0
    expect(toHex(m.peek(DATA, 8))).toBe("0203040506070810");
    const out = new Int32Array(2);
    readMmx(m.cpu, 0, out);
    expect(out[0]! >>> 0).toBe(0x05040302);
    expect(run("0f77")).toBe(Exit.Budget); // emms
  });

  it("an MMX instruction puts the x87 unit in MMX state (TOP 0, all valid); EMMS empties it", () => {
    m.cpu.x87.top = 5;
    m.cpu.x87.valid = 0;
    run("0fefc0"); // pxor mm0, mm0
    expect(m.cpu.x87.top).toBe(0);
    expect(m.cpu.x87.valid).toBe(0xff);
    const out = new Int32Array(2);
    readMmx(m.cpu, 0, out);
    expect([...out]).toEqual([0, 0]);
    run("0f77"); // emms
    expect(m.cpu.x87.valid).toBe(0);
    expect(m.cpu.x87.tagWord).toBe(0xffff);
  });

  it("prefetch and fences do nothing; movnti stores a GPR", () => {
    m.cpu.setRegNumber(0, DATA);
    m.cpu.setReg(1, 0x1122334455667788n);
    expect(run("0f1808")).toBe(Exit.Budget);
    expect(run("0faef0")).toBe(Exit.Budget);
    run("480fc308");
    expect(toHex(m.peek(DATA, 8))).toBe("8877665544332211");
  });
});

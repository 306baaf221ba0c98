// Real instruction bytes (assembled with GNU as, source in each comment) run through the x87
// handlers on a BareMachine.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Vector } from "../exit.js";
import { Flag } from "../flags.js";
import { F80 } from "./f80.js";
import { FXSAVE_HANDLERS } from "./fxsave.js";
import { X87_HANDLERS } from "./x87-handlers.js";
import { DATA, X87Machine } from "./x87-test-machine.js";

const le = (bytes: number[]): Uint8Array => Uint8Array.from(bytes);
const f64 = (v: number): Uint8Array => new Uint8Array(new Float64Array([v]).buffer);
const f32 = (v: number): Uint8Array => new Uint8Array(new Float32Array([v]).buffer);
const u16 = (v: number): Uint8Array => le([v & 0xff, v >> 8]);
const ax = (t: X87Machine): number => Number(t.cpu.getReg(0) & 0xffffn);
/** The value of an extended number, decoded independently of the F80 class. */
const valueOf = (b: Uint8Array): number => {
  const dv = new DataView(b.buffer, b.byteOffset);
  const sig = dv.getBigUint64(0, true);
  const se = dv.getUint16(8, true);
  return (se & 0x8000 ? -1 : 1) * Number(sig) * 2 ** ((se & 0x7fff) - 16383 - 63);
};

describe("x87 handlers on real instruction bytes", () => {
  it("covers every x87 mnemonic of the opcode data, EMMS and the FXSAVE/XSAVE family", () => {
    const data = readFileSync(new URL("../../../data/opcodes.txt", import.meta.url), "utf8");
    const wanted = new Set<string>();
    for (const line of data.split("\n")) {
      const f = line.trim().split(/\s+/);
      if (line.startsWith("#") || f.length < 5) continue;
      const ext = /ext=(\S+)/.exec(line)?.[1];
      if (ext === "X87" || (ext !== undefined && /^(FXSR|XSAVE|XSAVEOPT|XSAVEC)$/.test(ext))) for (const m of f[4]!.split("|")) wanted.add(m);
    }
    wanted.add("fwait");
    wanted.add("emms");
    const have = new Set([...Object.keys(X87_HANDLERS), ...Object.keys(FXSAVE_HANDLERS)]);
    expect([...wanted].filter((m) => !have.has(m))).toEqual([]);
    expect(wanted.size).toBeGreaterThan(90);
  });

  it("precision control rounds quotients to 24, 53 and 64 bits", () => {
    for (const [cw, expected] of [
      [0x007f, Math.fround(1 / 3)],
      [0x027f, 1 / 3],
    ] as const) {
      const t = new X87Machine();
      t.poke(DATA, u16(cw));
      t.poke(DATA + 8, f64(3));
      // fldcw [DATA]; fld1; fld qword [DATA+8]; fdivp (DE F9: st1 = st1 / st0); fstp tbyte [DATA+16]
      expect(t.run("d92c2500000010 d9e8 dd042508000010 def9 db3c2510000010")).toBe(-1);
      expect(valueOf(t.peek(DATA + 16, 10))).toBe(expected);
    }
    const t = new X87Machine();
    t.poke(DATA, u16(0x037f));
    t.poke(DATA + 8, f64(3));
    t.run("d92c2500000010 d9e8 dd042508000010 def9 db3c2510000010");
    // 1/3 to 64 bits: 0xAAAA…AB × 2^-65 (round to nearest: the next bits are 1010…).
    expect(F80.read(t.peek(DATA + 16, 10), 0).toHex()).toBe("3ffdaaaaaaaaaaaaaaab");
  });

  it("uses Intel's operand order for the reversed register forms (DC E8+i is ST(i) − ST(0))", () => {
    const t = new X87Machine();
    // fld1; fld1; fadd st,st(0) [st0=2]; fadd st(1),st [st1=3]; fsub st(1),st [st1=1];
    // fsubr st(1),st [st1=2-1=1]; fdivp [st1/st0 = 0.5]; fstp tbyte [DATA+16]
    expect(t.run("d9e8 d9e8 d8c0 dcc1 dce9 dce1 def9 db3c2510000010")).toBe(-1);
    expect(valueOf(t.peek(DATA + 16, 10))).toBe(0.5);
  });

  it("stack overflow pushes the default NaN with IE, SF and C1", () => {
    const t = new X87Machine();
    // nine fld1; fnstsw ax
    expect(t.run("d9e8".repeat(9) + "dfe0")).toBe(-1);
    expect(ax(t)).toBe(0x0241 | (7 << 11));
    expect(t.x87.st(0).toHex()).toBe("ffffc000000000000000");
  });

  it("stack underflow signals IE and SF with C1 clear", () => {
    const t = new X87Machine();
    // fstp st(0) on an empty stack; fnstsw ax
    expect(t.run("ddd8 dfe0")).toBe(-1);
    expect(ax(t)).toBe(0x0041 | (1 << 11));
  });

  it("fcomi and fucomip set ZF PF CF; fcmov reads them", () => {
    const t = new X87Machine();
    t.cpu.rflags = 0x8d5;
    // fld1; fldz; fcomi st, st(1): 0 < 1
    t.run("d9e8 d9ee dbf1");
    expect(t.cpu.rflags & 0x8d5).toBe(Flag.CF);
    const u = new X87Machine();
    // fld1; fldz; fucomip st, st(1)
    u.run("d9e8 d9ee dfe9");
    expect(u.cpu.rflags & (Flag.ZF | Flag.PF | Flag.CF)).toBe(Flag.CF);
    expect(u.x87.top).toBe(7);
    const v = new X87Machine();
    v.cpu.rflags = Flag.CF;
    // fld1; fldz; fcmovb st, st(1) (taken); then fcmovnb st, st(1) is not
    v.run("d9e8 d9ee dac1");
    expect(v.x87.st(0).toHex()).toBe("3fff8000000000000000");
    const w = new X87Machine();
    w.cpu.rflags = Flag.CF;
    w.run("d9e8 d9ee dbc1");
    expect(w.x87.st(0).toHex()).toBe("00000000000000000000");
  });

  it("stores integers with rounding, and the integer indefinite when out of range", () => {
    const t = new X87Machine();
    t.poke(DATA, new Uint8Array(new BigInt64Array([-1234567n]).buffer));
    // fild qword [DATA]; fistp dword [DATA+8]; fild qword [DATA]; fisttp word [DATA+12];
    // fild qword [DATA]; fistp qword [DATA+16]
    t.run("df2c2500000010 db1c2508000010 df2c2500000010 df0c250c000010 df2c2500000010 df3c2510000010");
    const dv = new DataView(t.peek(DATA, 24).buffer);
    expect(dv.getInt32(8, true)).toBe(-1234567);
    expect(dv.getUint16(12, true)).toBe(0x8000);
    expect(dv.getBigInt64(16, true)).toBe(-1234567n);
    expect(t.x87.status & 1).toBe(1); // IE from the word store
  });

  it("FNSTENV writes the protected-mode image the host writes", () => {
    const t = new X87Machine();
    t.poke(DATA, f64(1.5));
    t.poke(DATA + 8, f32(2.5));
    // fld qword [DATA]; fld dword [DATA+8]; fldpi; fnstenv [DATA+0x100]
    t.run("dd042500000010 d9042508000010 d9eb d9342500010010");
    const dv = new DataView(t.peek(DATA + 0x100, 28).buffer);
    // Host bytes for the same sequence: 7f03ffff 0028ffff ff03ffff <fip> 0000eb01 <fdp> 0000ffff
    // (the host's selectors were 0x33/0x2b; ours are 0).
    expect(dv.getUint32(0, true)).toBe(0xffff037f);
    expect(dv.getUint32(4, true)).toBe(0xffff2800);
    expect(dv.getUint32(8, true)).toBe(0xffff03ff);
    expect(dv.getUint32(12, true)).toBe(0x400000 + 14); // fldpi
    expect(dv.getUint16(18, true)).toBe(0x01eb);
    expect(dv.getUint32(20, true)).toBe(DATA + 8);
    expect(dv.getUint32(24, true)).toBe(0xffff0000);
  });

  it("FNSAVE stores and reinitialises; FRSTOR restores", () => {
    const t = new X87Machine();
    // fld1; fldpi; fnsave [DATA+0x100]; fnstsw ax; frstor [DATA+0x100]
    t.run("d9e8 d9eb dd342500010010 dfe0 dd242500010010");
    expect(ax(t)).toBe(0);
    const image = t.peek(DATA + 0x100, 108);
    expect(F80.read(image, 28).toHex()).toBe("4000c90fdaa22168c235");
    expect(F80.read(image, 38).toHex()).toBe("3fff8000000000000000");
    expect(t.x87.top).toBe(6);
    expect(t.x87.st(0).toHex()).toBe("4000c90fdaa22168c235");
    expect(t.x87.tagWord).toBe(0x0fff);
  });

  it("FXSAVE64 writes the legacy image and FXRSTOR64 reads it back", () => {
    const t = new X87Machine();
    t.poke(DATA, f64(1.5));
    t.poke(DATA + 8, f32(2.5));
    t.cpu.xmm.fill(0x5a, 16, 32);
    // fld qword [DATA]; fld dword [DATA+8]; fldpi; fxsave64 [DATA+0x200]
    t.run("dd042500000010 d9042508000010 d9eb 480fae042500020010");
    const img = t.peek(DATA + 0x200, 416);
    const dv = new DataView(img.buffer);
    expect(dv.getUint16(0, true)).toBe(0x037f);
    expect(dv.getUint16(2, true)).toBe(0x2800);
    expect(img[4]).toBe(0xe0); // abridged tags: R5 R6 R7 valid, as the host stores
    expect(dv.getUint32(24, true)).toBe(0x1f80);
    expect(F80.read(img, 32).toHex()).toBe("4000c90fdaa22168c235");
    expect(F80.read(img, 48).toHex()).toBe("4000a000000000000000");
    expect(F80.read(img, 64).toHex()).toBe("3fffc000000000000000");
    expect(img[176]).toBe(0x5a);
    // Change the saved control word and xmm1 in memory, restore, and see them.
    t.poke(DATA + 0x200, u16(0x0c7f));
    t.poke(DATA + 0x200 + 176, new Uint8Array(16).fill(0x11));
    t.run("480fae0c2500020010");
    expect(t.x87.control).toBe(0x0c7f);
    expect(t.cpu.xmm[16]).toBe(0x11);
    expect(t.x87.st(1).toHex()).toBe("4000a000000000000000");
  });

  it("FXSAVE faults with #GP on a misaligned address", () => {
    const t = new X87Machine();
    expect(t.run("0fae042501020010")).toBe(Vector.GP);
  });

  it("raises #MF at the next waiting instruction after an unmasked exception", () => {
    const t = new X87Machine();
    t.poke(DATA, u16(0x037b)); // ZE unmasked
    // fldcw [DATA]; fldz; fld1; fdivrp (st1 = st0 / st1 = 1/0); fnstsw ax; fwait
    expect(t.run("d92c2500000010 d9ee d9e8 def1 dfe0 9b")).toBe(Vector.MF);
    expect(ax(t)).toBe(0x8084 | (6 << 11)); // B, ES, ZE; no pop: an unmasked ZE leaves the stack
    expect(t.x87.st(0).toHex()).toBe("3fff8000000000000000");
    expect(t.x87.st(1).toHex()).toBe("00000000000000000000");
    expect(t.cpu.rip).toBe(0x400000 + 7 + 2 + 2 + 2 + 2); // at the fwait
  });

  it("FPREM reduces in steps (C2) until the exact remainder", () => {
    const t = new X87Machine();
    t.poke(DATA, le([0, 0, 0, 0, 0, 0, 0, 0x80, 0x63, 0x40])); // 2^100
    t.poke(DATA + 16, le([0, 0, 0, 0, 0, 0, 0, 0xc0, 0x00, 0x40])); // 3
    // fld tbyte [DATA+16]; fld tbyte [DATA]; fprem; fnstsw ax
    t.run("db2c2510000010 db2c2500000010 d9f8 dfe0");
    expect(ax(t) & 0x400).toBe(0x400);
    // again: 1: fprem; fnstsw ax; test ah, 4; jnz 1b
    t.run("d9f8 dfe0 f6c404 75f7");
    expect(t.x87.st(0).toHex()).toBe("3fff8000000000000000"); // 2^100 mod 3 = 1
  });

  it("FXAM reports an empty register as C3 C0", () => {
    const t = new X87Machine();
    t.run("d9e5 dfe0");
    expect(ax(t)).toBe(0x4100);
  });

  it("FBLD and FBSTP round-trip packed BCD", () => {
    const t = new X87Machine();
    const bcd = le([0x67, 0x45, 0x23, 0x01, 0x89, 0x67, 0x45, 0x23, 0x01, 0x80]); // -12345678901234567
    t.poke(DATA, bcd);
    t.run("df242500000010 df342510000010");
    expect([...t.peek(DATA + 16, 10)]).toEqual([...bcd]);
  });

  it("leaves the stack and flags untouched when a store faults", () => {
    const t = new X87Machine();
    // fld1; fstp dword [0x400000] (the code page is read-only)
    expect(t.run("d9e8 d91c2500004000")).toBe(Vector.PF);
    expect(t.x87.top).toBe(7);
    expect(t.x87.st(0).toHex()).toBe("3fff8000000000000000");
    expect(t.x87.statusWord).toBe(7 << 11);
  });

  it("FLDPI follows the rounding control", () => {
    const t = new X87Machine();
    t.poke(DATA, u16(0x077f)); // round down
    t.run("d92c2500000010 d9eb");
    expect(t.x87.st(0).toHex()).toBe("4000c90fdaa22168c234");
  });

  it("FCHS, FABS, FXCH and FST ST(i)", () => {
    const t = new X87Machine();
    // fld1; fchs; fld1; fabs; fxch st(1); fst st(2)
    t.run("d9e8 d9e0 d9e8 d9e1 d9c9 ddd2");
    expect(t.x87.st(0).toHex()).toBe("bfff8000000000000000");
    expect(t.x87.st(1).toHex()).toBe("3fff8000000000000000");
    expect(t.x87.st(2).toHex()).toBe("bfff8000000000000000");
  });

  it("XSAVE/XRSTOR round-trip the x87 and SSE state; XSAVEC writes a compacted header; XGETBV reads XCR0", () => {
    const t = new X87Machine();
    t.cpu.setReg(0, 3n);
    t.cpu.setReg(2, 0n);
    t.cpu.xmm.fill(0x77, 0, 16);
    // fld1; xsave [DATA+0x200]
    t.run("d9e8 0fae242500020010");
    const hdr = new DataView(t.peek(DATA + 0x200 + 512, 64).buffer);
    expect(hdr.getBigUint64(0, true)).toBe(3n);
    t.cpu.xmm.fill(0, 0, 16);
    t.x87.reset();
    t.run("0fae2c2500020010"); // xrstor [DATA+0x200]
    expect(t.cpu.xmm[0]).toBe(0x77);
    expect(t.x87.st(0).toHex()).toBe("3fff8000000000000000");
    expect(t.x87.isEmpty(0)).toBe(false);
    t.run("0fc7242500020010"); // xsavec [DATA+0x200]
    const c = new DataView(t.peek(DATA + 0x200 + 512, 16).buffer);
    expect(c.getBigUint64(8, true)).toBe(0x8000000000000003n);
    t.run("0f01d0"); // xgetbv
    expect(t.cpu.getReg(0)).toBe(3n);
    expect(t.cpu.getReg(2)).toBe(0n);
  });

  it("XSAVE with only the x87 component leaves the SSE area alone; XRSTOR of a cleared component initialises it", () => {
    const t = new X87Machine();
    t.poke(DATA + 0x200 + 160, new Uint8Array(16).fill(0xee));
    t.cpu.setReg(0, 1n); // RFBM = x87 only
    t.cpu.xmm.fill(0x33, 0, 16);
    // fld1; xsave [DATA+0x200]
    t.run("d9e8 0fae242500020010");
    expect(t.peek(DATA + 0x200 + 160, 1)[0]).toBe(0xee);
    expect(new DataView(t.peek(DATA + 0x200 + 512, 8).buffer).getBigUint64(0, true)).toBe(1n);
    // XSTATE_BV = 0 with RFBM = 3: both components return to their initial state.
    t.poke(DATA + 0x200 + 512, new Uint8Array(8));
    t.cpu.setReg(0, 3n);
    t.run("0fae2c2500020010");
    expect(t.x87.tagWord).toBe(0xffff);
    expect(t.x87.control).toBe(0x037f);
    expect(t.cpu.xmm[0]).toBe(0);
  });

  it("XSETBV is privileged: #GP in ring 3", () => {
    expect(new X87Machine().run("0f01d1")).toBe(Vector.GP);
  });

  it("XRSTOR rejects a header with unknown components (#GP)", () => {
    const t = new X87Machine();
    t.poke(DATA + 0x200 + 512, le([4]));
    t.cpu.setReg(0, 3n);
    expect(t.run("0fae2c2500020010")).toBe(Vector.GP);
  });
});

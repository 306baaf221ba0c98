// The block compiler must agree with the interpreter on every register, flag and memory byte.
// Random loops over the forms the compiler specialises (and a few it does not) run both ways.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BareMachine, BARE_LAYOUT } from "./bare-machine.js";
import { Exit, Vector } from "./exit.js";

// Registers the random code may use: rax rcx rdx rsi rdi r8–r11 (rbx holds the data address,
// rsp the stack, r15 the loop counter).
const REGS = [0, 1, 2, 6, 7, 8, 9, 10, 11];

const rex = (w: boolean, reg: number, rm: number): number => 0x40 | (w ? 8 : 0) | ((reg >> 3) << 2) | (rm >> 3);
const modrm = (mod: number, reg: number, rm: number): number => (mod << 6) | ((reg & 7) << 3) | (rm & 7);

const reg = fc.constantFrom(...REGS);
const wide = fc.boolean();
const imm8 = fc.integer({ min: -128, max: 127 });
const cc = fc.integer({ min: 0, max: 15 });
const slot = fc.integer({ min: 0, max: 15 }).map((n) => n * 8);

/** One random instruction as bytes. */
const instruction: fc.Arbitrary<number[]> = fc.oneof(
  // add/or/and/sub/xor/cmp r, r  and test r, r
  fc.tuple(fc.constantFrom(0x01, 0x09, 0x21, 0x29, 0x31, 0x39, 0x85, 0x89), wide, reg, reg).map(([op, w, s, d]) => [rex(w, s, d), op, modrm(3, s, d)]),
  // group-1 op r, imm8 (add or adc sbb and sub xor cmp)
  fc.tuple(fc.integer({ min: 0, max: 7 }), wide, reg, imm8).map(([op, w, d, i]) => [rex(w, 0, d), 0x83, modrm(3, op, d), i & 0xff]),
  // mov r, imm32
  fc.tuple(wide, reg, fc.integer()).map(([w, d, i]) => [rex(w, 0, d), 0xc7, modrm(3, 0, d), i & 0xff, (i >> 8) & 0xff, (i >> 16) & 0xff, (i >>> 24) & 0xff]),
  // inc / dec r
  fc.tuple(fc.constantFrom(0, 1), wide, reg).map(([op, w, d]) => [rex(w, 0, d), 0xff, modrm(3, op, d)]),
  // setcc r8
  fc.tuple(cc, reg).map(([c, d]) => [rex(false, 0, d), 0x0f, 0x90 + c, modrm(3, 0, d)]),
  // cmovcc r, r
  fc.tuple(cc, wide, reg, reg).map(([c, w, d, s]) => [rex(w, d, s), 0x0f, 0x40 + c, modrm(3, d, s)]),
  // lea r, [r + r*scale + d8]
  fc.tuple(wide, reg, reg, reg, fc.integer({ min: 0, max: 3 }), imm8).map(([w, d, b, x, s, disp]) => [0x40 | (w ? 8 : 0) | ((d >> 3) << 2) | ((x >> 3) << 1) | (b >> 3), 0x8d, modrm(1, d, 4), (s << 6) | ((x & 7) << 3) | (b & 7), disp & 0xff]),
  // lea r, [r*scale + disp32] (no base) and lea r, [rip + disp32]
  fc.tuple(wide, reg, reg, fc.integer({ min: 0, max: 3 }), fc.integer()).map(([w, d, x, s, disp]) => [0x40 | (w ? 8 : 0) | ((d >> 3) << 2) | ((x >> 3) << 1), 0x8d, modrm(0, d, 4), (s << 6) | ((x & 7) << 3) | 5, disp & 0xff, (disp >> 8) & 0xff, (disp >> 16) & 0xff, (disp >>> 24) & 0xff]),
  fc.tuple(wide, reg, fc.integer({ min: -4096, max: 1 << 20 })).map(([w, d, disp]) => [rex(w, d, 0), 0x8d, modrm(0, d, 5), disp & 0xff, (disp >> 8) & 0xff, (disp >> 16) & 0xff, (disp >>> 24) & 0xff]),
  // mov r, [rbx + slot] / mov [rbx + slot], r
  fc.tuple(fc.constantFrom(0x8b, 0x89), wide, reg, slot).map(([op, w, r, s]) => [rex(w, r, 3), op, modrm(1, r, 3), s]),
  // push r; pop r
  fc.tuple(reg, reg).map(([a, b]) => [...(a >= 8 ? [0x41] : []), 0x50 + (a & 7), ...(b >= 8 ? [0x41] : []), 0x58 + (b & 7)]),
  // call next; pop r (r = the return address) and call L; jmp over; L: ret; over:
  reg.map((r) => [0xe8, 0, 0, 0, 0, ...(r >= 8 ? [0x41] : []), 0x58 + (r & 7)]),
  fc.constant<number[]>([0xe8, 2, 0, 0, 0, 0xeb, 0x01, 0xc3]),
  // jcc over a 3-byte instruction (add r, r), and shl r, 1 / adc r, r (interpreted inside blocks)
  fc.tuple(cc, reg, reg).map(([c, s, d]) => [0x70 + c, 3, rex(true, s, d), 0x01, modrm(3, s, d)]),
  fc.tuple(wide, reg).map(([w, d]) => [rex(w, 0, d), 0xd1, modrm(3, 4, d)]),
  // shl/shr/sar r, imm8 (any count, masked by the CPU)
  fc.tuple(fc.constantFrom(4, 5, 7), wide, reg, fc.integer({ min: 0, max: 255 })).map(([op, w, d, n]) => [rex(w, 0, d), 0xc1, modrm(3, op, d), n]),
  fc.tuple(fc.constantFrom(0x11, 0x19), wide, reg, reg).map(([op, w, s, d]) => [rex(w, s, d), op, modrm(3, s, d)]),
  // movzx/movsx r, r8/r16 and movzx r, byte [rbx + slot]: handlers that leave the flags alone
  fc.tuple(fc.constantFrom(0xb6, 0xb7, 0xbe, 0xbf), wide, reg, reg).map(([op, w, d, s]) => [rex(w, d, s), 0x0f, op, modrm(3, d, s)]),
  fc.tuple(wide, reg, slot).map(([w, d, s]) => [rex(w, d, 3), 0x0f, 0xb6, modrm(1, d, 3), s]),
  // ALU ops with a memory operand: op r, [rbx + slot]; op [rbx + slot], r; op [rbx + slot], imm8
  fc.tuple(fc.constantFrom(0x01, 0x03, 0x09, 0x0b, 0x11, 0x13, 0x19, 0x1b, 0x21, 0x23, 0x29, 0x2b, 0x31, 0x33, 0x39, 0x3b, 0x85), wide, reg, slot).map(([op, w, r, s]) => [rex(w, r, 3), op, modrm(1, r, 3), s]),
  fc.tuple(fc.integer({ min: 0, max: 7 }), wide, slot, imm8).map(([op, w, s, i]) => [rex(w, 0, 3), 0x83, modrm(1, op, 3), s, i & 0xff]),
  // imul r, r / imul r, [rbx + slot] / imul r, r, imm8 / imul r, r, imm32
  fc.tuple(wide, reg, reg).map(([w, d, s]) => [rex(w, d, s), 0x0f, 0xaf, modrm(3, d, s)]),
  fc.tuple(wide, reg, slot).map(([w, d, s]) => [rex(w, d, 3), 0x0f, 0xaf, modrm(1, d, 3), s]),
  fc.tuple(wide, reg, reg, imm8).map(([w, d, s, i]) => [rex(w, d, s), 0x6b, modrm(3, d, s), i & 0xff]),
  fc.tuple(wide, reg, reg, fc.integer()).map(([w, d, s, i]) => [rex(w, d, s), 0x69, modrm(3, d, s), i & 0xff, (i >> 8) & 0xff, (i >> 16) & 0xff, (i >>> 24) & 0xff]),
  // movsx r, byte [rbx + slot]; movsxd r64, r32 / [rbx + slot]; movzx r, ah (no REX: high byte)
  fc.tuple(wide, reg, slot).map(([w, d, s]) => [rex(w, d, 3), 0x0f, 0xbe, modrm(1, d, 3), s]),
  fc.tuple(reg, reg).map(([d, s]) => [rex(true, d, s), 0x63, modrm(3, d, s)]),
  fc.tuple(reg, slot).map(([d, s]) => [rex(true, d, 3), 0x63, modrm(1, d, 3), s]),
  fc.tuple(fc.constantFrom(0, 1, 2, 7), fc.integer({ min: 4, max: 7 })).map(([d, s]) => [0x0f, 0xb6, modrm(3, d, s)]),
  // fldz; fld1; cmp r, r; fcmovcc st0, st1; fstp [rbx]; fstp [rbx+8]: fcmov reads the flags
  fc.tuple(fc.integer({ min: 0, max: 7 }), wide, reg, reg).map(([c, w, s, d]) => [0xd9, 0xee, 0xd9, 0xe8, rex(w, s, d), 0x39, modrm(3, s, d), 0xda + (c >> 2), 0xc1 + ((c & 3) << 3), 0xdd, 0x1b, 0xdd, 0x5b, 0x08]),
);

// Mostly small values (addresses, counters), some anywhere in 64 bits.
const value64 = fc.oneof(
  fc.bigInt({ min: 0n, max: 1n << 20n }),
  fc.bigInt({ min: -(1n << 20n), max: -1n }).map((v) => BigInt.asUintN(64, v)),
  fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
);

function run(code: number[], regs: bigint[], compile: boolean, setup?: (m: BareMachine) => void): BareMachine {
  const m = new BareMachine({ memoryBytes: 4 << 20 });
  // mov r15d, 40; top: <code>; dec r15; jnz top; int3
  const loop = [0x41, 0xbf, 40, 0, 0, 0, ...code, 0x49, 0xff, 0xcf];
  const back = -(loop.length - 6 + 6);
  const bytes = [...loop, 0x0f, 0x85, back & 0xff, (back >> 8) & 0xff, (back >> 16) & 0xff, (back >>> 24) & 0xff, 0xcc];
  m.load(Uint8Array.from(bytes));
  m.map(BARE_LAYOUT.data, 4096, { write: true });
  m.cpu.compileBlocks = compile;
  REGS.forEach((r, k) => m.cpu.setReg(r, regs[k]!));
  m.cpu.setRegNumber(3, BARE_LAYOUT.data);
  setup?.(m);
  expect(m.runToExit(100_000)).toBe(Exit.Fault);
  expect(m.cpu.fault.vector).toBe(Vector.BP);
  return m;
}

describe("block compiler", () => {
  it("agrees with the interpreter on registers, flags and memory", () => {
    fc.assert(
      fc.property(fc.array(instruction, { minLength: 1, maxLength: 12 }), fc.array(value64, { minLength: REGS.length, maxLength: REGS.length }), (code, regs) => {
        const flat = code.flat();
        const a = run(flat, regs, false);
        const b = run(flat, regs, true);
        for (let r = 0; r < 16; r++) expect(b.cpu.getReg(r), `register ${r}`).toBe(a.cpu.getReg(r));
        expect(b.cpu.rflags & 0x8d5).toBe(a.cpu.rflags & 0x8d5);
        expect(b.peek(BARE_LAYOUT.data, 256)).toEqual(a.peek(BARE_LAYOUT.data, 256));
        expect(b.cpu.instructionsRetired).toBe(a.cpu.instructionsRetired);
      }),
      { numRuns: 300 },
    );
  });

  it("computes addresses exactly when large register values cancel out", () => {
    // lea rax, [rdx+rcx*1]; mov r8, [rsi+rcx*1]: rdx and rsi are huge, rcx cancels them.
    const code = [0x48, 0x8d, 0x04, 0x0a, 0x4c, 0x8b, 0x04, 0x0e];
    const big = 0x7fff000000000000n;
    const regs = REGS.map((r) => (r === 2 ? big + 0x12345678n : r === 1 ? BigInt.asUintN(64, -big) : r === 6 ? big + BigInt(BARE_LAYOUT.data) + 8n : 0n));
    for (const compile of [false, true]) {
      const m = run(code, regs, compile, (mm) => mm.poke(BARE_LAYOUT.data + 8, Uint8Array.of(0x2a)));
      expect(m.cpu.getReg(0)).toBe(0x12345678n);
      expect(m.cpu.getReg(8)).toBe(0x2an);
    }
  });

  it("raises #SS as the interpreter does when a compiled push meets an rsp outside the user half", () => {
    // top: inc rax; cmp rax, 32; cmove rsp, rdx; push rax; pop rcx; jmp top  (rdx = 2^63)
    const code = [0x48, 0xff, 0xc0, 0x48, 0x83, 0xf8, 0x20, 0x48, 0x0f, 0x44, 0xe2, 0x50, 0x59, 0xeb, 0xf1];
    const results = [false, true].map((compile) => {
      const m = new BareMachine({ memoryBytes: 4 << 20 });
      m.load(Uint8Array.from(code));
      m.cpu.compileBlocks = compile;
      m.cpu.setReg(2, 1n << 63n);
      expect(m.runToExit(10_000)).toBe(Exit.Fault);
      return m.cpu;
    });
    const [interpreted, compiled] = results as [typeof results[0], typeof results[0]];
    expect(interpreted.fault.vector).toBe(Vector.SS);
    expect(interpreted.getReg(0)).toBe(32n);
    expect(compiled.fault).toEqual(interpreted.fault);
    expect(compiled.rip).toBe(interpreted.rip);
    for (let r = 0; r < 16; r++) expect(compiled.getReg(r)).toBe(interpreted.getReg(r));
  });

  // top: inc rax; cmp rax, 100; mov rcx, rax; shl rcx, 7; <access [rbx+rcx]>; jmp top
  // The access leaves the data page at rax = 32, long after the block was compiled. The load
  // runs its own handler with the shift's flags still pending: the fault must store them.
  it.each([
    ["an inlined store", [0x48, 0x89, 0x04, 0x0b]],
    ["a flag-free handler (movzx load)", [0x0f, 0xb6, 0x14, 0x0b]],
  ])("leaves the state exactly as the interpreter does when %s faults in a compiled block", (_, access) => {
    const code = [0x48, 0xff, 0xc0, 0x48, 0x83, 0xf8, 0x64, 0x48, 0x89, 0xc1, 0x48, 0xc1, 0xe1, 0x07, ...access, 0xeb, 0xec];
    const results = [false, true].map((compile) => {
      const m = new BareMachine({ memoryBytes: 4 << 20 });
      m.load(Uint8Array.from(code));
      m.map(BARE_LAYOUT.data, 4096, { write: true });
      m.cpu.compileBlocks = compile;
      m.cpu.setRegNumber(3, BARE_LAYOUT.data);
      expect(m.runToExit(10_000)).toBe(Exit.Fault);
      return m.cpu;
    });
    const [interpreted, compiled] = results as [typeof results[0], typeof results[0]];
    expect(interpreted.fault.vector).toBe(Vector.PF);
    expect(interpreted.fault.address).toBe(BARE_LAYOUT.data + 4096);
    expect(interpreted.getReg(0)).toBe(32n);
    expect(compiled.fault).toEqual(interpreted.fault);
    expect(compiled.rip).toBe(interpreted.rip);
    expect(compiled.rip).toBe(BARE_LAYOUT.code + 14);
    for (let r = 0; r < 16; r++) expect(compiled.getReg(r)).toBe(interpreted.getReg(r));
    expect(compiled.rflags).toBe(interpreted.rflags);
    expect(compiled.instructionsRetired).toBe(interpreted.instructionsRetired);
  });
});

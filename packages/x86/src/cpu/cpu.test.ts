import { describe, expect, it } from "vitest";
import { BareMachine } from "./bare-machine.js";
import { Exit, Vector } from "./exit.js";

function hex(s: string): Uint8Array {
  return Uint8Array.from(s.match(/../g)!.map((b) => parseInt(b, 16)));
}

describe("Cpu", () => {
  it("runs integer code to an int3 with the architectural results", () => {
    // nasm source: a sum loop 10..1, push/pop, add carry, inc overflow, imul, cdq/idiv, call/ret.
    const m = new BareMachine();
    m.load(
      hex(
        "48b88967452301000000b90a00000031d24801ca48ffc975f8525b48c7c6ffffffff4883c602400f92c7400fb6ff49b8ffffffffffffff7f49ffc0410f90c14c6bd3fdb8640000009941bb0700000041f7fbe801000000cc41bcefbeaddec3",
      ),
    );
    const exit = m.runToExit(1000);
    const c = m.cpu;
    expect(exit).toBe(Exit.Fault);
    expect(c.fault.vector).toBe(Vector.BP);
    expect(c.getReg(3)).toBe(55n); // rbx = 10+9+…+1
    expect(c.getReg(6)).toBe(1n); // rsi = -1 + 2
    expect(c.getReg(7)).toBe(1n); // carry out of -1 + 2
    expect(c.getReg(8)).toBe(0x8000000000000000n);
    expect(c.getReg(9) & 0xffn).toBe(1n); // overflow of inc
    expect(c.getReg(10)).toBe(BigInt.asUintN(64, -165n));
    expect(c.getReg(0)).toBe(14n);
    expect(c.getReg(2)).toBe(2n);
    expect(c.getReg(12)).toBe(0xdeadbeefn);
    expect(c.getReg(4)).toBe(0x7ff000000000n); // stack balanced
  });

  it("faults on a write to read-only memory with rip and registers as before the instruction", () => {
    const m = new BareMachine();
    // mov rax, 5; mov [rel here], rax  (the code page is not writable)
    m.load(hex("48c7c005000000488905f9ffffff"));
    expect(m.runToExit(10)).toBe(Exit.Fault);
    expect(m.cpu.fault.vector).toBe(Vector.PF);
    expect(m.cpu.fault.errorCode).toBe(0b111); // present, write, user
    expect(m.cpu.rip).toBe(0x400007);
    expect(m.cpu.getReg(0)).toBe(5n);
  });

  it("raises #DE on division by zero without changing rax or rdx", () => {
    const m = new BareMachine();
    // mov eax, 7; xor ecx, ecx; cdq; div ecx
    m.load(hex("b80700000031c999f7f1"));
    expect(m.runToExit(10)).toBe(Exit.Fault);
    expect(m.cpu.fault.vector).toBe(Vector.DE);
    expect(m.cpu.rip).toBe(0x400008);
    expect(m.cpu.getReg(0)).toBe(7n);
  });

  it("computes lea as exact 64-bit arithmetic, wrapping around 2^64 (as strlen's zero-byte trick needs)", () => {
    const m = new BareMachine();
    // lea rcx, [rdx + r8*1]; int3
    m.load(hex("4a8d0c02cc"));
    m.cpu.setReg(2, 0x4141414141414141n);
    m.cpu.setReg(8, 0xfefefefefefefeffn);
    m.runToExit(10);
    expect(m.cpu.getReg(1)).toBe(0x4040404040404040n);
  });

  it("addresses ah, ch, dh and bh as bits 8–15 of rax, rcx, rdx and rbx", () => {
    const m = new BareMachine();
    // mov eax, 0x1234; or ah, 0x0c; mov bh, ah; add ch, 1; int3
    m.load(hex("b83412000080cc0c88e780c501cc"));
    m.cpu.setReg(4, m.cpu.getReg(4)); // rsp untouched by the high-byte writes
    const rsp = m.cpu.getReg(4);
    m.runToExit(10);
    expect(m.cpu.getReg(0)).toBe(0x1e34n);
    expect(m.cpu.getReg(3)).toBe(0x1e00n);
    expect(m.cpu.getReg(1)).toBe(0x100n);
    expect(m.cpu.getReg(4)).toBe(rsp);
  });

  it("runs the new code after a write to a page that holds decoded instructions", () => {
    // mov eax, 1 runs once; then the code overwrites its immediate with 41 and runs it again.
    for (const compile of [false, true]) {
      const m = new BareMachine();
      m.load(hex("31dbb80100000001c383fb01750cc705ebffffff29000000ebe8cc"));
      m.pages.protect(0x400000, { write: true, execute: true });
      m.cpu.flushTlb();
      m.cpu.compileBlocks = compile;
      expect(m.runToExit(100)).toBe(Exit.Fault);
      expect(m.cpu.fault.vector).toBe(Vector.BP);
      expect(m.cpu.getReg(3)).toBe(42n); // 1 + 41
    }
  });

  it("faults on execution of a no-execute page and on access to an unmapped one", () => {
    const m = new BareMachine();
    // jmp to the data page (mapped without execute)
    m.load(hex("48b80000001000000000ffe0"));
    m.map(0x10000000, 4096, { write: true });
    expect(m.runToExit(10)).toBe(Exit.Fault);
    expect(m.cpu.fault).toEqual({ vector: Vector.PF, errorCode: 0b10101, address: 0x10000000 });
    expect(m.cpu.rip).toBe(0x10000000);
    const n = new BareMachine();
    // mov rax, [0x20000000]
    n.load(hex("488b042500000020"));
    expect(n.runToExit(10)).toBe(Exit.Fault);
    expect(n.cpu.fault).toEqual({ vector: Vector.PF, errorCode: 0b100, address: 0x20000000 });
    expect(n.cpu.rip).toBe(0x400000);
  });
});

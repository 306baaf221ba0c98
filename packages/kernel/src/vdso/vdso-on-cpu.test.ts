import { BareMachine, Exit, Vector } from "@nanots/x86";
import { describe, expect, it } from "vitest";
import { buildVdso } from "./build-vdso.js";
import { MappedImage, muslVdsoSym } from "./reference-lookups.js";

const VDSO_ADDRESS = 0x7ffff7ffd000;
const CALLER = 0x400000; // holds one INT3, where the called function returns to
const RAX = 0, RCX = 1, RSP = 4, RSI = 6, RDI = 7;

/** A machine with the vDSO mapped read+execute (not writable) and a caller page. */
function machineWithVdso() {
  const vdso = buildVdso();
  const machine = new BareMachine({ memoryBytes: 1 << 20 });
  machine.load(Uint8Array.of(0xcc), CALLER);
  machine.map(VDSO_ADDRESS, vdso.mapSize, { execute: true });
  machine.poke(VDSO_ADDRESS, vdso.bytes);
  return { vdso, machine, cpu: machine.cpu };
}

describe("the vDSO on the nanots CPU", () => {
  it("each function, found in guest memory as musl finds it, stops at SYSCALL with its number and the caller's arguments, then returns the kernel's result", () => {
    const { vdso, machine, cpu } = machineWithVdso();
    // Look the symbols up in what the guest sees, not in the builder's output.
    const seen = new MappedImage(machine.peek(VDSO_ADDRESS, vdso.bytes.length), VDSO_ADDRESS);
    const calls: [string, number][] = [["__vdso_clock_gettime", 228], ["gettimeofday", 96], ["time", 201], ["__vdso_getcpu", 309], ["clock_getres", 229]];
    for (const [name, nr] of calls) {
      const entry = muslVdsoSym(seen, "LINUX_2.6", name);
      expect(entry).not.toBe(0);
      const stackTop = cpu.regNumber(RSP);
      // The caller: call entry (return address CALLER) with rdi = 1, rsi = 0x1234.
      machine.poke(stackTop - 8, new Uint8Array(new BigUint64Array([BigInt(CALLER)]).buffer));
      cpu.setRegNumber(RSP, stackTop - 8);
      cpu.rip = entry;
      cpu.setRegNumber(RDI, 1);
      cpu.setRegNumber(RSI, 0x1234);
      cpu.setReg(RAX, 0xffff_ffff_ffff_ffffn);

      expect(machine.runToExit(100)).toBe(Exit.Syscall);
      expect(cpu.getReg(RAX)).toBe(BigInt(nr)); // mov eax zero-extends into rax
      expect([cpu.regNumber(RDI), cpu.regNumber(RSI)]).toEqual([1, 0x1234]);
      expect(cpu.rip).toBe(entry + 7);
      expect(cpu.regNumber(RCX)).toBe(entry + 7); // SYSCALL saves the return rip in rcx

      cpu.setReg(RAX, 2n ** 64n - 22n); // the kernel answers -EINVAL
      expect(machine.runToExit(100)).toBe(Exit.Fault);
      expect([cpu.fault.vector, cpu.rip]).toEqual([Vector.BP, CALLER + 1]); // returned to the caller's int3
      expect(cpu.getReg(RAX)).toBe(2n ** 64n - 22n);
      expect(cpu.regNumber(RSP)).toBe(stackTop);
      cpu.setRegNumber(RSP, stackTop);
    }
  });

  it("the image is not writable: a guest store into it faults", () => {
    const { vdso, machine, cpu } = machineWithVdso();
    // mov dword [rdi], eax at the caller's page, with rdi pointing at __vdso_time.
    machine.map(0x500000, 4096, { execute: true });
    machine.poke(0x500000, Uint8Array.of(0x89, 0x07, 0xcc));
    cpu.rip = 0x500000;
    cpu.setRegNumber(RDI, VDSO_ADDRESS + vdso.symbols.get("__vdso_time")!);
    expect(machine.runToExit(10)).toBe(Exit.Fault);
    expect([cpu.fault.vector, cpu.rip]).toEqual([Vector.PF, 0x500000]);
  });
});

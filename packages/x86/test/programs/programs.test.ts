// Runs every self-checking assembly program in this folder twice: its flat form in the emulated
// CPU (BareMachine) and its ELF form on the host CPU, which proves the expectations written in
// the source on real hardware. See harness.inc for the conventions and build.sh to rebuild.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { Exit, PageFaultCode, Vector } from "../../src/cpu/exit.js";
import { emulatedFpu, hostFpu } from "./fpu-image.js";
import { KNOWN_FAILURES } from "./known-failures.js";
import { captureState, type MachineState } from "./machine-state.js";
import { GREG_REGISTER, runNative } from "./native-run.js";
import { expectFreshBuild } from "./fresh-build.js";
import { failedChecks, programMachine } from "./program-machine.js";

const DIR = fileURLToPath(new URL(".", import.meta.url));
const NAMES = readdirSync(DIR).filter((f) => f.endsWith(".asm")).map((f) => f.slice(0, -4)).sort();
const source = (name: string): string => readFileSync(join(DIR, `${name}.asm`), "utf8");
const flat = (name: string): Uint8Array => readFileSync(join(DIR, `${name}.bin`));
const elf = (name: string): string => join(DIR, `${name}.elf`);

/** What a fault program declares: `; EXPECT-FAULT: DE` or `; EXPECT-FAULT: PF <address> <error code>`. */
interface ExpectedFault {
  vector: number;
  signal: number;
  address?: number;
  errorCode?: number;
}

const SIGNAL_OF: Record<string, number> = { DE: 8, GP: 11, PF: 11 };

function expectedFault(name: string): ExpectedFault | undefined {
  const match = /^; EXPECT-FAULT: (DE|GP|PF)(?: (0x[0-9a-f]+) (0x[0-9a-f]+|\d+))?$/m.exec(source(name));
  if (match === null) return undefined;
  const [, vector = "", address, errorCode] = match;
  return {
    vector: Vector[vector as keyof typeof Vector],
    signal: SIGNAL_OF[vector]!,
    ...(address === undefined ? {} : { address: Number(address), errorCode: Number(errorCode) }),
  };
}

const REGISTER_NUMBER: Record<string, number> = {
  rax: 0, rcx: 1, rdx: 2, rbx: 3, rsp: 4, rbp: 5, rsi: 6, rdi: 7, r8: 8, r9: 9, r10: 10, r11: 11, r12: 12, r13: 13, r14: 14, r15: 15,
};

/**
 * Registers a faulting instruction has legitimately changed, declared by the program as
 * `; EXPECT-REGISTERS: rcx=0x2d rsi=…` (a REP string instruction reports its progress).
 */
function expectedRegisters(name: string): [number, bigint][] {
  const match = /^; EXPECT-REGISTERS: (.*)$/m.exec(source(name));
  if (match === null) return [];
  return match[1]!.split(" ").map((pair) => {
    const [register = "", value = ""] = pair.split("=");
    const n = REGISTER_NUMBER[register];
    if (n === undefined) throw new Error(`${name}.asm: EXPECT-REGISTERS names an unknown register "${register}"`);
    return [n, BigInt(value)];
  });
}

const SELF_CHECKING = NAMES.filter((n) => expectedFault(n) === undefined);
const FAULTING = NAMES.filter((n) => expectedFault(n) !== undefined);
/** The arithmetic flags and DF: what the programs can set, compared with the host's eflags. */
const FLAG_MASK = 0xcd5;

describe("committed binaries", () => {
  const out = mkdtempSync(join(tmpdir(), "x86-programs-"));
  afterAll(() => rmSync(out, { recursive: true, force: true }));
  it.each(NAMES)("%s: the committed .bin and .elf are what build.sh makes of the source", (name) => {
    expectFreshBuild(DIR, name, out);
  });
});

describe.each(SELF_CHECKING)("self-checking program %s", (name) => {
  const known = KNOWN_FAILURES[name] ?? [];

  it(`passes every check in the emulated CPU${known.length > 0 ? ` but its ${known.length} known failures` : ""}`, () => {
    const machine = programMachine(flat(name));
    const exit = machine.runToExit(50_000_000);
    const { cpu } = machine;
    const stopped = `stopped at rip 0x${cpu.rip.toString(16)}, exit ${exit}, vector ${cpu.fault.vector}, unimplemented "${cpu.lastUnimplemented}"`;
    expect(exit === Exit.Fault && cpu.fault.vector === Vector.BP, `${name} did not reach its int3: ${stopped}`).toBe(true);
    expect(failedChecks(machine), `failed checks of ${name} (in ${name}.asm: CHECK n, or the first argument of a generated check macro)`).toEqual(known);
    expect(cpu.getReg(0)).toBe(BigInt(known[0] ?? 0));
  });

  it("passes every check on the host CPU", () => {
    const result = runNative(elf(name));
    expect(result.kind, `${name}.elf died on the host instead of finishing`).toBe("done");
    if (result.kind === "done") expect(result.rax, `the host CPU fails check ${result.rax} of ${name}.asm`).toBe(0n);
  });
});

describe.each(FAULTING)("fault program %s", (name) => {
  const fault = expectedFault(name)!;

  /**
   * Runs the flat form; with `trace`, also captures the state before the instruction r15 points
   * to, the last time it is reached. An instruction whose fetch faults is never traced: then the
   * state before the last traced instruction stands in, which the program makes a jmp (it
   * changes only rip, which the state leaves out).
   */
  function run(trace: boolean): { machine: ReturnType<typeof programMachine>; exit: number; before: MachineState | undefined } {
    const machine = programMachine(flat(name));
    let atTarget: MachineState | undefined;
    let last: MachineState | undefined;
    if (trace) {
      machine.cpu.trace = (cpu) => {
        last = captureState(machine);
        if (cpu.rip === cpu.regNumber(15)) atTarget = last;
      };
    }
    const exit = machine.runToExit(1_000_000);
    const fetchFaulted = machine.cpu.fault.vector === Vector.PF && (machine.cpu.fault.errorCode & PageFaultCode.Fetch) !== 0;
    return { machine, exit, before: fetchFaulted ? last : atTarget };
  }

  const changed = expectedRegisters(name);

  it(`faults at the instruction r15 points to, changing ${changed.length > 0 ? "only the declared registers" : "nothing"} (interpreted and compiled)`, () => {
    const traced = run(true);
    expect(traced.before, `${name} never reached the instruction r15 points to`).toBeDefined();
    const expected = structuredClone(traced.before!);
    for (const [n, value] of changed) expected.gpr[n] = value.toString(16);
    for (const { machine, exit } of [traced, run(false)]) {
      const { cpu } = machine;
      expect(exit).toBe(Exit.Fault);
      expect(cpu.fault.vector).toBe(fault.vector);
      expect(cpu.rip.toString(16)).toBe(cpu.regNumber(15).toString(16));
      if (fault.address !== undefined) {
        expect(cpu.fault.address.toString(16)).toBe(fault.address.toString(16));
        expect(cpu.fault.errorCode).toBe(fault.errorCode);
      }
      expect(captureState(machine)).toEqual(expected);
    }
  });

  it("faults the same way on the host CPU, with the same registers and x87/SSE state", () => {
    const native = runNative(elf(name));
    expect(native.kind, `${name}.elf finished on the host instead of faulting`).toBe("signal");
    if (native.kind !== "signal") return;
    const { gregs } = native;
    expect(native.signal).toBe(fault.signal);
    expect(gregs.trapno).toBe(BigInt(fault.vector));
    expect(gregs.rip.toString(16)).toBe(gregs.r15.toString(16));
    if (fault.address !== undefined) {
      expect(gregs.cr2.toString(16)).toBe(fault.address.toString(16));
      expect(gregs.err).toBe(BigInt(fault.errorCode!));
    }
    const { machine } = run(false);
    const { cpu } = machine;
    const names = ["r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "rdi", "rsi", "rbp", "rbx", "rdx", "rax", "rcx", "rsp"] as const;
    // rsp and r15 hold addresses that differ between the two forms; every other register must match.
    names.forEach((greg, slot) => {
      if (greg === "rsp" || greg === "r15") return;
      expect(cpu.getReg(GREG_REGISTER[slot]!).toString(16), greg).toBe(gregs[greg].toString(16));
    });
    expect((cpu.rflags & FLAG_MASK).toString(16)).toBe((Number(gregs.eflags) & FLAG_MASK).toString(16));
    expect(emulatedFpu(cpu), "x87 and SSE state (the host's from its FXSAVE image)").toEqual(hostFpu(native.fxsave));
  });
});

// Replays captured cases in the emulated CPU and compares the outcome with the host CPU's.
import { Cpu } from "../src/cpu/cpu.js";
import { BareMachine } from "../src/cpu/bare-machine.js";
import { Exit, Vector } from "../src/cpu/exit.js";
import { decode } from "../src/decoder/decode.js";
import { DecodedInstruction } from "../src/decoder/decoded-instruction.js";
import { formatIntel } from "../src/disasm/format-intel.js";
import type { CaseRecord } from "./case-format.js";
import { initialState } from "./generator.js";
import type { MachineState } from "./initial-state.js";
import { CODE_BASE, COMPARED_FLAGS, DATA_BASE, END_MARKER, PAGE, STACK_BASE } from "./layout.js";

/** Instructions a case may run in the emulator before it counts as hung. */
const BUDGET = 20_000;
const REGISTER_NAMES = ["rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"];
const FLAG_NAMES: Array<[number, string]> = [[0x1, "CF"], [0x4, "PF"], [0x10, "AF"], [0x40, "ZF"], [0x80, "SF"], [0x800, "OF"], [0x400, "DF"]];

const hex = (v: bigint | number): string => `0x${v.toString(16)}`;

/** Names of the flags set in a mask. */
export function flagNames(mask: number): string {
  return FLAG_NAMES.filter(([bit]) => mask & bit).map(([, n]) => n).join(" ") || "none";
}

/** The instructions of a case as objdump would print them. */
export function disassembleCase(record: Pick<CaseRecord, "code" | "starts">): Array<{ mnemonic: string; text: string }> {
  const d = new DecodedInstruction();
  return record.starts.map((start) => {
    decode(d, record.code, start, CODE_BASE + start);
    return { mnemonic: d.mnemonic, text: formatIntel(d) };
  });
}

/** A machine with the three case pages mapped as the harness maps them, reused for every case. */
export class Replayer {
  readonly cpu: Cpu;
  private readonly machine = new BareMachine({ memoryBytes: 1 << 20 });
  private readonly codeFrame: number;
  private readonly dataFrame: number;
  private readonly stackFrame: number;
  private readonly codePage = new Uint8Array(PAGE);

  constructor() {
    const m = this.machine;
    m.map(CODE_BASE, PAGE, { execute: true });
    m.map(DATA_BASE, PAGE, { write: true });
    m.map(STACK_BASE, PAGE, { write: true });
    this.cpu = m.cpu;
    this.codeFrame = m.pages.lookup(CODE_BASE);
    this.dataFrame = m.pages.lookup(DATA_BASE);
    this.stackFrame = m.pages.lookup(STACK_BASE);
  }

  /** Loads a case's initial state into the CPU and memory. */
  private load(record: CaseRecord, state: MachineState): void {
    const cpu = this.cpu;
    this.codePage.fill(0, 0, 128);
    this.codePage.set(record.code);
    this.codePage[record.code.length] = END_MARKER;
    cpu.mem.set(this.codePage, this.codeFrame);
    cpu.discardCode(this.codeFrame / PAGE);
    cpu.mem.set(state.data, this.dataFrame);
    cpu.mem.set(state.stack, this.stackFrame);
    for (let i = 0; i < 16; i++) cpu.setReg(i, state.gpr[i]!);
    cpu.rflags = state.rflags;
    cpu.mxcsr = state.mxcsr;
    cpu.xmm.set(state.xmm);
    cpu.fsBase = 0;
    cpu.gsBase = 0;
    cpu.rip = CODE_BASE;
  }

  /** Runs one case; returns the differences from the native outcome (empty when equal). */
  replay(record: CaseRecord): string[] {
    const state = initialState(record);
    this.load(record, state);
    const cpu = this.cpu;
    const o = record.outcome;
    const end = CODE_BASE + record.code.length + 1;
    let exit: number;
    try {
      exit = cpu.run(BUDGET);
    } catch (e) {
      return [`the CPU threw ${(e as Error).stack ?? String(e)}`];
    }
    const diffs: string[] = [];
    const reachedEnd = exit === Exit.Fault && cpu.fault.vector === Vector.BP && cpu.rip === end;
    let undefinedFlags = record.undefinedFlags[record.starts.length]!;
    if (exit !== Exit.Fault) {
      return [`run ended with exit ${exit} at rip ${hex(cpu.rip)} (native: ${o.fault ? `vector ${o.fault.vector}` : "end marker"})`];
    }
    if (o.fault) {
      const f = o.fault;
      const at = f.vector === Vector.BP ? f.ripOffset - 1 : f.ripOffset;
      const index = record.starts.indexOf(at);
      undefinedFlags = index >= 0 ? record.undefinedFlags[index]! : record.undefinedFlags.reduce((a, b) => a | b, 0);
      if (reachedEnd) diffs.push(`native faulted (vector ${f.vector} at +${f.ripOffset}), emulator reached the end`);
      else {
        if (cpu.fault.vector !== f.vector) diffs.push(`fault vector ${cpu.fault.vector}, native ${f.vector}`);
        if (cpu.rip !== CODE_BASE + f.ripOffset) diffs.push(`fault rip +${cpu.rip - CODE_BASE}, native +${f.ripOffset}`);
        if ((f.vector === Vector.PF || f.vector === Vector.GP) && cpu.fault.errorCode !== f.errorCode) {
          diffs.push(`fault error code ${hex(cpu.fault.errorCode)}, native ${hex(f.errorCode)}`);
        }
        if (f.vector === Vector.PF && BigInt(cpu.fault.address) !== f.address) diffs.push(`#PF address ${hex(cpu.fault.address)}, native ${hex(f.address)}`);
      }
    } else if (!reachedEnd) {
      diffs.push(`emulator stopped with vector ${cpu.fault.vector} at +${cpu.rip - CODE_BASE}${cpu.lastUnimplemented ? ` (${cpu.lastUnimplemented} not implemented)` : ""}, native reached the end`);
    }
    for (let i = 0; i < 16; i++) {
      const want = state.gpr[i]! ^ (o.gprXor.get(i) ?? 0n);
      const got = cpu.getReg(i);
      let mask = 0n;
      const undefinedBytes = record.undefinedRegBytes[i]!;
      for (let b = 0; b < 8; b++) if (!(undefinedBytes & (1 << b))) mask |= 0xffn << BigInt(8 * b);
      if ((want & mask) !== (got & mask)) diffs.push(`${REGISTER_NAMES[i]} ${hex(got)}, native ${hex(want)}`);
    }
    const compared = COMPARED_FLAGS & ~undefinedFlags;
    const flags = cpu.rflags & compared;
    if (flags !== (o.rflags & compared)) {
      diffs.push(`flags differ in ${flagNames(flags ^ (o.rflags & compared))} (emulator ${flagNames(flags)}, native ${flagNames(o.rflags & compared)}; undefined: ${flagNames(undefinedFlags)})`);
    }
    if (cpu.mxcsr !== o.mxcsr) diffs.push(`mxcsr ${hex(cpu.mxcsr)}, native ${hex(o.mxcsr)}`);
    for (let i = 0; i < 16; i++) {
      const want = o.xmm.get(i) ?? state.xmm.subarray(16 * i, 16 * i + 16);
      const got = cpu.xmm.subarray(16 * i, 16 * i + 16);
      if (got.some((b, k) => b !== want[k])) diffs.push(`xmm${i} ${bytesHex(got)}, native ${bytesHex(want)}`);
    }
    this.comparePage(DATA_BASE, this.dataFrame, state.data, o.memory, diffs);
    this.comparePage(STACK_BASE, this.stackFrame, state.stack, o.memory, diffs);
    return diffs;
  }

  private comparePage(base: number, frame: number, initial: Uint8Array, runs: CaseRecord["outcome"]["memory"], diffs: string[]): void {
    const want = initial.slice();
    for (const run of runs) if (run.address >= base && run.address < base + PAGE) want.set(run.bytes, run.address - base);
    const got = this.cpu.mem.subarray(frame, frame + PAGE);
    for (let i = 0; i < PAGE; i++) {
      if (got[i] === want[i]) continue;
      let j = i;
      while (j < PAGE && j < i + 16 && got[j] !== want[j]) j++;
      diffs.push(`memory ${hex(base + i)}: ${bytesHex(got.subarray(i, j))}, native ${bytesHex(want.subarray(i, j))}`);
      if (diffs.length > 40) return;
      i = j;
    }
  }
}

function bytesHex(b: Uint8Array): string {
  return Buffer.from(b).toString("hex");
}

/** A readable account of a failing case: its instructions, initial state and the differences. */
export function describeFailure(record: CaseRecord, diffs: readonly string[]): string {
  const state = initialState(record);
  const lines = [`case seed ${record.seed}, code ${bytesHex(record.code)}`];
  disassembleCase(record).forEach((ins, i) => lines.push(`  +${record.starts[i]}: ${ins.text}`));
  lines.push(`  initial: ${REGISTER_NAMES.map((n, i) => `${n}=${hex(state.gpr[i]!)}`).join(" ")}`);
  lines.push(`  initial flags: ${flagNames(state.rflags)}; mxcsr ${hex(state.mxcsr)}`);
  const o = record.outcome;
  lines.push(`  native: ${o.fault ? `vector ${o.fault.vector} at +${o.fault.ripOffset}` : "reached the end"}`);
  for (const d of diffs) lines.push(`  - ${d}`);
  return lines.join("\n");
}

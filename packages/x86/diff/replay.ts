// Replays captured cases in the emulated CPU and compares the outcome with the host CPU's.
import { Cpu } from "../src/cpu/cpu.js";
import { BareMachine } from "../src/cpu/bare-machine.js";
import { Exit, Vector } from "../src/cpu/exit.js";
import { decode } from "../src/decoder/decode.js";
import { DecodedInstruction } from "../src/decoder/decoded-instruction.js";
import { formatIntel } from "../src/disasm/format-intel.js";
import { F80 } from "../src/cpu/x87/f80.js";
import { X87_OUTCOME_BYTES, type CaseRecord } from "./case-format.js";
import { X87 } from "./x87-image.js";
import { initialState } from "./generator.js";
import type { MachineState } from "./initial-state.js";
import { CODE_BASE, COMPARED_FLAGS, DATA_BASE, END_MARKER, PAGE as PAGE_SIZE, STACK_BASE } from "./layout.js";

// Copied once: imported bindings can be getters after transpiling, too slow in byte loops.
const PAGE = PAGE_SIZE;

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

const scratch = new DecodedInstruction();

/** The mnemonics of a case's instructions (without formatting them). */
export function caseMnemonics(record: Pick<CaseRecord, "code" | "starts">): string[] {
  return record.starts.map((start) => {
    decode(scratch, record.code, start, CODE_BASE + start);
    return scratch.mnemonic;
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
  /** Guest RAM up to the last used frame as it was after mapping: page tables and the case pages. */
  private readonly pristine: Uint8Array;
  /**
   * cpu.gpr seen as 16 little-endian u64 (register n is [2n] low, [2n+1] high: the contract), so
   * a case loads and checks registers without a bigint per half.
   */
  private readonly registers: BigUint64Array;
  private readonly words: Int32Array;
  /** Physical frames other than the case pages: page tables (and the unused frame 0). */
  private readonly tableFrames: number[] = [];
  private readonly pristineWords: Int32Array;

  constructor() {
    const m = this.machine;
    m.map(CODE_BASE, PAGE, { execute: true });
    m.map(DATA_BASE, PAGE, { write: true });
    m.map(STACK_BASE, PAGE, { write: true });
    this.cpu = m.cpu;
    this.codeFrame = m.pages.lookup(CODE_BASE);
    this.dataFrame = m.pages.lookup(DATA_BASE);
    this.stackFrame = m.pages.lookup(STACK_BASE);
    this.pristine = this.cpu.mem.slice(0, Math.max(this.codeFrame, this.dataFrame, this.stackFrame) + PAGE);
    this.pristineWords = new Int32Array(this.pristine.buffer);
    this.words = new Int32Array(this.cpu.mem.buffer, this.cpu.mem.byteOffset, this.pristine.length / 4);
    this.registers = new BigUint64Array(this.cpu.gpr.buffer, this.cpu.gpr.byteOffset, 16);
    const caseFrames = [this.codeFrame, this.dataFrame, this.stackFrame];
    for (let frame = 0; frame < this.pristine.length; frame += PAGE) if (!caseFrames.includes(frame)) this.tableFrames.push(frame);
  }

  /**
   * Checks that the run wrote no guest RAM outside the case pages (accessed and dirty bits of
   * page-table entries aside), then restores it, so one broken case cannot spoil the next.
   */
  private checkAndRestore(diffs: string[]): void {
    const { words, pristineWords } = this;
    let clean = true;
    for (const frame of this.tableFrames) {
      for (let w = frame / 4; w < (frame + PAGE) / 4; w++) {
        const mask = w % 2 === 0 ? ~0x60 : ~0; // PTE bits 5 and 6: accessed, dirty
        if (((words[w]! ^ pristineWords[w]!) & mask) !== 0) {
          diffs.push(`the CPU wrote guest RAM outside the mapped pages (physical ${hex(w * 4)})`);
          clean = false;
          break;
        }
      }
    }
    // The case pages are loaded afresh by every case; the page tables only need restoring when hit.
    if (!clean) {
      this.cpu.mem.set(this.pristine);
      this.cpu.flushTlb();
    }
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
    this.registers.set(state.gpr);
    cpu.rflags = state.rflags;
    cpu.mxcsr = state.mxcsr;
    cpu.xmm.set(state.xmm);
    cpu.fsBase = 0;
    cpu.gsBase = 0;
    cpu.rip = CODE_BASE;
    cpu.lastUnimplemented = "";
    this.loadX87(state.x87);
  }

  /** Loads the x87 state from its FXSAVE bytes (x87-image.ts). */
  private loadX87(image: Uint8Array): void {
    const x = this.cpu.x87;
    const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
    x.setControl(view.getUint16(X87.fcw, true));
    x.statusWord = view.getUint16(X87.fsw, true);
    x.valid = image[X87.ftw]!;
    x.lastIp = 0;
    x.lastDp = 0;
    x.lastOpcode = 0;
    for (let i = 0; i < 8; i++) x.regs[(x.top + i) & 7] = F80.read(image, X87.st + 16 * i);
  }

  /** Compares the x87 state with the native outcome (FCW, FSW less undefined codes, FTW, ST(i) in use). */
  private compareX87(native: Uint8Array, undefinedFsw: number, diffs: string[]): void {
    const x = this.cpu.x87;
    const got = new Uint8Array(X87_OUTCOME_BYTES);
    const view = new DataView(got.buffer);
    view.setUint16(0, x.control, true);
    view.setUint16(2, x.statusWord, true);
    got[4] = x.valid;
    for (let i = 0; i < 8; i++) x.regs[(x.top + i) & 7]!.write(got, 5 + 10 * i);
    const nativeView = new DataView(native.buffer, native.byteOffset, native.byteLength);
    if (view.getUint16(0, true) !== nativeView.getUint16(0, true)) diffs.push(`FCW ${hex(view.getUint16(0, true))}, native ${hex(nativeView.getUint16(0, true))}`);
    const fsw = view.getUint16(2, true) & ~undefinedFsw;
    const nativeFsw = nativeView.getUint16(2, true) & ~undefinedFsw;
    if (fsw !== nativeFsw) diffs.push(`FSW ${hex(fsw)}, native ${hex(nativeFsw)} (undefined bits ${hex(undefinedFsw)})`);
    if (got[4] !== native[4]) diffs.push(`FTW ${hex(got[4]!)}, native ${hex(native[4]!)}`);
    const top = (nativeView.getUint16(2, true) >> 11) & 7;
    for (let i = 0; i < 8; i++) {
      if (!(native[4]! & (1 << ((top + i) & 7)))) continue; // an empty register's bits are not compared
      const a = got.subarray(5 + 10 * i, 15 + 10 * i);
      const b = native.subarray(5 + 10 * i, 15 + 10 * i);
      if (a.some((v, k) => v !== b[k])) diffs.push(`ST(${i}) ${bytesHex(a)}, native ${bytesHex(b)}`);
    }
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
      const diffs = [`the CPU threw ${(e as Error).stack ?? String(e)}`];
      this.checkAndRestore(diffs);
      return diffs;
    }
    const diffs: string[] = [];
    const reachedEnd = exit === Exit.Fault && cpu.fault.vector === Vector.BP && cpu.rip === end;
    let undefinedFlags = record.undefinedFlags[record.starts.length]!;
    // Where the comparison happens: the faulting instruction (int3: the one before RIP) or the end.
    let pointIndex = record.starts.length;
    if (exit !== Exit.Fault) {
      diffs.push(`run ended with exit ${exit} at rip ${hex(cpu.rip)} (native: ${o.fault ? `vector ${o.fault.vector}` : "end marker"})`);
      this.checkAndRestore(diffs);
      return diffs;
    }
    if (o.fault) {
      const f = o.fault;
      const at = f.vector === Vector.BP ? f.ripOffset - 1 : f.ripOffset;
      const index = record.starts.indexOf(at);
      if (index >= 0) pointIndex = index;
      undefinedFlags = index >= 0 ? record.undefinedFlags[index]! : record.undefinedFlags.reduce((a, b) => a | b, 0);
      if (reachedEnd) diffs.push(`native faulted (vector ${f.vector} at +${f.ripOffset}), emulator reached the end`);
      else {
        if (cpu.fault.vector !== f.vector) diffs.push(`fault vector ${cpu.fault.vector}, native ${f.vector}`);
        if (cpu.rip !== CODE_BASE + f.ripOffset) diffs.push(`fault rip +${cpu.rip - CODE_BASE}, native +${f.ripOffset}`);
        if ((f.vector === Vector.PF || f.vector === Vector.GP) && cpu.fault.errorCode !== f.errorCode) {
          diffs.push(`fault error code ${hex(cpu.fault.errorCode)}, native ${hex(f.errorCode)}`);
        }
        // Addresses are numbers in the CPU's API: above 2^53 (the kernel half) compare them as doubles.
        if (f.vector === Vector.PF && cpu.fault.address !== Number(f.address)) diffs.push(`#PF address ${hex(cpu.fault.address)}, native ${hex(f.address)}`);
      }
    } else if (!reachedEnd) {
      diffs.push(`emulator stopped with vector ${cpu.fault.vector} at +${cpu.rip - CODE_BASE}${cpu.lastUnimplemented ? ` (${cpu.lastUnimplemented} not implemented)` : ""}, native reached the end`);
    }
    for (let i = 0; i < 16; i++) {
      const xor = o.gprXor.get(i);
      const want = xor === undefined ? state.gpr[i]! : state.gpr[i]! ^ xor;
      const got = this.registers[i]!;
      if (got === want) continue;
      const undefinedBytes = record.undefinedRegBytes[i]!;
      let mask = 0n;
      for (let b = 0; b < 8; b++) if (!(undefinedBytes & (1 << b))) mask |= 0xffn << BigInt(8 * b);
      if ((want & mask) !== (got & mask)) diffs.push(`${REGISTER_NAMES[i]} ${hex(got)}, native ${hex(want)}`);
    }
    const compared = COMPARED_FLAGS & ~undefinedFlags;
    const flags = cpu.rflags & compared;
    if (flags !== (o.rflags & compared)) {
      diffs.push(`flags differ in ${flagNames(flags ^ (o.rflags & compared))} (emulator ${flagNames(flags)}, native ${flagNames(o.rflags & compared)}; undefined: ${flagNames(undefinedFlags)})`);
    }
    if (cpu.mxcsr !== o.mxcsr) diffs.push(`mxcsr ${hex(cpu.mxcsr)}, native ${hex(o.mxcsr)}`);
    for (const [i, bytes] of o.xmm) state.xmm.set(bytes, 16 * i);
    for (let at = 0; at < 256; at++) {
      if (cpu.xmm[at] === state.xmm[at]) continue;
      const i = at >> 4;
      diffs.push(`xmm${i} ${bytesHex(cpu.xmm.subarray(16 * i, 16 * i + 16))}, native ${bytesHex(state.xmm.subarray(16 * i, 16 * i + 16))}`);
      at = 16 * i + 15;
    }
    this.comparePage(DATA_BASE, this.dataFrame, state.data, o.memory, diffs);
    this.comparePage(STACK_BASE, this.stackFrame, state.stack, o.memory, diffs);
    if (o.x87 && record.undefinedFsw) this.compareX87(o.x87, record.undefinedFsw[pointIndex]!, diffs);
    this.checkAndRestore(diffs);
    return diffs;
  }

  /** Compares a page with its expected final bytes (`initial`, which it overwrites, plus the runs). */
  private comparePage(base: number, frame: number, initial: Uint8Array, runs: CaseRecord["outcome"]["memory"], diffs: string[]): void {
    const want = initial;
    for (const run of runs) if (run.address >= base && run.address < base + PAGE) want.set(run.bytes, run.address - base);
    const wantWords = new Int32Array(want.buffer, want.byteOffset, PAGE / 4);
    let same = true;
    for (let w = 0, g = frame / 4; w < PAGE / 4; w++, g++) {
      if (wantWords[w] !== this.words[g]) {
        same = false;
        break;
      }
    }
    if (same) return;
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

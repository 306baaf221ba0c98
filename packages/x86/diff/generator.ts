// Builds a differential test case from a seed: one to four instructions taken from the opcode
// data file, encoded here and confirmed by our decoder, over the state expandState(seed) gives,
// patched where an instruction needs a particular value (addresses, counts, branch targets).
//
// The generator follows what it knows of the registers and memory through the sequence, so
// that every address a case uses is safe (see address-space.ts), no instruction reads a flag or
// register an earlier one left undefined, and the flags left undefined are recorded per
// instruction for the comparison.
import { DecodedInstruction, OperandKind } from "../src/decoder/decoded-instruction.js";
import { decode } from "../src/decoder/decode.js";
import { FORM_LINE } from "../src/decoder/generated/tables.js";
import { RegClass } from "../src/decoder/registers.js";
import { inCasePage, isSafeRange, pickAddress } from "./address-space.js";
import { encode, le, type EncodeRequest, type MemoryOperand } from "./encoder.js";
import { FIRST_OPERAND_READ_ONLY, SECOND_OPERAND_WRITTEN, implicitRegisters } from "./implicit-registers.js";
import { edgeValue, expandState, R, type MachineState } from "./initial-state.js";
import { DEFAULT_CLASSES, selectForms, type InstructionClass } from "./instruction-classes.js";
import { CODE_BASE, DATA_BASE, FLAG, PAGE, STACK_BASE } from "./layout.js";
import type { OpcodeForm } from "./opcode-forms.js";
import { expandX87 } from "./x87-image.js";
import { Rng } from "./rng.js";
import { undefinedEffect, x87ConditionEffect } from "./undefined-flags.js";

/** A generated case: everything a fixture stores about its input. */
export interface GeneratedCase {
  seed: number;
  /** The instruction bytes (the end marker follows them at run time). */
  code: Uint8Array;
  /** Offset of each instruction in `code`. */
  starts: number[];
  /** Registers set to values other than expandState's. */
  regPatches: Array<[number, bigint]>;
  /** Memory bytes set to values other than expandState's. */
  memPatches: Array<{ address: number; bytes: Uint8Array }>;
  /** Undefined flags on entry to each instruction, then at the end marker (length n + 1). */
  undefinedFlags: number[];
  /** Per register, a bit per byte whose final value is undefined. */
  undefinedRegBytes: Uint8Array;
  /**
   * x87 cases only (their initial x87 state is expandX87(seed)): the FSW condition bits
   * (C0 0x100, C1 0x200, C2 0x400, C3 0x4000) undefined at each instruction and at the end.
   */
  undefinedFsw?: number[];
}

/** Options of a {@link CaseGenerator}. */
export interface GeneratorOptions {
  /** Instruction classes to draw from (default: integer and BMI). */
  classes?: readonly InstructionClass[];
  /** Longest sequence (1–4, default 4). */
  maxInstructions?: number;
  /**
   * Start every case with LDMXCSR of a random valid MXCSR (rounding mode, FTZ, DAZ, exception
   * masks and flags), for SSE cases that need more than expandState's one-in-ten non-default MXCSR.
   */
  mxcsrVariety?: boolean;
}

/** Why a form could not be used in the current context (the generator tries another). */
class Reject extends Error {}
const reject = (why: string): never => {
  throw new Reject(why);
};

const MASK64 = (1n << 64n) - 1n;
const FLAG_BITS: Record<string, number> = { c: FLAG.CF, p: FLAG.PF, a: FLAG.AF, z: FLAG.ZF, s: FLAG.SF, o: FLAG.OF, d: FLAG.DF };
const SIZED = /^(G|E|Z|M|R|X|Y|O)[vyz]$|^(Iz|Iv|rAX|eAX|Zq|Mdq2)$/;
const SHIFTS = new Set(["rol", "ror", "rcl", "rcr", "shl", "sal", "shr", "sar", "shld", "shrd"]);
const STRING_OPS = new Set(["movs", "cmps", "stos", "lods", "scas"]);
const STRING_WRITES = new Set(["movs", "stos"]);
const TERMINAL = new Set(["int3", "ud0", "ud1", "ud2"]);
const BIT_TESTS = new Set(["bt", "bts", "btr", "btc"]);
const SEGMENT_PREFIXES = [0x26, 0x2e, 0x36, 0x3e, 0x65];

function flagMask(letters: string): number {
  let mask = 0;
  for (const ch of letters) mask |= FLAG_BITS[ch] ?? 0;
  return mask;
}

/** A byte range of guest memory. */
interface Range {
  address: bigint;
  length: number;
}
const overlaps = (a: Range, b: Range): boolean => a.address < b.address + BigInt(b.length) && b.address < a.address + BigInt(a.length);

/** A value filled in once every instruction's address is known. */
type Fixup =
  | { kind: "rel"; at: number; bytes: 1 | 4; target: number }
  | { kind: "relImmediate"; immediateOffset: number; bytes: 1 | 4; target: number }
  | { kind: "rip"; at: number; address: bigint }
  | { kind: "register"; reg: number; target: number }
  | { kind: "memory"; address: bigint; target: number };

interface Planned {
  bytes: Uint8Array;
  fixups: Fixup[];
  /** The data-file line it encodes (0 for the filler NOP). */
  line: number;
}

/** What the generator knows while it builds a sequence; copied to try an instruction. */
interface Knowledge {
  /** Current register values when known (unwritten since the start, or tracked like RSP). */
  known: (bigint | undefined)[];
  /** Registers whose initial value a decision depends on (never patched again). */
  pinned: boolean[];
  undefinedFlags: number;
  undefinedRegBytes: Uint8Array;
  regPatches: Map<number, bigint>;
  memPatches: Array<{ address: bigint; bytes: Uint8Array }>;
  /** Memory written by earlier instructions; `null` when a page was written at unknown places. */
  written: Range[];
  dirtyPages: Set<bigint>;
  /** Memory whose initial value a decision depends on (never patched). */
  pinnedMemory: Range[];
  /** The stack slot last written by PUSHF (a POPF may reload it). */
  pushfSlot: bigint | undefined;
  /** FSW condition bits left undefined (x87 cases). */
  undefinedFsw: number;
  /** Undefined flags and RSP values arriving by branches, per target instruction. */
  arriving: Map<number, { flags: number; rsp: (bigint | undefined)[] }>;
}

function copyKnowledge(k: Knowledge): Knowledge {
  return {
    known: [...k.known],
    pinned: [...k.pinned],
    undefinedFlags: k.undefinedFlags,
    undefinedFsw: k.undefinedFsw,
    undefinedRegBytes: k.undefinedRegBytes.slice(),
    regPatches: new Map(k.regPatches),
    memPatches: [...k.memPatches],
    written: [...k.written],
    dirtyPages: new Set(k.dirtyPages),
    pinnedMemory: [...k.pinnedMemory],
    pushfSlot: k.pushfSlot,
    arriving: new Map([...k.arriving].map(([t, a]) => [t, { flags: a.flags, rsp: [...a.rsp] }])),
  };
}

const pageOf = (address: bigint): bigint => address & ~BigInt(PAGE - 1);

/** Generates differential test cases from the opcode data file. */
export class CaseGenerator {
  readonly forms: OpcodeForm[];
  private readonly maxInstructions: number;
  /** The LDMXCSR form when {@link GeneratorOptions.mxcsrVariety} is on. */
  readonly mxcsrLoader: OpcodeForm | undefined;
  /** Whether cases carry an x87 state (the x87 class is selected). */
  readonly x87: boolean;
  /** Per data-file line: instructions built, and rejections by reason (for coverage reports). */
  readonly built = new Map<number, number>();
  readonly rejected = new Map<string, number>();
  private readonly decoded = new DecodedInstruction();

  constructor(forms: readonly OpcodeForm[], options: GeneratorOptions = {}) {
    this.forms = selectForms(forms, options.classes ?? DEFAULT_CLASSES);
    if (this.forms.length === 0) throw new Error("no opcode forms in the selected classes");
    this.maxInstructions = options.maxInstructions ?? 4;
    this.mxcsrLoader = options.mxcsrVariety ? forms.find((f) => f.mnemonics[1] === "ldmxcsr") : undefined;
    this.x87 = (options.classes ?? DEFAULT_CLASSES).includes("x87");
  }

  /** The case of a seed (deterministic). */
  generate(seed: number): GeneratedCase {
    return new SequenceBuilder(this, seed).build(1 + new Rng(seed ^ 0x5eed).below(this.maxInstructions));
  }

  /** Decodes `bytes` at `address` and checks it is `form`; returns the decoded instruction. */
  confirm(form: OpcodeForm, bytes: Uint8Array, address: number): DecodedInstruction {
    const d = this.decoded;
    decode(d, bytes, 0, address);
    if (d.error !== 0) reject(`decoder error ${d.error} on line ${form.line}`);
    // The committed fixtures were generated when the decoder still rejected 66 MOVBE (r16/m16);
    // rejecting it here keeps them regenerable from their seeds.
    if (d.mnemonic === "movbe" && d.operandSize === 2) reject(`decoder error 3 on line ${form.line}`);
    if (FORM_LINE[d.form] !== form.line) reject(`decodes as line ${FORM_LINE[d.form]}, not ${form.line}`);
    if (d.length !== bytes.length) reject(`decodes to ${d.length} bytes, not ${bytes.length}`);
    return d;
  }

  /** Adds one to a counter of {@link rejected} or similar maps. */
  tally(map: Map<string, number>, key: string): void {
    map.set(key, (map.get(key) ?? 0) + 1);
  }
}

/** Builds one sequence. */
class SequenceBuilder {
  private readonly rng: Rng;
  private readonly state: MachineState;
  private k: Knowledge;
  private readonly planned: Planned[] = [];
  private readonly undefinedAt: number[] = [];
  private readonly undefinedFswAt: number[] = [];
  /** Instructions in the sequence (shrinks when a trapping instruction ends it early). */
  private count = 0;

  constructor(
    private readonly gen: CaseGenerator,
    private readonly seed: number,
  ) {
    this.rng = new Rng(seed ^ 0x9e37_79b9);
    this.state = expandState(seed);
    this.k = {
      known: [...this.state.gpr],
      pinned: new Array<boolean>(16).fill(false),
      undefinedFlags: 0,
      undefinedFsw: 0,
      undefinedRegBytes: new Uint8Array(16),
      regPatches: new Map(),
      memPatches: [],
      written: [],
      dirtyPages: new Set(),
      pinnedMemory: [],
      pushfSlot: undefined,
      arriving: new Map(),
    };
    this.k.pinned[R.rsp] = true;
  }

  build(count: number): GeneratedCase {
    this.count = count;
    for (let index = 0; index < this.count; index++) {
      this.enter(index);
      let done = false;
      for (let attempt = 0; attempt < 40 && !done; attempt++) {
        const form = index === 0 && this.gen.mxcsrLoader ? this.gen.mxcsrLoader : this.rng.pick(this.gen.forms);
        const saved = copyKnowledge(this.k);
        try {
          const { planned, terminal } = this.instruction(form, index);
          this.planned.push(planned);
          this.gen.built.set(form.line, (this.gen.built.get(form.line) ?? 0) + 1);
          done = true;
          if (terminal) this.count = index + 1;
        } catch (e) {
          if (!(e instanceof Reject)) throw e;
          this.gen.tally(this.gen.rejected, e.message);
          this.k = saved;
        }
      }
      if (!done) this.planned.push({ bytes: Uint8Array.of(0x90), fixups: [], line: 0 }); // nop
    }
    this.enter(this.count);
    return this.finish(this.count);
  }

  /** Merges what arrives by branches into the state at the start of instruction `index`. */
  private enter(index: number): void {
    // Branches past a trapping last instruction land on the end marker.
    const arriving = index === this.count ? [...this.k.arriving].filter(([t]) => t >= index).map(([, a]) => a).reduce((x, a) => ({ flags: x.flags | a.flags, rsp: [...x.rsp, ...a.rsp] }), { flags: 0, rsp: [] as (bigint | undefined)[] }) : this.k.arriving.get(index);
    if (arriving) {
      this.k.undefinedFlags |= arriving.flags;
      if (arriving.rsp.some((v) => v !== this.k.known[R.rsp])) this.k.known[R.rsp] = undefined;
    }
    this.undefinedAt[index] = this.k.undefinedFlags;
    this.undefinedFswAt[index] = this.k.undefinedFsw;
  }

  private finish(count: number): GeneratedCase {
    const starts: number[] = [];
    let length = 0;
    for (const p of this.planned) {
      starts.push(length);
      length += p.bytes.length;
    }
    starts.push(length);
    const code = new Uint8Array(length);
    const addressOf = (target: number): bigint => BigInt(CODE_BASE + starts[Math.min(target, count)]!);
    const regPatches = new Map(this.k.regPatches);
    const memPatches = [...this.k.memPatches];
    this.planned.forEach((p, i) => {
      const bytes = p.bytes.slice();
      const next = BigInt(CODE_BASE + starts[i + 1]!);
      for (const f of p.fixups) {
        if (f.kind === "rel") bytes.set(le(addressOf(f.target) - next, f.bytes), f.at);
        else if (f.kind === "relImmediate") throw new Error("unresolved branch fixup");
        else if (f.kind === "rip") bytes.set(le(f.address - next, 4), f.at);
        else if (f.kind === "register") regPatches.set(f.reg, addressOf(f.target));
        else memPatches.push({ address: f.address, bytes: Uint8Array.from(le(addressOf(f.target), 8)) });
      }
      code.set(bytes, starts[i]!);
    });
    // Every instruction must still decode to what was planned, now at its final address.
    const d = new DecodedInstruction();
    this.planned.forEach((p, i) => {
      decode(d, code, starts[i]!, CODE_BASE + starts[i]!);
      if (d.error !== 0 || d.length !== p.bytes.length || (p.line !== 0 && FORM_LINE[d.form] !== p.line)) {
        throw new Error(`seed ${this.seed}: instruction ${i} no longer decodes as planned after layout`);
      }
    });
    return {
      seed: this.seed,
      code,
      starts: starts.slice(0, count),
      regPatches: [...regPatches].sort((a, b) => a[0] - b[0]),
      memPatches: memPatches.map((m) => ({ address: Number(m.address), bytes: m.bytes })),
      undefinedFlags: this.undefinedAt.slice(0, count + 1),
      undefinedRegBytes: this.k.undefinedRegBytes,
      ...(this.gen.x87 ? { undefinedFsw: this.undefinedFswAt.slice(0, count + 1) } : {}),
    };
  }

  // ---- registers and memory -------------------------------------------------------------

  /** Sets a register's initial value (it must be unwritten and not pinned) and pins it. */
  private pin(reg: number, value: bigint): void {
    const v = value & MASK64;
    if (this.k.pinned[reg] || this.k.known[reg] === undefined) reject("register already fixed");
    this.k.known[reg] = v;
    this.k.pinned[reg] = true;
    this.k.regPatches.set(reg, v);
  }

  /** The known value of a register, pinned so no later patch changes it; throws if unknown. */
  private use(reg: number): bigint {
    const v = this.k.known[reg];
    if (v === undefined) reject("register value unknown");
    this.k.pinned[reg] = true;
    return v!;
  }

  private canPin(reg: number): boolean {
    return !this.k.pinned[reg] && this.k.known[reg] !== undefined;
  }

  /** The initial bytes of memory (expandState plus patches so far), or undefined outside the data pages. */
  private initialBytes(range: Range): Uint8Array | undefined {
    const out = new Uint8Array(range.length);
    for (let i = 0; i < range.length; i++) {
      const a = range.address + BigInt(i);
      const page = a >= BigInt(DATA_BASE) && a < BigInt(DATA_BASE + PAGE) ? this.state.data : a >= BigInt(STACK_BASE) && a < BigInt(STACK_BASE + PAGE) ? this.state.stack : undefined;
      if (!page) return undefined;
      out[i] = page[Number(a & BigInt(PAGE - 1))]!;
    }
    for (const p of this.k.memPatches) {
      for (let i = 0; i < p.bytes.length; i++) {
        const at = p.address + BigInt(i) - range.address;
        if (at >= 0n && at < BigInt(range.length)) out[Number(at)] = p.bytes[i]!;
      }
    }
    return out;
  }

  /** Whether memory still holds its initial value (nothing in the sequence wrote it). */
  private untouched(range: Range): boolean {
    return !this.k.dirtyPages.has(pageOf(range.address)) && !this.k.dirtyPages.has(pageOf(range.address + BigInt(range.length - 1))) && !this.k.written.some((w) => overlaps(w, range));
  }

  /** The current value of memory a decision depends on, or undefined when unknown. */
  private readMemory(range: Range): Uint8Array | undefined {
    if (!inCasePage(range.address, range.length) || !this.untouched(range)) return undefined;
    const bytes = this.initialBytes(range);
    if (bytes) this.k.pinnedMemory.push(range);
    return bytes;
  }

  /** Patches initial memory (which must be untouched and undecided). */
  private patchMemory(range: Range, bytes: Uint8Array): void {
    if (!this.untouched(range) || this.k.pinnedMemory.some((p) => overlaps(p, range))) reject("memory already fixed");
    if (!inCasePage(range.address, range.length) || range.address < BigInt(DATA_BASE)) reject("patch outside the data pages");
    this.k.memPatches.push({ address: range.address, bytes });
    this.k.pinnedMemory.push(range);
  }

  private wrote(range: Range): void {
    this.k.written.push(range);
  }

  // ---- one instruction ------------------------------------------------------------------

  private instruction(form: OpcodeForm, index: number): { planned: Planned; terminal: boolean } {
    const rng = this.rng;
    const mnemonic32 = form.mnemonics[1];
    const isVex = form.map.startsWith("V");
    const ops = form.operands;
    const fixups: Fixup[] = [];

    // Operand size and the prefixes that select it.
    const sized66 = !isVex && form.prefix !== "66" && !form.f64 && ops.some((o) => SIZED.test(o) && !o.endsWith("y"));
    const sizedW = !form.f64 && !form.d64 && (isVex ? form.vexW === undefined : ops.some((o) => SIZED.test(o)) || form.mnemonics[2] !== form.mnemonics[1]);
    const isBranch = form.branch !== "";
    // No 66 on branches: AMD truncates RIP to 16 bits where Intel ignores it.
    const operandSize16 = sized66 && !isBranch && rng.chance(form.d64 ? 0.15 : 0.25);
    let rexW = sizedW && !operandSize16 && rng.chance(0.5);
    if (sizedW && sized66 && operandSize16 && rng.chance(0.1)) rexW = true; // REX.W beats 66
    if (isVex && form.vexW !== undefined) rexW = form.vexW === 1;

    // Byte registers: without REX, numbers 4-7 are ah..bh and nothing may need REX.
    const hasByteReg = ops.some((o) => o === "Gb" || o === "Eb" || o === "Zb");
    const forceRex = !isVex && hasByteReg && rng.chance(0.5);
    const regLimit = !isVex && hasByteReg && !forceRex ? 8 : 16;
    const pickReg = (): number => rng.below(regLimit);

    const request: EncodeRequest = {
      form,
      legacyPrefixes: [],
      operandSize16,
      rexW,
      forceRex: forceRex || (!isVex && rng.chance(0.03)),
      reg: pickReg(),
      rm: pickReg(),
      memory: undefined,
      opcodeRegister: pickReg(),
      // VEX.vvvv names a register only for By/H operands; otherwise it must be 1111 (0 here).
      vvvv: ops.some((o) => o === "By" || o.startsWith("H")) ? rng.below(16) : 0,
      immediates: [],
      vexShort: rng.chance(0.5),
    };

    // Memory operand, if the form has one and this instance uses memory.
    const memorySpec = ops.find((o) => /^(E|M|W|Q)/.test(o) && o !== "Mxlat");
    const useMemory = memorySpec !== undefined && (form.modrm === "memory" || (form.modrm === "any" && rng.chance(0.5)));
    let address: bigint | undefined;
    let addr32 = false;
    if (useMemory) {
      // Legacy SSE needs 16-byte alignment (#GP otherwise): mostly aligned, sometimes not.
      const vector = ops.some((o) => /^(W|Mx|Mdq)/.test(o));
      const aligned = mnemonic32 === "cmpxchg8b" || vector ? rng.chance(0.85) : false;
      address = pickAddress(rng, 16, aligned);
      if (form.branch === "jmp" || form.branch === "call") address = BigInt(DATA_BASE + 8 * rng.below(PAGE / 8 - 1));
      addr32 = !isBranch && address < 0x1_0000_0000n && rng.chance(0.1);
      request.memory = this.planMemory(address, addr32, regLimit, fixups, request);
    }

    // Immediates and other operands.
    const opsizeBytes = operandSize16 && !rexW ? 2 : rexW ? 8 : form.d64 || form.f64 ? 8 : 4;
    const imm: number[] = [];
    let shiftCount: number | undefined;
    let branchTarget: number | undefined;
    for (const spec of ops) {
      switch (spec) {
        case "Ib":
          if (SHIFTS.has(mnemonic32) || BIT_TESTS.has(mnemonic32)) imm.push(this.countByte(opsizeBytes, hasByteReg));
          else if (mnemonic32 === "enter") imm.push(rng.chance(0.7) ? 0 : rng.below(4));
          else imm.push(Number(edgeValue(rng) & 0xffn));
          break;
        case "sIb":
          imm.push(Number(edgeValue(rng) & 0xffn));
          break;
        case "Iw":
          imm.push(...le(mnemonic32 === "ret" ? 8 * rng.below(8) : mnemonic32 === "enter" ? 8 * rng.below(16) : Number(edgeValue(rng) & 0xffffn), 2));
          break;
        case "Iz":
          imm.push(...le(edgeValue(rng), opsizeBytes === 2 ? 2 : 4));
          break;
        case "Iv":
          imm.push(...le(edgeValue(rng), opsizeBytes));
          break;
        case "Jb":
        case "Jz": {
          branchTarget = this.forwardTarget(index);
          const bytes = spec === "Jb" ? 1 : 4;
          fixups.push({ kind: "relImmediate", immediateOffset: imm.length, bytes, target: branchTarget });
          imm.push(...new Array<number>(bytes).fill(0));
          break;
        }
        case "Ob":
        case "Ov": {
          const a = pickAddress(rng, 8, false);
          addr32 = a < 0x1_0000_0000n && rng.chance(0.2);
          address = a;
          imm.push(...le(a, addr32 ? 4 : 8));
          break;
        }
      }
    }
    request.immediates = imm;

    // Legacy prefixes: segment overrides, LOCK, address size, REP.
    const prefixes: number[] = [];
    if (useMemory && !isBranch && rng.chance(0.1)) prefixes.push(rng.pick(SEGMENT_PREFIXES));
    if (useMemory && form.lock && /^[EM]/.test(ops[0] ?? "") && rng.chance(0.3)) prefixes.push(0xf0);
    if (addr32) prefixes.push(0x67);
    const isString = STRING_OPS.has(mnemonic32);
    let rep = false;
    if (isString) {
      if (rng.chance(0.1)) prefixes.push(rng.pick(SEGMENT_PREFIXES));
      if (rng.chance(0.1)) {
        addr32 = true;
        prefixes.push(0x67);
      }
      if (rng.chance(0.5)) {
        rep = true;
        prefixes.push(mnemonic32 === "cmps" || mnemonic32 === "scas" ? rng.pick([0xf3, 0xf2]) : 0xf3);
      }
    }
    request.legacyPrefixes = shuffle(rng, prefixes);

    // Encode, then confirm with the decoder.
    const bytes = encode(request);
    // Branch displacements sit among the immediates; a RIP-relative displacement right before them.
    const immStart = bytes.length - imm.length;
    const resolved: Fixup[] = fixups.map((f) =>
      f.kind === "relImmediate" ? { kind: "rel", at: immStart + f.immediateOffset, bytes: f.bytes, target: f.target } : f.kind === "rip" ? { ...f, at: immStart - 4 } : f,
    );
    const d = this.gen.confirm(form, bytes, CODE_BASE);
    const mnemonic = d.mnemonic;

    // Registers the instruction names or uses.
    const explicit: number[] = [];
    let memoryIndex = -1;
    for (let i = 0; i < d.operandCount; i++) {
      const kind = d.operandKind[i]!;
      if (kind === OperandKind.Register) {
        const id = d.operandRegister[i]!;
        const cls = id >> 5;
        if (cls === RegClass.Gpr8High) explicit.push((id & 31) - 4 + 0);
        else if (cls >= RegClass.Gpr8 && cls <= RegClass.Gpr64) explicit.push(id & 31);
        else explicit.push(-1);
      } else {
        explicit.push(-1);
        if (kind === OperandKind.Memory || kind === OperandKind.MemoryOffset) memoryIndex = i;
      }
    }
    const implicit = implicitRegisters(mnemonic, d.operandCount);
    let touched = implicit;
    for (const r of explicit) if (r >= 0) touched |= 1 << r;
    if (request.memory && request.memory.base >= 0) touched |= 1 << request.memory.base;
    if (request.memory && request.memory.index >= 0) touched |= 1 << request.memory.index;
    for (let r = 0; r < 16; r++) if (touched & (1 << r) && this.k.undefinedRegBytes[r]) reject("uses an undefined register");

    // Flags: never read one an earlier instruction left undefined.
    const reads = flagMask(form.flagsRead) | (mnemonic.startsWith("pushf") ? 0xcd5 : 0);
    if (reads & this.k.undefinedFlags) reject("reads an undefined flag");
    const fsw = x87ConditionEffect(mnemonic);
    if (fsw.reads & this.k.undefinedFsw) reject("reads an undefined x87 condition code");

    const memSize = memoryIndex >= 0 ? Math.max(1, d.operandBytes[memoryIndex]!) : 0;
    const size = d.operandBytes[0] || opsizeBytes;
    const memRange = address !== undefined && memoryIndex >= 0 ? { address: addr32 ? address & 0xffff_ffffn : address, length: memSize } : undefined;
    if (mnemonic === "ldmxcsr") {
      // A valid MXCSR, or now and then one with a reserved bit (#GP) other than bit 17, which AMD
      // accepts (its misaligned-SSE mask) and Intel does not.
      if (!memRange) reject("no memory operand for LDMXCSR");
      const reserved = index === 0 && form === this.gen.mxcsrLoader ? 0 : rng.chance(0.15) ? 1 << rng.pick([16, 18, 20, 24, 31]) : 0;
      this.patchMemory(memRange!, Uint8Array.from(le((this.randomMxcsr() | reserved) >>> 0, 4)));
    }
    if (memRange && mnemonic !== "lea" && !isSafeRange(memRange.address, memRange.length)) reject("unsafe address");
    // The AMD host checks no 16-byte alignment for SHA memory operands; Intel documents #GP.
    if (memRange && mnemonic.startsWith("sha") && memRange.address % 16n !== 0n) reject("SHA alignment differs between vendors");
    if (mnemonic === "pop" && request.memory?.base === R.rsp) reject("pop to an rsp-based address");

    // Instruction-specific inputs and effects.
    let sourceZero: boolean | undefined;
    if (SHIFTS.has(mnemonic)) shiftCount = this.shiftCount(d, size, imm);
    if (mnemonic === "bsf" || mnemonic === "bsr") {
      const src = d.operandKind[1] === OperandKind.Register ? this.regValue(d.operandRegister[1]!) : memRange ? this.readMemory(memRange) : undefined;
      if (src === undefined) reject("bit scan source unknown");
      sourceZero = typeof src === "bigint" ? src === 0n : src!.every((b) => b === 0);
    }
    const effect = undefinedEffect(mnemonic, { size, count: shiftCount, sourceZero });
    if (effect.unknowable) reject("undefined result not predictable");
    if (effect.destination) {
      const dest = explicit[0]!;
      if (dest < 0) reject("undefined memory result");
      const high = d.operandRegister[0]! >> 5 === RegClass.Gpr8High;
      this.k.undefinedRegBytes[dest]! |= size === 1 ? (high ? 2 : 1) : size === 2 ? 3 : 0xff;
    }

    if (BIT_TESTS.has(mnemonic) && memRange && d.operandKind[1] === OperandKind.Register) {
      // The bit offset register reaches memory around the operand (signed, in operand-size units).
      const offset = this.regValue(d.operandRegister[1]!);
      if (offset === undefined) reject("bit offset unknown");
      const bits = BigInt(size * 8);
      const signed = BigInt.asIntN(size * 8, offset as bigint);
      const at = memRange.address + (signed >= 0n ? signed / bits : -((-signed + bits - 1n) / bits)) * BigInt(size);
      if (!isSafeRange(at, size)) reject("bit offset leaves the safe area");
      memRange.address = at;
      memRange.length = size;
    }

    const transfer = this.stackAndStrings(mnemonic, d, rep, addr32, explicit, memRange, index, resolved);
    // REPE/REPNE CMPS/SCAS with a zero count compare nothing and leave the flags alone.
    const rcx = this.k.known[R.rcx];
    const flagsMaybeUntouched = rep && (mnemonic === "cmps" || mnemonic === "scas") && (rcx === undefined || (addr32 ? rcx & 0xffff_ffffn : rcx) === 0n);
    branchTarget ??= transfer;

    // Memory written through the explicit operand.
    if (memRange && mnemonic !== "lea" && !FIRST_OPERAND_READ_ONLY.has(mnemonic) && memoryIndex === 0) this.wrote(memRange);
    if (memRange && (mnemonic === "xchg" || mnemonic === "xadd") && memoryIndex >= 0) this.wrote(memRange);

    // Registers written (their values are unknown from here on).
    const writes: number[] = [];
    if (explicit[0]! >= 0 && !FIRST_OPERAND_READ_ONLY.has(mnemonic)) writes.push(explicit[0]!);
    if (SECOND_OPERAND_WRITTEN.has(mnemonic) && explicit[1]! >= 0) writes.push(explicit[1]!);
    for (let r = 0; r < 16; r++) if (implicit & (1 << r) && r !== R.rsp) writes.push(r);
    if (mnemonic === "leave" || mnemonic === "enter") writes.push(R.rbp);
    for (const r of writes) this.k.known[r] = undefined;

    // Flags written and left undefined.
    const written = flagMask(form.flagsWritten) & ~(effect.unaffected ?? 0);
    if (!(SHIFTS.has(mnemonic) && shiftCount === undefined) && shiftCount !== 0 && !flagsMaybeUntouched) this.k.undefinedFlags &= ~written;
    this.k.undefinedFlags |= effect.flags;
    if (mnemonic.startsWith("popf")) this.k.undefinedFlags = 0;
    this.k.undefinedFsw = (this.k.undefinedFsw & ~fsw.defined) | fsw.undefined;

    // Branches carry the flags and RSP of this point to their target.
    if (branchTarget !== undefined) this.arrive(branchTarget, this.k.undefinedFlags);

    return { planned: { bytes, fixups: resolved, line: form.line }, terminal: TERMINAL.has(mnemonic) };
  }

  /** A valid MXCSR: any rounding mode, FTZ and DAZ, all or some exceptions masked, some flags. */
  private randomMxcsr(): number {
    const rng = this.rng;
    const masks = rng.chance(0.5) ? 0x1f80 : rng.u32() & 0x1f80;
    return (rng.below(4) << 13) | masks | (rng.chance(0.5) ? 0x8000 : 0) | (rng.chance(0.5) ? 0x40 : 0) | (rng.chance(0.3) ? rng.u32() & 0x3f : 0);
  }

  private arrive(target: number, flags: number): void {
    const a = this.k.arriving.get(target) ?? { flags: 0, rsp: [] };
    a.flags |= flags;
    a.rsp.push(this.k.known[R.rsp]);
    this.k.arriving.set(target, a);
  }

  /** The known value of a general register operand (by decoder id), masked to its size. */
  private regValue(id: number): bigint | undefined {
    const cls = id >> 5;
    const index = cls === RegClass.Gpr8High ? (id & 31) - 4 : id & 31;
    const v = this.k.known[index];
    if (v === undefined) return undefined;
    this.k.pinned[index] = true;
    if (cls === RegClass.Gpr8High) return (v >> 8n) & 0xffn;
    const bits = cls === RegClass.Gpr8 ? 8n : cls === RegClass.Gpr16 ? 16n : cls === RegClass.Gpr32 ? 32n : 64n;
    return v & ((1n << bits) - 1n);
  }

  /** A shift or rotate count immediate: 0, 1, the width and its neighbours, or random. */
  private countByte(size: number, byteForm: boolean): number {
    const width = byteForm ? 8 : size * 8;
    return this.rng.pick([0, 1, 1, 2, width - 1, width, width + 1, this.rng.below(256), this.rng.below(64)]) & 0xff;
  }

  /** The masked count of a shift: from its immediate, the constant 1, or CL (pinned, often patched small). */
  private shiftCount(d: DecodedInstruction, size: number, imm: number[]): number | undefined {
    const mask = size === 8 ? 63 : 31;
    const last = d.operandCount - 1;
    const kind = d.operandKind[last]!;
    if (kind === OperandKind.ConstantOne) return 1;
    if (kind === OperandKind.Immediate) return imm[imm.length - 1]! & mask;
    if (this.canPin(R.rcx) && this.rng.chance(0.6)) {
      const small = BigInt(this.rng.pick([0, 1, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 63, 64 + this.rng.below(8)]));
      this.pin(R.rcx, (this.k.known[R.rcx]! & ~0xffn) | small);
    }
    const cl = this.k.known[R.rcx];
    if (cl === undefined) return undefined;
    this.k.pinned[R.rcx] = true;
    return Number(cl & 0xffn) & mask;
  }

  /**
   * Base, index, scale and displacement that reach `address`, pinning the registers used. With
   * `addr32` only the low 32 bits count and the registers get random upper halves.
   */
  private planMemory(address: bigint, addr32: boolean, regLimit: number, fixups: Fixup[], request: EncodeRequest): MemoryOperand {
    const rng = this.rng;
    const width = addr32 ? 32 : 64;
    const wrap = (v: bigint): bigint => BigInt.asUintN(width, v);
    const garbage = (v: bigint): bigint => (addr32 && rng.chance(0.5) ? (BigInt(rng.u32()) << 32n) | v : v);
    const fitsInt32 = (v: bigint): boolean => BigInt.asIntN(width, v) >= -(1n << 31n) && BigInt.asIntN(width, v) < 1n << 31n;
    const mode = rng.below(100);
    const candidates = (exclude: number[]): number[] => {
      const out: number[] = [];
      for (let r = 0; r < regLimit; r++) if (!exclude.includes(r) && this.k.known[r] !== undefined && !this.k.undefinedRegBytes[r]) out.push(r);
      return out;
    };
    if (mode < 12 && (address >= BigInt(CODE_BASE) - (1n << 30n) && address < BigInt(CODE_BASE) + (1n << 30n))) {
      fixups.push({ kind: "rip", at: 0, address });
      return { base: -1, index: -1, scale: 1, disp: 0, dispBytes: 4, ripRelative: true };
    }
    const absolute = (): MemoryOperand => {
      if (!fitsInt32(wrap(address))) reject("address not reachable by disp32");
      return { base: -1, index: -1, scale: 1, disp: Number(BigInt.asIntN(32, address)), dispBytes: 4, ripRelative: false };
    };
    if (mode < 17) return absolute();
    const scale = rng.pick([1, 2, 4, 8] as const);
    let index = -1;
    let indexPart = 0n;
    if (mode >= 70) {
      const options = candidates([R.rsp]);
      if (options.length === 0) return absolute();
      index = rng.pick(options);
      if (this.canPin(index) && rng.chance(0.8)) this.pin(index, garbage(wrap(BigInt(rng.below(80) - 16))));
      indexPart = wrap(this.use(index) * BigInt(scale));
    }
    if (mode >= 95 && index >= 0) {
      // Index without base: disp32 carries the address.
      const disp = wrap(address - indexPart);
      if (!fitsInt32(disp)) reject("displacement out of range");
      return { base: -1, index, scale, disp: Number(BigInt.asIntN(32, disp)), dispBytes: 4, ripRelative: false };
    }
    const bases = candidates([index]).filter((r) => this.canPin(r) || fitsInt32(wrap(address - indexPart - this.k.known[r]!)));
    if (bases.length === 0) return absolute();
    const base = rng.pick(bases);
    let disp: bigint;
    let dispBytes: 0 | 1 | 4;
    if (this.canPin(base) && rng.chance(0.85)) {
      dispBytes = rng.pick([0, 1, 4] as const);
      disp = dispBytes === 0 ? 0n : dispBytes === 1 ? BigInt(rng.below(256) - 128) : BigInt(rng.pick([rng.below(4096) - 2048, rng.u32() | 0]));
      this.pin(base, garbage(wrap(address - indexPart - disp)));
    } else {
      const needed = wrap(address - indexPart - this.use(base));
      if (!fitsInt32(needed)) reject("displacement out of range");
      disp = BigInt.asIntN(32, needed);
      dispBytes = disp === 0n && rng.chance(0.5) ? 0 : disp >= -128n && disp < 128n && rng.chance(0.7) ? 1 : 4;
    }
    request.rm = base;
    return { base, index, scale, disp: Number(disp), dispBytes, ripRelative: false };
  }

  /**
   * Stack, string and control-transfer instructions: addresses, patches and RSP tracking.
   * Returns the target of an indirect jump, call or return.
   */
  private stackAndStrings(
    mnemonic: string,
    d: DecodedInstruction,
    rep: boolean,
    addr32: boolean,
    explicit: number[],
    memRange: Range | undefined,
    index: number,
    fixups: Fixup[],
  ): number | undefined {
    const rng = this.rng;
    const k = this.k;
    const rspBefore = k.known[R.rsp];
    const stackRange = (delta: number, length: number): Range => {
      if (rspBefore === undefined) reject("rsp unknown");
      const r = { address: (rspBefore! + BigInt(delta)) & MASK64, length };
      if (!isSafeRange(r.address, length)) reject("stack outside the safe area");
      return r;
    };
    const setRsp = (delta: number | undefined): void => {
      k.known[R.rsp] = delta === undefined || rspBefore === undefined ? undefined : (rspBefore + BigInt(delta)) & MASK64;
    };
    const opBytes = d.operandSize;
    switch (mnemonic) {
      case "push": {
        const n = d.operandBytes[0] === 2 ? 2 : 8;
        this.wrote(stackRange(-n, n));
        setRsp(-n);
        k.pushfSlot = undefined;
        return;
      }
      case "pushf":
      case "pushfw": {
        const n = mnemonic === "pushfw" ? 2 : 8;
        const r = stackRange(-n, n);
        this.wrote(r);
        setRsp(-n);
        k.pushfSlot = n === 8 ? r.address : undefined;
        return;
      }
      case "pop": {
        const n = d.operandBytes[0] === 2 ? 2 : 8;
        stackRange(0, n);
        setRsp(n);
        return;
      }
      case "popf":
      case "popfw": {
        const n = mnemonic === "popfw" ? 2 : 8;
        const r = stackRange(0, n);
        if (!(n === 8 && k.pushfSlot === r.address)) {
          // Only status flags, DF, and bits user mode cannot change (IF, IOPL, reserved ones).
          const value = (rng.u32() & (0xcd5 | 0x200 | 0x3000 | 0x8028)) | 2;
          this.patchMemory(r, Uint8Array.from(le(value, n)));
        }
        setRsp(n);
        return;
      }
      case "call": {
        this.wrote(stackRange(-8, 8));
        const target = d.operandKind[0] !== OperandKind.BranchTarget ? this.indirectTarget(d, explicit, memRange, index, fixups) : undefined;
        setRsp(-8);
        return target;
      }
      case "jmp":
        return d.operandKind[0] !== OperandKind.BranchTarget ? this.indirectTarget(d, explicit, memRange, index, fixups) : undefined;
      case "ret": {
        const r = stackRange(0, 8);
        const target = this.forwardTarget(index);
        this.patchMemory(r, new Uint8Array(8));
        k.memPatches.pop(); // the fixup writes the real target
        fixups.push({ kind: "memory", address: r.address, target });
        setRsp(8 + (d.operandCount > 0 ? d.immediate : 0));
        return target;
      }
      case "leave": {
        const rbp = k.known[R.rbp];
        if (rbp === undefined) reject("rbp unknown");
        k.pinned[R.rbp] = true;
        const n = opBytes === 2 ? 2 : 8;
        if (!isSafeRange(rbp!, n)) reject("rbp outside the safe area");
        k.known[R.rsp] = (rbp! + BigInt(n)) & MASK64;
        return;
      }
      case "enter": {
        const level = d.immediate2 & 31;
        const n = opBytes === 2 ? 2 : 8;
        if (level > 1) {
          if (this.canPin(R.rbp) && rng.chance(0.8)) this.pin(R.rbp, BigInt(STACK_BASE + 0x400 + 8 * rng.below(256)));
          const rbp = this.use(R.rbp);
          if (!isSafeRange(rbp - BigInt(n * level), n * level)) reject("enter frames outside the safe area");
        }
        this.wrote(stackRange(-n * (level + 1), n * (level + 1)));
        k.known[R.rsp] = undefined;
        k.pushfSlot = undefined;
        return;
      }
      case "xlat": {
        if (this.canPin(R.rbx) && rng.chance(0.9)) this.pin(R.rbx, BigInt(DATA_BASE + rng.below(PAGE - 256)));
        const rbx = this.use(R.rbx);
        if (!isSafeRange(addr32 ? rbx & 0xffff_ffffn : rbx, 256)) reject("xlat table outside the safe area");
        return;
      }
      case "loop":
      case "loope":
      case "loopne":
      case "jrcxz":
        return;
    }
    if (STRING_OPS.has(mnemonic) || mnemonic === "maskmovdqu") {
      const pointer = (reg: number): void => {
        if (this.canPin(reg) && rng.chance(0.9)) {
          const base = rng.chance(0.8) ? DATA_BASE : STACK_BASE;
          // Mostly mid-page; one time in four near an edge, so a REP runs into the unmapped
          // neighbour and faults part-way (RCX/RSI/RDI must then show the progress made).
          // (Not for MASKMOVDQU: whether an all-zero mask still faults is implementation-specific.)
          const middle = mnemonic === "maskmovdqu" || rng.chance(0.75);
          const offset = middle ? 256 + rng.below(PAGE - 512) : rng.chance(0.5) ? PAGE - 1 - rng.below(48) : rng.below(48);
          this.pin(reg, BigInt(base + offset) | (addr32 && rng.chance(0.5) ? BigInt(rng.u32()) << 32n : 0n));
        }
        const v = this.use(reg);
        if (!isSafeRange(addr32 ? v & 0xffff_ffffn : v, 8)) reject("string pointer outside the safe area");
        // MASKMOVDQU with an all-zero mask may or may not fault on a bad address (implementation-specific).
        const writable = (base: number): boolean => v >= BigInt(base) && v + 16n <= BigInt(base + PAGE);
        if (mnemonic === "maskmovdqu" && !writable(DATA_BASE) && !writable(STACK_BASE)) reject("MASKMOVDQU target not writable");
      };
      // MASKMOVDQU stores through [rdi] like a string instruction.
      if (mnemonic !== "stos" && mnemonic !== "scas" && mnemonic !== "maskmovdqu") pointer(R.rsi);
      if (mnemonic !== "lods") pointer(R.rdi);
      if (rep && this.canPin(R.rcx) && rng.chance(0.8)) this.pin(R.rcx, BigInt(rng.chance(0.8) ? rng.below(12) : rng.below(80)));
      if (STRING_WRITES.has(mnemonic) || mnemonic === "maskmovdqu") {
        const rdi = this.k.known[R.rdi]!;
        k.dirtyPages.add(pageOf(addr32 ? rdi & 0xffff_ffffn : rdi));
      }
    }
    return undefined;
  }

  /** A later instruction, or the end marker, as a branch target. */
  private forwardTarget(index: number): number {
    return index + 1 + this.rng.below(this.count - index);
  }

  /** JMP/CALL through a register or memory: pin that register or patch that qword to the target. */
  private indirectTarget(d: DecodedInstruction, explicit: number[], memRange: Range | undefined, index: number, fixups: Fixup[]): number {
    const target = this.forwardTarget(index);
    if (d.operandKind[0] === OperandKind.Register) {
      const reg = explicit[0]!;
      this.pin(reg, 0n);
      fixups.push({ kind: "register", reg, target });
    } else {
      if (!memRange) reject("indirect target address unknown");
      this.patchMemory(memRange!, new Uint8Array(8));
      this.k.memPatches.pop(); // the fixup writes the real target
      fixups.push({ kind: "memory", address: memRange!.address, target });
    }
    return target;
  }
}

function shuffle<T>(rng: Rng, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.below(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** The initial state of a case: expandState(seed) with the case's patches applied. */
export function initialState(c: Pick<GeneratedCase, "seed" | "regPatches" | "memPatches" | "undefinedFsw">): MachineState {
  const state = expandState(c.seed);
  if (c.undefinedFsw) state.x87 = expandX87(c.seed);
  for (const [reg, value] of c.regPatches) state.gpr[reg] = value;
  for (const p of c.memPatches) {
    const page = p.address >= DATA_BASE && p.address < DATA_BASE + PAGE ? state.data : state.stack;
    page.set(p.bytes, p.address & (PAGE - 1));
  }
  return state;
}

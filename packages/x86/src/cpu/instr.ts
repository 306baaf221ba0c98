import { OperandKind, type DecodedInstruction } from "../decoder/decoded-instruction.js";
import type { Block } from "./block-compiler.js";
import type { Cpu } from "./cpu.js";

/** Runs one instruction; rip already points past it. */
export type Handler = (cpu: Cpu, i: Instr) => void;

/**
 * A decoded instruction kept in the decode cache: the decoder's fields the handlers need,
 * flattened into plain properties, and the handler chosen for it.
 */
export class Instr {
  readonly mnemonic: string;
  readonly length: number;
  /** Address of the instruction. */
  readonly ip: number;
  /** Address of the next instruction. */
  readonly next: number;
  readonly opsize: number;
  readonly addrSize: number;
  readonly prefixes: number;
  readonly rex: number;
  readonly map: number;
  readonly opcode: number;
  readonly modrm: number;
  readonly mandatoryPrefix: number;
  readonly segmentPrefix: number;
  readonly vexL: number;
  readonly vexV: number;
  readonly vexW: number;
  readonly operandCount: number;
  readonly k0: number;
  readonly k1: number;
  readonly k2: number;
  readonly k3: number;
  readonly r0: number;
  readonly r1: number;
  readonly r2: number;
  readonly r3: number;
  readonly s0: number;
  readonly s1: number;
  readonly s2: number;
  readonly s3: number;
  readonly base: number;
  readonly index: number;
  readonly scale: number;
  readonly disp: number;
  readonly imm: number;
  readonly immHi: number;
  readonly imm2: number;
  readonly target: number;
  /** OperandKind.Memory or MemoryOffset when an operand is in memory, else 0. */
  readonly memory: number;
  /** Whether the decoder marks it a branch (jcc, jmp, call, ret, loop, int, syscall). */
  readonly branch: boolean;
  /** Flags read, one bit per letter of "cpazsodi" (from the decoder's data). */
  readonly flagsRead: number;
  /** Flags written or left undefined, one bit per letter of "cpazsodi". */
  readonly flagsWritten: number;
  /** Times execution arrived here from elsewhere than the previous instruction's fall-through. */
  heat = 0;
  /** The compiled block that starts here, once it is hot. */
  block: Block | undefined = undefined;
  /** The handler; replaced by a specialised one on first run where that pays. */
  exec: Handler;

  constructor(d: DecodedInstruction, exec: Handler) {
    this.mnemonic = d.mnemonic;
    this.length = d.length;
    this.ip = d.ip;
    this.next = d.ip + d.length;
    this.opsize = d.operandSize;
    this.addrSize = d.addressSize;
    this.prefixes = d.prefixes;
    this.rex = d.rex;
    this.map = d.map;
    this.opcode = d.opcode;
    this.modrm = d.modrm;
    this.mandatoryPrefix = d.mandatoryPrefix;
    this.segmentPrefix = d.segmentPrefix;
    this.vexL = d.vexL;
    this.vexV = d.vexV;
    this.vexW = d.vexW;
    this.operandCount = d.operandCount;
    const k = d.operandKind;
    const r = d.operandRegister;
    const s = d.operandBytes;
    this.k0 = k[0]!;
    this.k1 = k[1]!;
    this.k2 = k[2]!;
    this.k3 = k[3]!;
    this.r0 = r[0]!;
    this.r1 = r[1]!;
    this.r2 = r[2]!;
    this.r3 = r[3]!;
    this.s0 = s[0]!;
    this.s1 = s[1]!;
    this.s2 = s[2]!;
    this.s3 = s[3]!;
    this.base = d.memoryBase;
    this.index = d.memoryIndex;
    this.scale = d.memoryScale;
    this.disp = d.memoryDisplacement;
    this.imm = d.immediate;
    this.immHi = d.immediateHigh;
    this.imm2 = d.immediate2;
    this.target = d.branchTarget;
    this.branch = d.branchKind !== 0;
    this.flagsRead = d.flagsRead;
    this.flagsWritten = d.flagsWritten;
    this.memory = 0;
    for (let n = 0; n < 4; n++) if (k[n] === OperandKind.Memory || k[n] === OperandKind.MemoryOffset) this.memory = k[n]!;
    this.exec = exec;
  }
}

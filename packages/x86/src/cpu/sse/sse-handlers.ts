// SSE_HANDLERS: every non-VEX SSE–SSE4.2, MMX, AES-NI and PCLMULQDQ mnemonic of
// data/opcodes.txt, keyed as the decoder names it. Lane semantics live in the *-ops files;
// this file moves operands, brackets floating-point work with MXCSR, and raises the faults.
import { OperandKind } from "../../decoder/decoded-instruction.js";
import { RegClass } from "../../decoder/registers.js";
import type { Cpu } from "../cpu.js";
import { Vector } from "../exit.js";
import type { Handler, Instr } from "../instr.js";
import { AES_OPS } from "./aes.js";
import { pclmulqdq } from "./carryless-multiply.js";
import { crc32cBytes } from "./crc32c.js";
import { COMIS_FLAGS, compareF32, compareF64 } from "./float-compare.js";
import { convertHigh, f32ToInt, f64ToInt, intToF32, intToF64 } from "./float-convert.js";
import { FLOAT_OPS } from "./float-ops.js";
import { INTEGER_OPS, SHIFT_IMM_OPS } from "./integer-ops.js";
import { type LaneOp, Lanes, implicitXmm0 } from "./lanes.js";
import { emptyMmxState } from "./mmx-registers.js";
import { Mxcsr, beginFp, fpEnv, unmaskedExceptions } from "./mxcsr.js";
import { isMmx, loadOperand, loadRegister, memoryAddress, storeMemory, storeRegister, writeGeneral } from "./operands.js";
import { compareStrings, explicitLength, implicitLength, writeMask } from "./string-compare.js";

const D = new Lanes();
const S = new Lanes();
/** RFLAGS status bits (CF PF AF ZF SF OF). */
const STATUS = 0x8d5;
const REX_W = 8;

/** Legacy-SSE 16-byte memory operands must be aligned, except for these. */
const UNALIGNED = new Set(["movups", "movupd", "movdqu", "lddqu"]);

function isAligned(i: Instr): boolean {
  return !UNALIGNED.has(i.mnemonic);
}

/**
 * Merges the instruction's exception flags into MXCSR, or raises #XM (destination unchanged)
 * when one is unmasked. As on hardware, an unmasked pre-computation exception (IE, DE, ZE)
 * reports only the pre-computation flags: the post-computation ones (OE, UE, PE) are not set.
 */
function finishFp(cpu: Cpu): void {
  const flags = fpEnv.flags;
  if (flags === 0) return;
  const pre = flags & (Mxcsr.IE | Mxcsr.DE | Mxcsr.ZE);
  if (unmaskedExceptions(cpu.mxcsr, pre) !== 0) {
    cpu.mxcsr |= pre;
    cpu.raise(Vector.XM);
  }
  cpu.mxcsr |= flags;
  if (unmaskedExceptions(cpu.mxcsr, flags) !== 0) cpu.raise(Vector.XM);
}

/** Loads the source operand (operand 1) of a two-operand form into S. */
function loadSource(cpu: Cpu, i: Instr): void {
  loadOperand(cpu, i, i.k1, i.r1, i.s1 === 0 ? 16 : i.s1, S, isAligned(i));
}

/**
 * The common shape: operand 0 is an XMM or MMX register (destination and first source),
 * operand 1 a register or memory source, then an optional immediate or implicit XMM0.
 */
function laneHandler(op: LaneOp, float: boolean): Handler {
  return (cpu, i) => {
    let imm = 0;
    if (i.k1 === OperandKind.Immediate) {
      imm = i.imm & 0xff; // shift by immediate: operand 0 is the only register
    } else {
      loadSource(cpu, i);
      if (i.k2 === OperandKind.Immediate) imm = i.imm & 0xff;
      else if (i.k2 === OperandKind.Register) loadRegister(cpu, i.r2, implicitXmm0);
    }
    const bytes = loadRegister(cpu, i.r0, D);
    if (float) {
      beginFp(cpu.mxcsr);
      op(D, i.k1 === OperandKind.Immediate ? D : S, imm, bytes);
      finishFp(cpu);
    } else op(D, i.k1 === OperandKind.Immediate ? D : S, imm, bytes);
    storeRegister(cpu, i.r0, D);
  };
}

/** MOVAPS/MOVUPS/MOVDQA/MOVNT…: a whole register to or from a register or memory. */
const moveWhole: Handler = (cpu, i) => {
  const size = isMmx(i.r0) || isMmx(i.r1) ? 8 : 16;
  if (i.k0 === OperandKind.Register) {
    loadOperand(cpu, i, i.k1, i.r1, size, S, isAligned(i));
    storeRegister(cpu, i.r0, S);
  } else {
    loadRegister(cpu, i.r1, S);
    storeMemory(cpu, i, S, size, isAligned(i));
  }
};

/** MOVSS/MOVSD: register to register merges the low lane; a load zeroes the rest; a store writes the lane. */
function moveScalar(width: 4 | 8): Handler {
  return (cpu, i) => {
    if (i.k0 !== OperandKind.Register) {
      loadRegister(cpu, i.r1, S);
      storeMemory(cpu, i, S, width, false);
      return;
    }
    if (i.k1 === OperandKind.Register) {
      loadRegister(cpu, i.r1, S);
      loadRegister(cpu, i.r0, D);
    } else {
      cpu.readBytes(memoryAddress(cpu, i, false), S.u8, 0, width);
      D.u32.fill(0);
    }
    D.i32[0] = S.i32[0]!;
    if (width === 8) D.i32[1] = S.i32[1]!;
    storeRegister(cpu, i.r0, D);
  };
}

/** MOVLPS/MOVHPS/MOVLPD/MOVHPD: one 64-bit half to or from memory. */
function moveHalf(high: boolean): Handler {
  const at = high ? 2 : 0;
  return (cpu, i) => {
    if (i.k0 === OperandKind.Register) {
      cpu.readBytes(memoryAddress(cpu, i, false), S.u8, 0, 8);
      loadRegister(cpu, i.r0, D);
      D.i32[at] = S.i32[0]!;
      D.i32[at + 1] = S.i32[1]!;
      storeRegister(cpu, i.r0, D);
    } else {
      loadRegister(cpu, i.r1, S);
      S.i32[0] = S.i32[at]!;
      S.i32[1] = S.i32[at + 1]!;
      storeMemory(cpu, i, S, 8, false);
    }
  };
}

/**
 * MOVD/MOVQ in all their forms, MOVQ2DQ and MOVDQ2Q: the low `width` bytes of the source;
 * an XMM destination is zero-extended, a GPR destination written as its size says.
 */
function moveLow(width: 4 | 8): Handler {
  return (cpu, i) => {
    S.u32.fill(0);
    if (i.k1 === OperandKind.Register) loadRegister(cpu, i.r1, S);
    else cpu.readBytes(memoryAddress(cpu, i, false), S.u8, 0, width);
    if (width === 4) S.i32[1] = 0;
    if (i.k0 !== OperandKind.Register) {
      storeMemory(cpu, i, S, width, false);
      return;
    }
    const cls = i.r0 >> 5;
    if (cls === RegClass.Xmm || cls === RegClass.Mmx) {
      S.i32[2] = 0;
      S.i32[3] = 0;
      storeRegister(cpu, i.r0, S);
    } else writeGeneral(cpu, i.r0, S.i32[0]!, S.i32[1]!);
  };
}

/** MOVMSKPS/MOVMSKPD/PMOVMSKB: sign bits of the source lanes into a GPR. */
function moveMask(laneBytes: 1 | 4 | 8): Handler {
  return (cpu, i) => {
    const bytes = loadRegister(cpu, i.r1, S);
    let mask = 0;
    for (let k = 0, bit = 0; k < bytes; k += laneBytes, bit++) if (S.u8[k + laneBytes - 1]! & 0x80) mask |= 1 << bit;
    writeGeneral(cpu, i.r0, mask, 0);
  };
}

/** PEXTRB/PEXTRW/PEXTRD/PEXTRQ/EXTRACTPS: one lane to a GPR (zero-extended) or memory. */
function extract(laneBytes: 1 | 2 | 4 | 8): Handler {
  return (cpu, i) => {
    const bytes = loadRegister(cpu, i.r1, S);
    const lane = (i.imm & 0xff) % (bytes / laneBytes);
    const at = lane * laneBytes;
    let lo = laneBytes === 1 ? S.u8[at]! : laneBytes === 2 ? S.u16[at / 2]! : S.i32[at / 4]!;
    const hi = laneBytes === 8 ? S.i32[at / 4 + 1]! : 0;
    if (i.k0 === OperandKind.Register) {
      if (laneBytes === 4 && i.r0 >> 5 === RegClass.Gpr64) lo = S.i32[at / 4]!; // extractps r64: zero-extend
      writeGeneral(cpu, i.r0, lo, hi);
      return;
    }
    D.i32[0] = lo;
    D.i32[1] = hi;
    storeMemory(cpu, i, D, laneBytes, false);
  };
}

/** PINSRB/PINSRW/PINSRD/PINSRQ: a GPR or memory value into one lane. */
function insert(laneBytes: 1 | 2 | 4 | 8): Handler {
  return (cpu, i) => {
    if (i.k1 === OperandKind.Register) loadRegister(cpu, i.r1, S);
    else cpu.readBytes(memoryAddress(cpu, i, false), S.u8, 0, laneBytes);
    const bytes = loadRegister(cpu, i.r0, D);
    const at = ((i.imm & 0xff) % (bytes / laneBytes)) * laneBytes;
    for (let k = 0; k < laneBytes; k++) D.u8[at + k] = S.u8[k]!;
    storeRegister(cpu, i.r0, D);
  };
}

/** INSERTPS: from memory the lane is the loaded dword, so the source-lane field is ignored. */
const insertps: Handler = (cpu, i) => {
  loadSource(cpu, i);
  loadRegister(cpu, i.r0, D);
  FLOAT_OPS.insertps!(D, S, i.k1 === OperandKind.Register ? i.imm & 0xff : i.imm & 0x3f, 16);
  storeRegister(cpu, i.r0, D);
};

/** The signed integer source of CVTSI2SS/SD: low half in D.i32[0], high in D.i32[1]. */
function loadInteger(cpu: Cpu, i: Instr): void {
  if (i.k1 === OperandKind.Register) loadRegister(cpu, i.r1, D);
  else cpu.readBytes(memoryAddress(cpu, i, false), D.u8, 0, i.s1);
  if (i.s1 === 4) D.i32[1] = D.i32[0]! < 0 ? -1 : 0;
}

function intToFloat(double: boolean): Handler {
  return (cpu, i) => {
    loadInteger(cpu, i);
    loadRegister(cpu, i.r0, S);
    beginFp(cpu.mxcsr);
    if (double) S.f64[0] = intToF64(D.i32[0]!, D.i32[1]!);
    else S.i32[0] = intToF32(D.i32[0]!, D.i32[1]!);
    finishFp(cpu);
    storeRegister(cpu, i.r0, S);
  };
}

function floatToInt(double: boolean, truncate: boolean): Handler {
  return (cpu, i) => {
    loadOperand(cpu, i, i.k1, i.r1, double ? 8 : 4, S, false);
    const bits = i.s0 === 8 ? 64 : 32;
    beginFp(cpu.mxcsr);
    const lo = double ? f64ToInt(S.f64[0]!, bits, truncate) : f32ToInt(S.i32[0]!, bits, truncate);
    const hi = bits === 64 ? convertHigh : 0;
    finishFp(cpu);
    writeGeneral(cpu, i.r0, lo, hi);
  };
}

function compareToFlags(double: boolean, signalling: boolean): Handler {
  return (cpu, i) => {
    loadOperand(cpu, i, i.k1, i.r1, double ? 8 : 4, S, false);
    loadRegister(cpu, i.r0, D);
    beginFp(cpu.mxcsr);
    const r = double ? compareF64(D.f64[0]!, S.f64[0]!, signalling) : compareF32(D.i32[0]!, S.i32[0]!, signalling);
    finishFp(cpu);
    cpu.setFlagBits(COMIS_FLAGS[r]!, STATUS);
  };
}

const ptest: Handler = (cpu, i) => {
  loadSource(cpu, i);
  loadRegister(cpu, i.r0, D);
  let and = 0;
  let andNot = 0;
  for (let k = 0; k < 4; k++) {
    and |= D.i32[k]! & S.i32[k]!;
    andNot |= ~D.i32[k]! & S.i32[k]!;
  }
  cpu.setFlagBits((and === 0 ? 0x40 : 0) | (andNot === 0 ? 0x1 : 0), STATUS);
};

/** PCMPESTRI/PCMPESTRM/PCMPISTRI/PCMPISTRM. */
function stringCompare(explicit: boolean, toMask: boolean): Handler {
  return (cpu, i) => {
    loadSource(cpu, i);
    loadRegister(cpu, i.r0, D);
    const imm = i.imm & 0xff;
    const words = (imm & 1) !== 0;
    const wide = (i.rex & REX_W) !== 0;
    const lenA = explicit ? explicitLength(cpu.gpr[0]!, cpu.gpr[1]!, wide, words) : implicitLength(D, words);
    const lenB = explicit ? explicitLength(cpu.gpr[4]!, cpu.gpr[5]!, wide, words) : implicitLength(S, words);
    const r = compareStrings(D, S, lenA, lenB, imm);
    if (toMask) {
      writeMask(D, r.mask, imm);
      storeRegister(cpu, RegClass.Xmm * 32, D);
    } else {
      cpu.gpr[2] = r.index; // ECX, zero-extended into RCX
      cpu.gpr[3] = 0;
    }
    cpu.setFlagBits(r.flags, STATUS);
  };
}

const crc32: Handler = (cpu, i) => {
  const size = i.s1;
  let lo: number;
  let hi = 0;
  if (i.k1 === OperandKind.Register) {
    loadRegister(cpu, i.r1, S);
    lo = S.i32[0]!;
    hi = S.i32[1]!;
  } else {
    lo = size === 8 ? cpu.read64(cpu.ea(i)) : cpu.load(cpu.ea(i), size);
    if (size === 8) hi = cpu.hi;
  }
  let crc = crc32cBytes(cpu.gpr[2 * (i.r0 & 31)]!, lo, Math.min(size, 4));
  if (size === 8) crc = crc32cBytes(crc, hi, 4);
  writeGeneral(cpu, i.r0, crc | 0, 0);
};

const ldmxcsr: Handler = (cpu, i) => {
  const v = cpu.read32(cpu.ea(i)) >>> 0;
  if (v & ~Mxcsr.WRITABLE) cpu.raise(Vector.GP, 0);
  cpu.mxcsr = v;
};

const stmxcsr: Handler = (cpu, i) => {
  cpu.write32(cpu.ea(i), cpu.mxcsr);
};

/** MASKMOVQ/MASKMOVDQU: the bytes of operand 0 whose mask byte has bit 7 set, to [rdi]. */
const maskMove: Handler = (cpu, i) => {
  const bytes = loadRegister(cpu, i.r0, D);
  loadRegister(cpu, i.r1, S);
  let va = i.addrSize === 4 ? cpu.gpr[14]! >>> 0 : cpu.regNumber(7);
  if (i.segmentPrefix === 0x64) va += cpu.fsBase;
  else if (i.segmentPrefix === 0x65) va += cpu.gsBase;
  let any = false;
  for (let k = 0; k < bytes; k++) any ||= (S.u8[k]! & 0x80) !== 0;
  if (!any) return;
  cpu.checkWritable(va, bytes);
  for (let k = 0; k < bytes; k++) if (S.u8[k]! & 0x80) cpu.write8(va + k, D.u8[k]!);
};

const movnti: Handler = (cpu, i) => {
  loadRegister(cpu, i.r1, S);
  storeMemory(cpu, i, S, i.s0, false);
};

const nothing: Handler = () => {};

function build(): Record<string, Handler> {
  const table: Record<string, Handler> = {};
  for (const [name, op] of Object.entries(FLOAT_OPS)) table[name] = laneHandler(op, true);
  for (const [name, op] of Object.entries({ ...INTEGER_OPS, ...AES_OPS, pclmulqdq })) table[name] = laneHandler(op, false);
  // Shifts exist by register/memory count and by immediate under one mnemonic.
  for (const [name, byImm] of Object.entries(SHIFT_IMM_OPS)) {
    const byReg = INTEGER_OPS[name];
    const imm = laneHandler(byImm, false);
    const reg = byReg === undefined ? imm : laneHandler(byReg, false);
    table[name] = (cpu, i) => (i.k1 === OperandKind.Immediate ? imm(cpu, i) : reg(cpu, i));
  }
  for (const [logical, integer] of [
    ["andps", "pand"], ["andpd", "pand"], ["andnps", "pandn"], ["andnpd", "pandn"],
    ["orps", "por"], ["orpd", "por"], ["xorps", "pxor"], ["xorpd", "pxor"],
    ["unpcklps", "punpckldq"], ["unpckhps", "punpckhdq"], ["unpcklpd", "punpcklqdq"], ["unpckhpd", "punpckhqdq"],
  ] as const) {
    table[logical] = laneHandler(INTEGER_OPS[integer]!, false);
  }
  for (const name of ["movaps", "movapd", "movups", "movupd", "movdqa", "movdqu", "lddqu", "movntps", "movntpd", "movntdq", "movntdqa", "movntq"]) {
    table[name] = moveWhole;
  }
  Object.assign(table, {
    insertps,
    movss: moveScalar(4),
    movsd: moveScalar(8),
    movlps: moveHalf(false),
    movlpd: moveHalf(false),
    movhps: moveHalf(true),
    movhpd: moveHalf(true),
    movd: moveLow(4),
    movq: moveLow(8),
    movq2dq: moveLow(8),
    movdq2q: moveLow(8),
    movmskps: moveMask(4),
    movmskpd: moveMask(8),
    pmovmskb: moveMask(1),
    pextrb: extract(1),
    pextrw: extract(2),
    pextrd: extract(4),
    pextrq: extract(8),
    extractps: extract(4),
    pinsrb: insert(1),
    pinsrw: insert(2),
    pinsrd: insert(4),
    pinsrq: insert(8),
    cvtsi2ss: intToFloat(false),
    cvtsi2sd: intToFloat(true),
    cvtss2si: floatToInt(false, false),
    cvttss2si: floatToInt(false, true),
    cvtsd2si: floatToInt(true, false),
    cvttsd2si: floatToInt(true, true),
    comiss: compareToFlags(false, true),
    ucomiss: compareToFlags(false, false),
    comisd: compareToFlags(true, true),
    ucomisd: compareToFlags(true, false),
    ptest,
    pcmpestri: stringCompare(true, false),
    pcmpestrm: stringCompare(true, true),
    pcmpistri: stringCompare(false, false),
    pcmpistrm: stringCompare(false, true),
    crc32,
    ldmxcsr,
    stmxcsr,
    maskmovq: maskMove,
    maskmovdqu: maskMove,
    movnti,
    emms: (cpu: Cpu) => emptyMmxState(cpu),
    prefetchnta: nothing,
    prefetcht0: nothing,
    prefetcht1: nothing,
    prefetcht2: nothing,
    lfence: nothing,
    mfence: nothing,
    sfence: nothing,
  } satisfies Record<string, Handler>);
  return table;
}

/**
 * Handlers for every SSE, SSE2, SSE3, SSSE3, SSE4.1, SSE4.2, MMX, AES-NI and PCLMULQDQ
 * mnemonic (legacy, non-VEX encodings), keyed by the decoder's mnemonic.
 */
export const SSE_HANDLERS: Record<string, Handler> = build();


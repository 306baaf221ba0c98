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
import { type LaneOp, Lanes, implicitXmm0 as sharedImplicitXmm0 } from "./lanes.js";
import { emptyMmxState } from "./mmx-registers.js";
import { Mxcsr, beginFp, fpEnv, unmaskedExceptions } from "./mxcsr.js";
import { isMmx, loadMemory, loadOperand, loadRegister, memoryAddress, storeMemory, storeRegister, writeGeneral, xmmRegisters } from "./operands.js";
import { compareStrings, explicitLength, implicitLength, writeMask } from "./string-compare.js";
const implicitXmm0 = sharedImplicitXmm0; // a local binding: see the note on getters in sse-handlers.ts

// Imported constants and functions copied into locals: loaders that wrap live bindings in
// getters (tsx) would otherwise call one per use in these hot paths.
const _loadOperand = loadOperand;
const _xmmRegisters = xmmRegisters;
const _loadMemory = loadMemory;
const _loadRegister = loadRegister;
const _storeRegister = storeRegister;
const _memoryAddress = memoryAddress;
const _storeMemory = storeMemory;
const _writeGeneral = writeGeneral;
const _beginFp = beginFp;
const _unmaskedExceptions = unmaskedExceptions;
const _isMmx = isMmx;
const DE = Mxcsr.DE;
const IE = Mxcsr.IE;
const WRITABLE = Mxcsr.WRITABLE;
const MASKS = Mxcsr.MASKS;
const ZE = Mxcsr.ZE;
const IMMEDIATE = OperandKind.Immediate;
const REGISTER = OperandKind.Register;
const GPR64 = RegClass.Gpr64;
const MMX = RegClass.Mmx;
const XMM = RegClass.Xmm;
const env = fpEnv;

const D = new Lanes();
const S = new Lanes();
/** RFLAGS status bits (CF PF AF ZF SF OF). */
const STATUS = 0x8d5;
const REX_W = 8;

/** Legacy-SSE 16-byte memory operands must be aligned, except for these. */
const UNALIGNED = new Set(["movups", "movupd", "movdqu", "lddqu"]);

/**
 * Merges the instruction's exception flags into MXCSR, or raises #XM (destination unchanged)
 * when one is unmasked. As on hardware, an unmasked pre-computation exception (IE, DE, ZE)
 * reports only the pre-computation flags: the post-computation ones (OE, UE, PE) are not set.
 */
function finishFp(cpu: Cpu): void {
  const flags = env.flags;
  if (flags === 0) return;
  const pre = flags & (IE | DE | ZE);
  if (_unmaskedExceptions(cpu.mxcsr, pre) !== 0) {
    cpu.mxcsr |= pre;
    cpu.raise(Vector.XM);
  }
  cpu.mxcsr |= flags;
  if (_unmaskedExceptions(cpu.mxcsr, flags) !== 0) cpu.raise(Vector.XM);
}

/** Loads the source operand (operand 1) of a two-operand form into S; 16-byte memory must be aligned. */
function loadSource(cpu: Cpu, i: Instr): void {
  _loadOperand(cpu, i, i.k1, i.r1, i.s1 === 0 ? 16 : i.s1, S, true);
}

/**
 * The common shape: operand 0 is an XMM or MMX register (destination and first source),
 * operand 1 a register or memory source, then an optional immediate or implicit XMM0.
 * On XMM registers the operation runs in place (every LaneOp tolerates d and s being the same
 * register) unless it could still fault: a floating-point one with an exception unmasked must
 * leave the destination unchanged on #XM, so it works on a copy.
 */
function laneHandler(op: LaneOp, float: boolean): Handler {
  const copying = copyingLaneHandler(op, float);
  return (cpu, i) => {
    if (i.r0 >> 5 !== XMM || (float && (cpu.mxcsr & MASKS) !== MASKS)) return copying(cpu, i);
    const registers = _xmmRegisters(cpu);
    const d = registers[i.r0 & 31]!;
    let s = d;
    let imm = 0;
    if (i.k1 === IMMEDIATE) imm = i.imm & 0xff;
    else {
      if (i.k1 === REGISTER && i.r1 >> 5 === XMM) s = registers[i.r1 & 31]!;
      else {
        loadSource(cpu, i);
        s = S;
      }
      if (i.k2 === IMMEDIATE) imm = i.imm & 0xff;
      else if (i.k2 === REGISTER) _loadRegister(cpu, i.r2, implicitXmm0);
    }
    if (!float) return op(d, s, imm, 16);
    _beginFp(cpu.mxcsr);
    op(d, s, imm, 16);
    cpu.mxcsr |= env.flags;
  };
}

/** {@link laneHandler} through the D and S copies (MMX registers, floating point). */
function copyingLaneHandler(op: LaneOp, float: boolean): Handler {
  return (cpu, i) => {
    let imm = 0;
    if (i.k1 === IMMEDIATE) {
      imm = i.imm & 0xff; // shift by immediate: operand 0 is the only register
    } else {
      loadSource(cpu, i);
      if (i.k2 === IMMEDIATE) imm = i.imm & 0xff;
      else if (i.k2 === REGISTER) _loadRegister(cpu, i.r2, implicitXmm0);
    }
    const bytes = _loadRegister(cpu, i.r0, D);
    if (float) {
      _beginFp(cpu.mxcsr);
      op(D, i.k1 === IMMEDIATE ? D : S, imm, bytes);
      finishFp(cpu);
    } else op(D, i.k1 === IMMEDIATE ? D : S, imm, bytes);
    _storeRegister(cpu, i.r0, D);
  };
}

/** MOVAPS/MOVUPS/MOVDQA/MOVNT…: a whole register to or from a register or memory. */
function moveWhole(aligned: boolean): Handler {
  return (cpu, i) => {
    const size = _isMmx(i.r0) || _isMmx(i.r1) ? 8 : 16;
    if (i.k0 === REGISTER) {
      _loadOperand(cpu, i, i.k1, i.r1, size, S, aligned);
      _storeRegister(cpu, i.r0, S);
    } else {
      _loadRegister(cpu, i.r1, S);
      _storeMemory(cpu, i, S, size, aligned);
    }
  };
}

/** MOVSS/MOVSD: register to register merges the low lane; a load zeroes the rest; a store writes the lane. */
function moveScalar(width: 4 | 8): Handler {
  return (cpu, i) => {
    if (i.k0 !== REGISTER) {
      _loadRegister(cpu, i.r1, S);
      _storeMemory(cpu, i, S, width, false);
      return;
    }
    if (i.k1 === REGISTER) {
      _loadRegister(cpu, i.r1, S);
      _loadRegister(cpu, i.r0, D);
    } else {
      _loadMemory(cpu, _memoryAddress(cpu, i, false), width, S);
      D.u32.fill(0);
    }
    D.i32[0] = S.i32[0]!;
    if (width === 8) D.i32[1] = S.i32[1]!;
    _storeRegister(cpu, i.r0, D);
  };
}

/** MOVLPS/MOVHPS/MOVLPD/MOVHPD: one 64-bit half to or from memory. */
function moveHalf(high: boolean): Handler {
  const at = high ? 2 : 0;
  return (cpu, i) => {
    if (i.k0 === REGISTER) {
      _loadMemory(cpu, _memoryAddress(cpu, i, false), 8, S);
      _loadRegister(cpu, i.r0, D);
      D.i32[at] = S.i32[0]!;
      D.i32[at + 1] = S.i32[1]!;
      _storeRegister(cpu, i.r0, D);
    } else {
      _loadRegister(cpu, i.r1, S);
      S.i32[0] = S.i32[at]!;
      S.i32[1] = S.i32[at + 1]!;
      _storeMemory(cpu, i, S, 8, false);
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
    if (i.k1 === REGISTER) _loadRegister(cpu, i.r1, S);
    else _loadMemory(cpu, _memoryAddress(cpu, i, false), width, S);
    if (width === 4) S.i32[1] = 0;
    if (i.k0 !== REGISTER) {
      _storeMemory(cpu, i, S, width, false);
      return;
    }
    const cls = i.r0 >> 5;
    if (cls === XMM || cls === MMX) {
      S.i32[2] = 0;
      S.i32[3] = 0;
      _storeRegister(cpu, i.r0, S);
    } else _writeGeneral(cpu, i.r0, S.i32[0]!, S.i32[1]!);
  };
}

/** MOVMSKPS/MOVMSKPD/PMOVMSKB: sign bits of the source lanes into a GPR. */
function moveMask(laneBytes: 1 | 4 | 8): Handler {
  return (cpu, i) => {
    const bytes = _loadRegister(cpu, i.r1, S);
    let mask = 0;
    for (let k = 0, bit = 0; k < bytes; k += laneBytes, bit++) if (S.u8[k + laneBytes - 1]! & 0x80) mask |= 1 << bit;
    _writeGeneral(cpu, i.r0, mask, 0);
  };
}

/** PEXTRB/PEXTRW/PEXTRD/PEXTRQ/EXTRACTPS: one lane to a GPR (zero-extended) or memory. */
function extract(laneBytes: 1 | 2 | 4 | 8): Handler {
  return (cpu, i) => {
    const bytes = _loadRegister(cpu, i.r1, S);
    const lane = (i.imm & 0xff) % (bytes / laneBytes);
    const at = lane * laneBytes;
    let lo = laneBytes === 1 ? S.u8[at]! : laneBytes === 2 ? S.u16[at / 2]! : S.i32[at / 4]!;
    const hi = laneBytes === 8 ? S.i32[at / 4 + 1]! : 0;
    if (i.k0 === REGISTER) {
      if (laneBytes === 4 && i.r0 >> 5 === GPR64) lo = S.i32[at / 4]!; // extractps r64: zero-extend
      _writeGeneral(cpu, i.r0, lo, hi);
      return;
    }
    D.i32[0] = lo;
    D.i32[1] = hi;
    _storeMemory(cpu, i, D, laneBytes, false);
  };
}

/** PINSRB/PINSRW/PINSRD/PINSRQ: a GPR or memory value into one lane. */
function insert(laneBytes: 1 | 2 | 4 | 8): Handler {
  return (cpu, i) => {
    if (i.k1 === REGISTER) _loadRegister(cpu, i.r1, S);
    else _loadMemory(cpu, _memoryAddress(cpu, i, false), laneBytes, S);
    const bytes = _loadRegister(cpu, i.r0, D);
    const at = ((i.imm & 0xff) % (bytes / laneBytes)) * laneBytes;
    for (let k = 0; k < laneBytes; k++) D.u8[at + k] = S.u8[k]!;
    _storeRegister(cpu, i.r0, D);
  };
}

/** INSERTPS: from memory the lane is the loaded dword, so the source-lane field is ignored. */
const insertps: Handler = (cpu, i) => {
  loadSource(cpu, i);
  _loadRegister(cpu, i.r0, D);
  FLOAT_OPS.insertps!(D, S, i.k1 === REGISTER ? i.imm & 0xff : i.imm & 0x3f, 16);
  _storeRegister(cpu, i.r0, D);
};

/** The signed integer source of CVTSI2SS/SD: low half in D.i32[0], high in D.i32[1]. */
function loadInteger(cpu: Cpu, i: Instr): void {
  if (i.k1 === REGISTER) _loadRegister(cpu, i.r1, D);
  else _loadMemory(cpu, _memoryAddress(cpu, i, false), i.s1, D);
  if (i.s1 === 4) D.i32[1] = D.i32[0]! < 0 ? -1 : 0;
}

function intToFloat(double: boolean): Handler {
  return (cpu, i) => {
    loadInteger(cpu, i);
    _loadRegister(cpu, i.r0, S);
    _beginFp(cpu.mxcsr);
    if (double) S.f64[0] = intToF64(D.i32[0]!, D.i32[1]!);
    else S.i32[0] = intToF32(D.i32[0]!, D.i32[1]!);
    finishFp(cpu);
    _storeRegister(cpu, i.r0, S);
  };
}

function floatToInt(double: boolean, truncate: boolean): Handler {
  return (cpu, i) => {
    _loadOperand(cpu, i, i.k1, i.r1, double ? 8 : 4, S, false);
    const bits = i.s0 === 8 ? 64 : 32;
    _beginFp(cpu.mxcsr);
    const lo = double ? f64ToInt(S.f64[0]!, bits, truncate) : f32ToInt(S.i32[0]!, bits, truncate);
    const hi = bits === 64 ? convertHigh : 0;
    finishFp(cpu);
    _writeGeneral(cpu, i.r0, lo, hi);
  };
}

function compareToFlags(double: boolean, signalling: boolean): Handler {
  return (cpu, i) => {
    _loadOperand(cpu, i, i.k1, i.r1, double ? 8 : 4, S, false);
    _loadRegister(cpu, i.r0, D);
    _beginFp(cpu.mxcsr);
    const r = double ? compareF64(D.f64[0]!, S.f64[0]!, signalling) : compareF32(D.i32[0]!, S.i32[0]!, signalling);
    finishFp(cpu);
    cpu.setFlagBits(COMIS_FLAGS[r]!, STATUS);
  };
}

const ptest: Handler = (cpu, i) => {
  loadSource(cpu, i);
  _loadRegister(cpu, i.r0, D);
  let and = 0;
  let andNot = 0;
  for (let k = 0; k < 4; k++) {
    and |= D.i32[k]! & S.i32[k]!;
    andNot |= ~D.i32[k]! & S.i32[k]!;
  }
  cpu.setFlagBits((and === 0 ? 0x40 : 0) | (andNot === 0 ? 0x1 : 0), STATUS);
};

/** PCMPESTRI/PCMPESTRM/PCMPISTRI/PCMPISTRM; their memory operand need not be aligned. */
function stringCompare(explicit: boolean, toMask: boolean): Handler {
  return (cpu, i) => {
    _loadOperand(cpu, i, i.k1, i.r1, 16, S, false);
    _loadRegister(cpu, i.r0, D);
    const imm = i.imm & 0xff;
    const words = (imm & 1) !== 0;
    const wide = (i.rex & REX_W) !== 0;
    const lenA = explicit ? explicitLength(cpu.gpr[0]!, cpu.gpr[1]!, wide, words) : implicitLength(D, words);
    const lenB = explicit ? explicitLength(cpu.gpr[4]!, cpu.gpr[5]!, wide, words) : implicitLength(S, words);
    const r = compareStrings(D, S, lenA, lenB, imm);
    if (toMask) {
      writeMask(D, r.mask, imm);
      _storeRegister(cpu, XMM * 32, D);
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
  if (i.k1 === REGISTER) {
    _loadRegister(cpu, i.r1, S);
    lo = S.i32[0]!;
    hi = S.i32[1]!;
  } else {
    lo = size === 8 ? cpu.read64(cpu.ea(i)) : cpu.load(cpu.ea(i), size);
    if (size === 8) hi = cpu.hi;
  }
  let crc = crc32cBytes(cpu.gpr[2 * (i.r0 & 31)]!, lo, Math.min(size, 4));
  if (size === 8) crc = crc32cBytes(crc, hi, 4);
  _writeGeneral(cpu, i.r0, crc | 0, 0);
};

const ldmxcsr: Handler = (cpu, i) => {
  const v = cpu.read32(cpu.ea(i)) >>> 0;
  if (v & ~WRITABLE) cpu.raise(Vector.GP, 0);
  cpu.mxcsr = v;
};

const stmxcsr: Handler = (cpu, i) => {
  cpu.write32(cpu.ea(i), cpu.mxcsr);
};

/** MASKMOVQ/MASKMOVDQU: the bytes of operand 0 whose mask byte has bit 7 set, to [rdi]. */
const maskMove: Handler = (cpu, i) => {
  const bytes = _loadRegister(cpu, i.r0, D);
  _loadRegister(cpu, i.r1, S);
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
  _loadRegister(cpu, i.r1, S);
  _storeMemory(cpu, i, S, i.s0, false);
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
    table[name] = (cpu, i) => (i.k1 === IMMEDIATE ? imm(cpu, i) : reg(cpu, i));
  }
  for (const [logical, integer] of [
    ["andps", "pand"], ["andpd", "pand"], ["andnps", "pandn"], ["andnpd", "pandn"],
    ["orps", "por"], ["orpd", "por"], ["xorps", "pxor"], ["xorpd", "pxor"],
    ["unpcklps", "punpckldq"], ["unpckhps", "punpckhdq"], ["unpcklpd", "punpcklqdq"], ["unpckhpd", "punpckhqdq"],
  ] as const) {
    table[logical] = laneHandler(INTEGER_OPS[integer]!, false);
  }
  for (const name of ["movaps", "movapd", "movups", "movupd", "movdqa", "movdqu", "lddqu", "movntps", "movntpd", "movntdq", "movntdqa", "movntq"]) {
    table[name] = moveWhole(!UNALIGNED.has(name));
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


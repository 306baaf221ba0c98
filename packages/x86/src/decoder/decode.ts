// Decoding in Blink/XED phases: prefixes → opcode map → form lookup → ModRM/SIB/displacement →
// operands and immediates. Everything lands in a reusable DecodedInstruction.
// Speed: all state lives in locals (no module-level cursor), bytes are read inline, and each
// field of the record is written exactly once, at the end (or by fail()).
import { DecodeError } from "./decode-error.js";
import { DecodedInstruction, OperandKind, Prefix } from "./decoded-instruction.js";
import {
  EXTENSION_NAMES,
  FORM_ATTRS,
  FORM_COND,
  FORM_EXT,
  FORM_MNEMONIC,
  FORM_OPERANDS,
  MNEMONIC_NAMES,
  START,
} from "./generated/tables.js";
import { RegClass } from "./registers.js";

/**
 * Operand specifier indices, identical to OPERAND_SPECS (operand-spec.test.ts checks). A local
 * const enum so the compiler inlines literals and the operand switch becomes a jump table.
 */
const enum Spec {
  None = 0, Gb = 1, Gw = 2, Gd = 3, Gq = 4, Gv = 5, Gy = 6, Eb = 7, Ew = 8, Ed = 9, Eq = 10, Ev = 11,
  Ey = 12, M = 13, Mb = 14, Mw = 15, Md = 16, Mq = 17, Mdq = 18, Mx = 19, Mp = 20, Mt = 21, Mv = 22, My = 23,
  Ib = 24, sIb = 25, Iw = 26, Iz = 27, Iv = 28, Jb = 29, Jz = 30, Ob = 31, Ov = 32, I1 = 33, AL = 34,
  CL = 35, DX = 36, rAX = 37, eAX = 38, XMM0 = 39, ST0 = 40, Zb = 41, Zv = 42, Zq = 43, Zy = 44, Sw = 45,
  Cq = 46, Dq = 47, Pq = 48, Qq = 49, Qd = 50, Nq = 51, Vx = 52, Vdq = 53, Vqq = 54, Wx = 55, Wdq = 56,
  Wq = 57, Wd = 58, Ww = 59, Wb = 60, Ux = 61, Udq = 62, Hx = 63, Hdq = 64, By = 65, Lx = 66, STi = 67,
  Mf32 = 68, Mf64 = 69, Mf80 = 70, Mi16 = 71, Mi32 = 72, Mi64 = 73, Mbcd = 74, Menv = 75, Mst = 76, Ry = 77,
  Rv = 78, Rd = 79, Rq = 80, Xb = 81, Xv = 82, Yb = 83, Yv = 84, Yz = 85, Xz = 86, Mxlat = 87, Mqq = 88,
  Wqq = 89, Mdq2 = 90, AX = 91, FS = 92, GS = 93, ES = 94, CS = 95, SS = 96, DS = 97, VsL4 = 98, VsX8 = 99,
  VsL8 = 100, Kg = 101, Kr = 102, Kh = 103, Tg = 104, Tr = 105, Th = 106, Msib = 107, Ldq = 108, Ap = 109,
  Ma = 110, Ga = 111,
}

const MAX_LENGTH = 15;
const MANDATORY_PREFIX_BYTE = new Uint8Array([0, 0, 0x66, 0xf3, 0xf2, 0]);
/** Prefix selector NF: no F2/F3 (66 stays an operand-size prefix). */
const PREFIX_NF = 5;
/** The 3DNow! map: 0F 0F ModRM [SIB] [disp] suffix. */
const MAP_3DNOW = 7;
const ATTR_D64 = 1 << 20;
const ATTR_F64 = 1 << 21;
const ATTR_I64 = 1 << 22;
const ATTR_LOCK = 1 << 23;
/** MOV to/from control and debug registers: ModRM.mod is ignored and read as 3. */
const ATTR_MODREG = 1 << 24;
/** A last operand that is imm8[3:0] of the is4 byte (vpermil2ps/pd). */
const ATTR_IMM4 = 1 << 25;
/** Three register operands (AMX tiles) that must all differ, or #UD. */
const ATTR_DISTINCT = 1 << 26;
/** Valid only in 64-bit mode. */
const ATTR_O64 = 1 << 27;

/**
 * Everything decode() needs about a form, eight 32-bit words per form in one array (one bounds
 * check, one cache line): condition, operand specifiers, attributes, mnemonic indices for
 * operand sizes 16/32/64, extension index, and REX_USE bits. Derived from the generated tables.
 */
const STRIDE = 8;
const FORM_COUNT = FORM_COND.length;
const FORM = new Int32Array(FORM_COUNT * STRIDE);
/** REX_USE bits: operands read ModRM.reg (R), ModRM.rm (B), MMX Q (B for memory), opcode register (B). */
const USES_REG = 1;
const USES_RM = 2;
const USES_RM_MEMORY = 4;
const USES_OPCODE_REG = 8;
/** Set in REX_USE when the mnemonic differs by operand size (so 66 and REX.W matter). */
const NAMED_BY_SIZE = 16;
/** Bits added to a form's condition word: not valid in 64-bit mode (i64), valid only there (o64). */
const NOT_64 = 1 << 17;
const ONLY_64 = 1 << 18;

/** A form condition with no ModRM kind, reg, rm, W or L requirement (bits 4-16: reg = rm = 8). */
const UNCONDITIONAL = (8 << 5) | (8 << 9);

// Enum values as module constants: reading them needs no property lookup in the hot path.
const {
  Lock: LOCK, Rep: REP, Repne: REPNE, OperandSize: OPERAND_SIZE, AddressSize: ADDRESS_SIZE, Rex: REX,
  Vex: VEX, Segment: SEGMENT_PREFIX,
} = Prefix;
const {
  None: NONE, Truncated: TRUNCATED, TooLong: TOO_LONG, InvalidOpcode: INVALID_OPCODE,
  InvalidGroupEncoding: INVALID_GROUP, InvalidModrmForm: INVALID_MODRM, InvalidIn64BitMode: INVALID_IN_64,
  LockNotAllowed: LOCK_NOT_ALLOWED, VexAfterPrefix: VEX_AFTER_PREFIX, InvalidVexField: INVALID_VEX_FIELD,
  VexVvvvNotUnused: VVVV_NOT_UNUSED, Unsupported: UNSUPPORTED,
} = DecodeError;
const {
  None: NO_OPERAND, Register: REGISTER, Memory: MEMORY, Immediate: IMMEDIATE, Immediate2: IMMEDIATE2,
  BranchTarget: BRANCH_TARGET, StringSource: STRING_SOURCE, StringDestination: STRING_DESTINATION,
  MemoryOffset: MEMORY_OFFSET, ConstantOne: CONSTANT_ONE, FarPointer: FAR_POINTER,
} = OperandKind;
/** First register id of each class (ids are class * 32 + index). */
const GPR8 = RegClass.Gpr8 * 32;
const GPR8_HIGH = RegClass.Gpr8High * 32;
const GPR16 = RegClass.Gpr16 * 32;
const GPR32 = RegClass.Gpr32 * 32;
const GPR64 = RegClass.Gpr64 * 32;
const SEGMENT = RegClass.Segment * 32;
const CONTROL = RegClass.Control * 32;
const DEBUG = RegClass.Debug * 32;
const MMX = RegClass.Mmx * 32;
const XMM = RegClass.Xmm * 32;
const YMM = RegClass.Ymm * 32;
const ST = RegClass.St * 32;
const RIP = RegClass.Rip * 32;
const MASK = RegClass.Mask * 32;
const TMM = RegClass.Tmm * 32;
/** 16-bit addressing by ModRM.rm: bx+si, bx+di, bp+si, bp+di, si, di, bp, bx. */
const BASE16 = Int32Array.from([3, 3, 5, 5, 6, 7, 5, 3], (r) => GPR16 + r);
const INDEX16 = Int32Array.from([6, 7, 6, 7, -1, -1, -1, -1], (r) => (r < 0 ? 0 : GPR16 + r));

/** What a byte is in the prefix phase: 0 not a prefix, REX_KIND, else its Prefix bit. */
const REX_KIND = 256;
const PREFIX_KIND = new Uint16Array(256);
PREFIX_KIND[0x66] = Prefix.OperandSize;
PREFIX_KIND[0x67] = Prefix.AddressSize;
PREFIX_KIND[0xf0] = Prefix.Lock;
PREFIX_KIND[0xf2] = Prefix.Repne;
PREFIX_KIND[0xf3] = Prefix.Rep;
for (const s of [0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65]) PREFIX_KIND[s] = Prefix.Segment;
for (let r = 0x40; r < 0x50; r++) PREFIX_KIND[r] = REX_KIND;

/**
 * Records an invalid encoding. Only `ip`, `error`, `length` and, once known, `map`, `opcode`,
 * `modrm` and `form` (for instructions invalid in 64-bit mode) describe it; the rest is reset.
 */
function fail(out: DecodedInstruction, error: number, length: number, map: number, opcode: number, modrm: number, form: number): number {
  const n = length < 1 ? 1 : length;
  out.length = n;
  out.error = error;
  out.form = form;
  out.mnemonic = "";
  out.map = map;
  out.opcode = opcode;
  out.modrm = modrm;
  out.prefixes = 0;
  out.mandatoryPrefix = 0;
  out.unusedRex = 0;
  out.unusedOperandSizePrefixes = 0;
  out.extraOperandSizePrefixes = 0;
  out.segmentPrefix = 0;
  out.rex = 0;
  out.vexL = 0;
  out.vexW = 0;
  out.vexV = 0;
  out.operandSize = 4;
  out.addressSize = 8;
  out.operandCount = 0;
  out.operandKind.fill(0);
  out.operandRegister.fill(0);
  out.operandBytes.fill(0);
  out.memoryBase = 0;
  out.memoryIndex = 0;
  out.memoryScale = 1;
  out.memoryDisplacement = 0;
  out.displacementBytes = 0;
  out.immediate = 0;
  out.immediateHigh = 0;
  out.immediate2 = 0;
  out.branchTarget = 0;
  out.flagsRead = 0;
  out.flagsWritten = 0;
  out.branchKind = 0;
  out.extension = "";
  return n;
}

/**
 * Decodes one instruction at `code[offset]` into `out` and returns its length.
 * Never throws and never reads at or past `end` (default: the buffer's length); check
 * `out.error` ({@link DecodeError}) for validity.
 *
 * @param ip the instruction's address, used for RIP-relative and branch targets.
 * @param bits 64 for 64-bit mode (the default), 32 for protected or compatibility mode with a
 *   32-bit code segment (no REX; 40-4F are inc/dec; 67 selects 16-bit addressing).
 */
export function decode(out: DecodedInstruction, code: Uint8Array, offset: number, ip = 0, end = code.length, bits: 64 | 32 = 64): number {
  const start = offset;
  const legacy = bits === 32;
  let limit = offset + MAX_LENGTH;
  if (end < limit) limit = end;
  if (code.length < limit) limit = code.length;
  let p = offset;
  out.ip = ip;
  out.bits = bits;

  // Phase 1: legacy prefixes and REX (REX counts only directly before the opcode).
  let prefixes = 0;
  let operandSizePrefixes = 0;
  let rep = 0;
  let rex = 0;
  let segment = 0;
  let b = 0;
  for (;;) {
    if (p >= limit) return fail(out, p - start >= MAX_LENGTH ? TOO_LONG : TRUNCATED, p - start, 0, 0, -1, -1);
    b = code[p]!;
    const kind = PREFIX_KIND[b]!;
    if (kind === 0 || (kind === REX_KIND && legacy)) break;
    p++;
    if (kind === REX_KIND) {
      rex = b;
      continue;
    }
    rex = 0;
    if (kind === REP || kind === REPNE) {
      rep = b;
      prefixes = (prefixes & ~(REP | REPNE)) | kind;
    } else {
      prefixes |= kind;
      if (kind === OPERAND_SIZE) operandSizePrefixes++;
      else if (kind === SEGMENT_PREFIX) segment = b;
    }
  }
  if (rex !== 0) prefixes |= REX;

  // Phase 2: opcode map, including the VEX escapes.
  let map = 0;
  let vexPp = -1;
  let vexL = 0;
  let vexW = (rex >> 3) & 1;
  let vvvv = 0;
  p++;
  if (b === 0x0f) {
    if (p >= limit) return fail(out, TRUNCATED, p - start, 0, 0, -1, -1);
    b = code[p++]!;
    map = 1;
    if (b === 0x38 || b === 0x3a) {
      map = b === 0x38 ? 2 : 3;
      if (p >= limit) return fail(out, TRUNCATED, p - start, 0, 0, -1, -1);
      b = code[p++]!;
    } else if (b === 0x0f) {
      // 3DNow!: the opcode is the byte after the ModRM operand.
      if (p >= limit) return fail(out, TRUNCATED, p - start, 0, 0, -1, -1);
      const suffixAt = p + 1 + modrmOperandBytes(code[p]!, p + 1 < limit ? code[p + 1]! : 0);
      if (suffixAt >= limit) return fail(out, TRUNCATED, limit - start, 0, 0, -1, -1);
      map = MAP_3DNOW;
      b = code[suffixAt]!;
    }
  } else if ((b === 0xc4 || b === 0xc5) && !(legacy && (p >= limit || code[p]! < 0xc0))) {
    // Outside 64-bit mode C4/C5 are LES/LDS unless the next byte looks like a register ModRM.
    if ((prefixes & (OPERAND_SIZE | LOCK | REP | REPNE)) !== 0 || rex !== 0) {
      return fail(out, VEX_AFTER_PREFIX, p - start, 0, 0, -1, -1);
    }
    const three = b === 0xc4;
    if (p + (three ? 2 : 1) >= limit) return fail(out, TRUNCATED, (p < limit ? p : limit) - start, 0, 0, -1, -1);
    const p1 = code[p++]!;
    let p2 = p1;
    rex = 0x40 | ((~p1 >> 5) & 4); // R
    if (three) {
      const mmmmm = p1 & 0x1f;
      if (mmmmm < 1 || mmmmm > 3) return fail(out, INVALID_OPCODE, p - start, 0, 0, -1, -1);
      map = 3 + mmmmm;
      rex |= (~p1 >> 5) & 3; // X, B
      p2 = code[p++]!;
      vexW = p2 >> 7;
    } else {
      map = 4;
      vexW = 0;
    }
    vvvv = (~p2 >> 3) & 15;
    vexL = (p2 >> 2) & 1;
    vexPp = p2 & 3;
    prefixes |= VEX;
    b = code[p++]!;
    if (legacy) {
      // Only eight registers: VEX.R/X/B and the top bit of vvvv are ignored.
      rex = 0;
      vvvv &= 7;
    }
  } else if ((b === 0x62 && !(legacy && (p >= limit || code[p]! < 0xc0))) || (b === 0x8f && p < limit && (code[p]! & 0x38) !== 0)) {
    return fail(out, UNSUPPORTED, p - start, 0, 0, -1, -1);
  }
  const vex = vexPp >= 0;

  // Phase 3: candidate forms; read ModRM if the opcode has one.
  let key = map * 256 + b;
  // 90 is NOP only without REX.B and 66: otherwise it is xchg r8,rax or xchg ax,ax (objdump's view).
  if (map === 0 && b === 0x90 && rep !== 0xf3 && ((rex & 1) !== 0 || (prefixes & OPERAND_SIZE) !== 0)) key = 0x91;
  const first = START[key]!;
  const last = START[key + 1]!;
  if (first === last) return fail(out, INVALID_OPCODE, p - start, map, b, -1, -1);
  const hasModrm = ((FORM[first * STRIDE]! >> 3) & 3) !== 0;
  let modrm = -1;
  let mod = 3;
  let regField = 0;
  let rmField = 0;
  if (hasModrm) {
    if (p >= limit) return fail(out, TRUNCATED, p - start, map, b, -1, -1);
    modrm = code[p++]!;
    mod = modrm >> 6;
    regField = (modrm >> 3) & 7;
    rmField = modrm & 7;
  }
  // Mandatory prefix: VEX.pp, else the last of F2/F3, else 66.
  const mandatory = vex ? vexPp + 1 : rep === 0xf3 ? 3 : rep === 0xf2 ? 4 : prefixes & OPERAND_SIZE ? 2 : 1;
  let form = -1;
  let cond = 0;
  let reason = INVALID_OPCODE as number;
  // Forms of the other mode: invalid in 64-bit mode (i64) or valid only there (o64).
  const otherMode = legacy ? ONLY_64 : NOT_64;
  let invalidHere = -1;
  for (let f = first; f < last; f++) {
    const c = FORM[f * STRIDE]!;
    if ((c & (0x1fff0 | otherMode)) === UNCONDITIONAL) {
      // The common case: no ModRM, reg, rm, W or L condition; only the prefix selector.
      const pfx = c & 7;
      if (pfx !== 0 && pfx !== mandatory && (pfx !== PREFIX_NF || mandatory > 2)) continue;
      form = f;
      cond = c;
      break;
    }
    const pfx = c & 7;
    if (pfx !== 0 && pfx !== mandatory && (pfx !== PREFIX_NF || mandatory > 2)) continue;
    if (c & otherMode) {
      // Remembered: if nothing else matches, the instruction exists but not in this mode.
      if (invalidHere < 0 && matchesModrm(c, mod, regField, rmField)) invalidHere = f;
      continue;
    }
    const kind = (c >> 3) & 3;
    const wantReg = (c >> 5) & 15;
    const wantRm = (c >> 9) & 15;
    if (wantReg !== 8 && wantReg !== regField) {
      if (reason === INVALID_OPCODE) reason = INVALID_GROUP;
      continue;
    }
    if ((kind === 2 && mod === 3) || (kind === 3 && mod !== 3) || (wantRm !== 8 && wantRm !== rmField)) {
      // A form whose ModRM matched but whose VEX fields did not is the better explanation.
      if (reason !== INVALID_VEX_FIELD) reason = INVALID_MODRM;
      continue;
    }
    const w = (c >> 13) & 3;
    const l = (c >> 15) & 3;
    if ((w !== 0 && w - 1 !== vexW) || (l !== 0 && l - 1 !== vexL)) {
      reason = INVALID_VEX_FIELD;
      continue;
    }
    form = f;
    cond = c;
    break;
  }
  if (form < 0) {
    // The form is kept so a fault message can name the instruction of the other mode.
    if (invalidHere >= 0) return fail(out, legacy ? INVALID_OPCODE : INVALID_IN_64, p - start, map, b, modrm, invalidHere);
    return fail(out, reason, p - start, map, b, modrm, -1);
  }
  const base = form * STRIDE;
  const attrs = FORM[base + 2]!;
  if (attrs & ATTR_MODREG) mod = 3;
  if ((prefixes & LOCK) !== 0 && ((attrs & ATTR_LOCK) === 0 || mod === 3 || !hasModrm)) {
    return fail(out, LOCK_NOT_ALLOWED, p - start, map, b, modrm, -1);
  }

  // Phase 4: sizes.
  const selector = cond & 7;
  const opsizeFromPrefix = (prefixes & OPERAND_SIZE) !== 0 && selector !== 2;
  let osz: number;
  if (legacy) osz = opsizeFromPrefix && !vex ? 2 : 4;
  else if (vex) osz = vexW ? 8 : 4;
  else if (attrs & ATTR_F64) osz = 8;
  else if (attrs & ATTR_D64) osz = opsizeFromPrefix && (rex & 8) === 0 ? 2 : 8; // REX.W beats 66
  else osz = rex & 8 ? 8 : opsizeFromPrefix ? 2 : 4;
  const asz = legacy ? (prefixes & ADDRESS_SIZE ? 2 : 4) : prefixes & ADDRESS_SIZE ? 4 : 8;
  const ysz = !legacy && (vex ? vexW === 1 : (rex & 8) !== 0) ? 8 : 4;

  // Phase 5: memory operand (ModRM/SIB/displacement).
  let sibByte = -1;
  let memoryBase = 0;
  let memoryIndex = 0;
  let memoryScale = 1;
  let displacement = 0;
  let displacementBytes = 0;
  if (hasModrm && mod !== 3 && asz === 2) {
    // 16-bit addressing: fixed base/index pairs, no SIB, disp16 instead of disp32.
    memoryBase = BASE16[rmField]!;
    memoryIndex = INDEX16[rmField]!;
    if (mod === 0 && rmField === 6) {
      memoryBase = 0;
      displacementBytes = 2;
    } else if (mod === 1) displacementBytes = 1;
    else if (mod === 2) displacementBytes = 2;
    if (displacementBytes !== 0) {
      if (p + displacementBytes > limit) return fail(out, TRUNCATED, limit - start, map, b, modrm, -1);
      displacement = displacementBytes === 1 ? (code[p]! << 24) >> 24 : ((code[p]! | (code[p + 1]! << 8)) << 16) >> 16;
      p += displacementBytes;
    }
  } else if (hasModrm && mod !== 3) {
    const addrBase = asz === 8 ? GPR64 : GPR32;
    if (rmField === 4) {
      if (p >= limit) return fail(out, TRUNCATED, p - start, map, b, modrm, -1);
      const sib = code[p++]!;
      sibByte = sib;
      const index = ((sib >> 3) & 7) | ((rex & 2) << 2);
      if (index !== 4) memoryIndex = addrBase + index;
      memoryScale = 1 << (sib >> 6);
      if ((sib & 7) === 5 && mod === 0) displacementBytes = 4;
      else memoryBase = addrBase + ((sib & 7) | ((rex & 1) << 3));
    } else if (rmField === 5 && mod === 0) {
      // RIP-relative in 64-bit mode, an absolute disp32 outside it.
      memoryBase = legacy ? 0 : RIP + (asz === 8 ? 0 : 1);
      displacementBytes = 4;
    } else {
      memoryBase = addrBase + (rmField | ((rex & 1) << 3));
    }
    if (mod === 1) displacementBytes = 1;
    else if (mod === 2) displacementBytes = 4;
    if (displacementBytes !== 0) {
      if (p + displacementBytes > limit) return fail(out, TRUNCATED, limit - start, map, b, modrm, -1);
      displacement =
        displacementBytes === 1 ? (code[p]! << 24) >> 24 : code[p]! | (code[p + 1]! << 8) | (code[p + 2]! << 16) | (code[p + 3]! << 24);
      p += displacementBytes;
    }
  }

  // Phase 6: operands and immediates, in operand order. The specifiers compilers emit most are
  // decoded inline; the others go through rareOperand(), which keeps this function small enough
  // for the JIT to optimise it quickly and to not deoptimise it on their first appearance.
  const regIndex = regField | ((rex & 4) << 1);
  const rmIndex = rmField | ((rex & 1) << 3);
  const hasRex = rex !== 0;
  const vecBase = vexL ? YMM : XMM;
  const vecBytes = vexL ? 32 : 16;
  const gprV = osz === 8 ? GPR64 : osz === 4 ? GPR32 : GPR16;
  const gprY = ysz === 8 ? GPR64 : GPR32;
  const kinds = out.operandKind;
  const registers = out.operandRegister;
  const sizes = out.operandBytes;
  let usesVvvv = false;
  // Which prefixes the operands consumed, so a disassembler can show unused ones (objdump does).
  let sized = false;
  let sized16 = false;
  let truncated = false;
  let immediate = 0;
  let immediateHigh = 0;
  let immediate2 = 0;
  let branchTarget = 0;
  let is4 = 0;
  const packed = FORM[base + 1]!;
  let n = 0;
  for (; n < 4; n++) {
    const spec = (packed >>> (8 * n)) & 255;
    if (spec === 0) break;
    let kind: number = REGISTER;
    let r = 0;
    let size = 0;
    switch (spec) {
      case Spec.Ev:
        size = osz;
        sized = true;
        if (mod === 3) r = gprV + rmIndex;
        else kind = MEMORY;
        break;
      case Spec.Gv: r = gprV + regIndex; size = osz; sized = true; break;
      case Spec.Zv: case Spec.Zq: r = gprV + ((b & 7) | ((rex & 1) << 3)); size = osz; sized = true; break;
      case Spec.Jb: case Spec.Jz: {
        kind = BRANCH_TARGET;
        size = osz;
        // rel16 exists only outside 64-bit mode (there 66 is ignored on near branches).
        const bytes = spec === Spec.Jb ? 1 : legacy && osz === 2 ? 2 : 4;
        if (legacy && bytes !== 1) sized = true;
        if (p + bytes > limit) {
          truncated = true;
          break;
        }
        const rel =
          bytes === 1 ? (code[p]! << 24) >> 24
          : bytes === 2 ? ((code[p]! | (code[p + 1]! << 8)) << 16) >> 16
          : code[p]! | (code[p + 1]! << 8) | (code[p + 2]! << 16) | (code[p + 3]! << 24);
        p += bytes;
        branchTarget = ip + (p - start) + rel;
        // The instruction pointer wraps at the operand size outside 64-bit mode.
        if (legacy) branchTarget = osz === 2 ? branchTarget & 0xffff : branchTarget >>> 0;
        break;
      }
      case Spec.sIb: case Spec.Iz: {
        kind = IMMEDIATE;
        size = osz;
        sized = true;
        const bytes = spec === Spec.sIb ? 1 : osz === 2 ? 2 : 4;
        if (p + bytes > limit) {
          truncated = true;
          break;
        }
        const v =
          bytes === 1 ? (code[p]! << 24) >> 24
          : bytes === 2 ? ((code[p]! | (code[p + 1]! << 8)) << 16) >> 16
          : code[p]! | (code[p + 1]! << 8) | (code[p + 2]! << 16) | (code[p + 3]! << 24);
        p += bytes;
        // Sign-extended to the operand size, as unsigned 32-bit halves.
        immediate = osz === 2 ? v & 0xffff : v >>> 0;
        immediateHigh = osz === 8 && v < 0 ? 0xffffffff : 0;
        break;
      }
      case Spec.Iv:
        kind = IMMEDIATE;
        size = osz;
        sized = true;
        if (p + osz > limit) {
          truncated = true;
          break;
        }
        immediate = osz === 2 ? code[p]! | (code[p + 1]! << 8) : (code[p]! | (code[p + 1]! << 8) | (code[p + 2]! << 16) | (code[p + 3]! << 24)) >>> 0;
        if (osz === 8) immediateHigh = (code[p + 4]! | (code[p + 5]! << 8) | (code[p + 6]! << 16) | (code[p + 7]! << 24)) >>> 0;
        p += osz;
        break;
      case Spec.Ib:
        size = 1;
        if (p >= limit) truncated = true;
        else if (n > 0 && kinds[n - 1] === IMMEDIATE) {
          kind = IMMEDIATE2; // ENTER's and EXTRQ's second immediate
          immediate2 = code[p++]!;
        } else {
          kind = IMMEDIATE;
          immediate = code[p++]!;
        }
        break;
      case Spec.Eb:
        size = 1;
        if (mod !== 3) kind = MEMORY;
        else r = hasRex || (rmIndex & 12) !== 4 ? GPR8 + rmIndex : GPR8_HIGH + rmIndex;
        break;
      case Spec.Gb: r = hasRex || (regIndex & 12) !== 4 ? GPR8 + regIndex : GPR8_HIGH + regIndex; size = 1; break;
      case Spec.M: kind = MEMORY; break;
      case Spec.Vx: r = vecBase + regIndex; size = vecBytes; break;
      case Spec.Hx: r = vecBase + vvvv; size = vecBytes; usesVvvv = true; break;
      case Spec.Ux: r = vecBase + rmIndex; size = vecBytes; break;
      case Spec.Wx:
        size = vecBytes;
        if (mod === 3) r = vecBase + rmIndex;
        else kind = MEMORY;
        break;
      case Spec.rAX: r = gprV; size = osz; sized = true; break;
      case Spec.AL: r = GPR8; size = 1; break;
      case Spec.CL: r = GPR8 + 1; size = 1; break;
      case Spec.Gy: r = gprY + regIndex; size = ysz; sized = true; break;
      case Spec.Ey:
        size = ysz;
        sized = true;
        if (mod === 3) r = gprY + rmIndex;
        else kind = MEMORY;
        break;
      case Spec.Ed:
        size = 4;
        if (mod === 3) r = GPR32 + rmIndex;
        else kind = MEMORY;
        break;
      case Spec.Ew:
        size = 2;
        if (mod === 3) r = GPR16 + rmIndex;
        else kind = MEMORY;
        break;
      case Spec.Gd: r = GPR32 + regIndex; size = 4; break;
      // Outside 64-bit mode the 64-bit register forms (vmread, mov cr, invept…) are 32-bit.
      case Spec.Gq: r = (legacy ? GPR32 : GPR64) + regIndex; size = legacy ? 4 : 8; break;
      default: {
        const c = RARE;
        c.code = code;
        c.p = p;
        c.limit = limit;
        c.opcode = b;
        c.rex = rex;
        c.mod = mod;
        c.regField = regField;
        c.rmField = rmField;
        c.vvvv = vvvv;
        c.sib = sibByte;
        c.osz = osz;
        c.asz = asz;
        c.ysz = ysz;
        c.vexL = vexL;
        c.legacy = legacy;
        c.memoryBase = memoryBase;
        c.memoryIndex = memoryIndex;
        c.memoryScale = memoryScale;
        c.immediate = immediate;
        c.immediateHigh = immediateHigh;
        c.immediate2 = immediate2;
        c.is4 = is4;
        c.sized = sized;
        c.sized16 = sized16;
        c.usesVvvv = usesVvvv;
        const error = rareOperand(spec, n, c);
        if (error !== NONE) return fail(out, error, (error === TRUNCATED ? limit : p) - start, map, b, modrm, -1);
        kind = c.kind;
        r = c.r;
        size = c.size;
        p = c.p;
        memoryBase = c.memoryBase;
        memoryIndex = c.memoryIndex;
        memoryScale = c.memoryScale;
        immediate = c.immediate;
        immediateHigh = c.immediateHigh;
        immediate2 = c.immediate2;
        is4 = c.is4;
        sized = c.sized;
        sized16 = c.sized16;
        usesVvvv = c.usesVvvv;
      }
    }
    kinds[n] = kind;
    registers[n] = r;
    sizes[n] = size;
  }
  if (attrs & ATTR_IMM4) {
    kinds[n] = IMMEDIATE;
    registers[n] = 0;
    sizes[n] = 1;
    immediate = is4 & 15;
    n++;
  }
  // Slots at or past the previous operandCount are already zero (fail() clears all of them).
  for (let k = n, previous = out.operandCount; k < previous; k++) {
    kinds[k] = 0;
    registers[k] = 0;
    sizes[k] = 0;
  }
  if (map === MAP_3DNOW) p++; // the suffix byte, already read as the opcode
  if (truncated) return fail(out, TRUNCATED, limit - start, map, b, modrm, -1);
  if (vex && !usesVvvv && vvvv !== 0) return fail(out, VVVV_NOT_UNUSED, p - start, map, b, modrm, -1);
  if (sibByte >= 0 && map === 5 && b >= 0x90 && b <= 0x93) {
    // Gathers: destination, index and mask must be three different registers (#UD otherwise).
    const index = memoryIndex & 31;
    if (index === regIndex || index === vvvv || regIndex === vvvv) return fail(out, INVALID_MODRM, p - start, map, b, modrm, -1);
  }
  if (attrs & ATTR_DISTINCT) {
    const v = vvvv & 7;
    if (regField === rmField || regField === v || rmField === v) return fail(out, INVALID_MODRM, p - start, map, b, modrm, -1);
  }
  const use = FORM[base + 7]!;
  if (use & NAMED_BY_SIZE) sized = true;
  let unusedRex = 0;
  if (!vex && rex !== 0) {
    // REX bits the operands consumed: W when the operand size matters, R for a ModRM.reg
    // register, X for a SIB index, B for ModRM.rm, a SIB base or the opcode's register.
    let used = sized && (attrs & (ATTR_D64 | ATTR_F64)) === 0 ? 8 : 0;
    if (use & USES_REG) used |= 4;
    if (use & USES_OPCODE_REG) used |= 1;
    if (use & USES_RM_MEMORY && mod !== 3) used |= 1;
    if (use & USES_RM && hasModrm && (mod === 3 || rmField !== 5 || mod !== 0)) used |= 1;
    if (hasModrm && mod !== 3 && rmField === 4) used |= 2;
    if ((rex & 15 & ~used) !== 0) unusedRex = rex;
  }
  const mandatoryPrefix = MANDATORY_PREFIX_BYTE[selector]!;
  const extra66 = operandSizePrefixes > 1 ? operandSizePrefixes - 1 : 0;
  const sixtySixUsed = (sized || sized16) && ((attrs & ATTR_F64) === 0 || legacy);

  out.length = p - start;
  out.error = NONE;
  out.form = form;
  out.mnemonic = MNEMONIC_NAMES[FORM[base + (osz === 2 ? 3 : osz === 4 ? 4 : 5)]!]!;
  out.map = map;
  out.opcode = b;
  out.modrm = modrm;
  out.prefixes = prefixes;
  out.mandatoryPrefix = mandatoryPrefix;
  out.unusedRex = unusedRex;
  out.extraOperandSizePrefixes = extra66;
  out.unusedOperandSizePrefixes =
    extra66 + ((prefixes & OPERAND_SIZE) !== 0 && mandatoryPrefix !== 0x66 && !sixtySixUsed ? 1 : 0);
  out.segmentPrefix = segment;
  out.rex = rex;
  out.vexL = vexL;
  out.vexW = vexW;
  out.vexV = vvvv;
  out.operandSize = osz;
  out.addressSize = asz;
  out.operandCount = n;
  out.memoryBase = memoryBase;
  out.memoryIndex = memoryIndex;
  out.memoryScale = memoryScale;
  out.memoryDisplacement = displacement;
  out.displacementBytes = displacementBytes;
  out.immediate = immediate;
  out.immediateHigh = immediateHigh;
  out.immediate2 = immediate2;
  out.branchTarget = branchTarget;
  out.flagsRead = attrs & 255;
  out.flagsWritten = (attrs >> 8) & 255;
  out.branchKind = (attrs >> 16) & 15;
  out.extension = EXTENSION_NAMES[FORM[base + 6]!]!;
  return p - start;
}

/** Whether a form's ModRM condition (kind, reg, rm) accepts this ModRM. */
function matchesModrm(cond: number, mod: number, regField: number, rmField: number): boolean {
  const kind = (cond >> 3) & 3;
  const wantReg = (cond >> 5) & 15;
  const wantRm = (cond >> 9) & 15;
  if (wantReg !== 8 && wantReg !== regField) return false;
  return !((kind === 2 && mod === 3) || (kind === 3 && mod !== 3) || (wantRm !== 8 && wantRm !== rmField));
}

/** Bytes of SIB and displacement that follow a ModRM byte in 64-bit addressing. */
function modrmOperandBytes(modrm: number, sib: number): number {
  const mod = modrm >> 6;
  const rm = modrm & 7;
  if (mod === 3) return 0;
  const hasSib = rm === 4 ? 1 : 0;
  if (mod === 1) return hasSib + 1;
  if (mod === 2) return hasSib + 4;
  if (rm === 5 || (hasSib && (sib & 7) === 5)) return hasSib + 4;
  return hasSib;
}

/** Inputs and results of rareOperand(); one instance, reused (decoding allocates nothing). */
class RareOperandContext {
  code: Uint8Array = new Uint8Array(0);
  p = 0;
  limit = 0;
  opcode = 0;
  rex = 0;
  mod = 0;
  regField = 0;
  rmField = 0;
  vvvv = 0;
  /** The SIB byte, or -1. */
  sib = -1;
  osz = 4;
  asz = 8;
  ysz = 4;
  vexL = 0;
  /** Outside 64-bit mode. */
  legacy = false;
  memoryBase = 0;
  memoryIndex = 0;
  memoryScale = 1;
  immediate = 0;
  immediateHigh = 0;
  immediate2 = 0;
  is4 = 0;
  sized = false;
  sized16 = false;
  usesVvvv = false;
  kind = 0;
  r = 0;
  size = 0;
}
const RARE = new RareOperandContext();

/**
 * Decodes an operand specifier that decode() does not handle inline into `c.kind`, `c.r`,
 * `c.size` (and the memory, immediate and prefix-use fields it touches). Returns a DecodeError
 * value: NONE, TRUNCATED, or why the encoding is invalid.
 */
function rareOperand(spec: number, n: number, c: RareOperandContext): number {
  const { code, mod, regField, rmField, vvvv, osz, asz, ysz, rex } = c;
  const regIndex = regField | ((rex & 4) << 1);
  const rmIndex = rmField | ((rex & 1) << 3);
  const hasRex = rex !== 0;
  const vecBase = c.vexL ? YMM : XMM;
  const vecBytes = c.vexL ? 32 : 16;
  let kind: number = REGISTER;
  let r = 0;
  let size = 0;
  switch (spec) {
    case Spec.Gw: r = GPR16 + regIndex; size = 2; break;
    case Spec.Ga: r = (asz === 8 ? GPR64 : asz === 4 ? GPR32 : GPR16) + regIndex; size = asz; break;
    case Spec.Eq:
      size = c.legacy ? 4 : 8;
      if (mod === 3) r = (c.legacy ? GPR32 : GPR64) + rmIndex;
      else kind = MEMORY;
      break;
    case Spec.Menv: case Spec.Mst: kind = MEMORY; break;
    case Spec.Mb: kind = MEMORY; size = 1; break;
    case Spec.Mxlat: kind = MEMORY; size = 1; c.memoryBase = (asz === 8 ? GPR64 : asz === 4 ? GPR32 : GPR16) + 3; break;
    case Spec.Mw: case Spec.Mi16: kind = MEMORY; size = 2; break;
    case Spec.Md: case Spec.Mf32: case Spec.Mi32: kind = MEMORY; size = 4; break;
    case Spec.Mq: case Spec.Mf64: case Spec.Mi64: kind = MEMORY; size = 8; break;
    case Spec.Mdq: kind = MEMORY; size = 16; break;
    case Spec.Mqq: kind = MEMORY; size = 32; break;
    case Spec.Mx: kind = MEMORY; size = vecBytes; break;
    case Spec.Mt: case Spec.Mf80: case Spec.Mbcd: kind = MEMORY; size = 10; break;
    case Spec.Mp: kind = MEMORY; size = osz === 2 ? 4 : 6; c.sized16 = true; break;
    case Spec.Mv: kind = MEMORY; size = osz; c.sized = true; break;
    case Spec.My: kind = MEMORY; size = ysz; c.sized = true; break;
    case Spec.VsL4: case Spec.VsX8: case Spec.VsL8:
      // VSIB: a SIB byte is required and its index names a vector register.
      if (c.sib < 0) return INVALID_MODRM;
      kind = MEMORY;
      size = spec === Spec.VsL4 ? 4 : 8;
      c.memoryIndex = (spec === Spec.VsX8 ? XMM : vecBase) + (((c.sib >> 3) & 7) | ((rex & 2) << 2));
      c.memoryScale = 1 << (c.sib >> 6);
      break;
    case Spec.Mdq2: kind = MEMORY; size = osz === 8 ? 16 : 8; c.sized = true; break;
    case Spec.Iw:
      kind = IMMEDIATE;
      size = 2;
      if (c.p + 2 > c.limit) return TRUNCATED;
      c.immediate = code[c.p]! | (code[c.p + 1]! << 8);
      c.p += 2;
      break;
    case Spec.Ob: case Spec.Ov: {
      kind = MEMORY_OFFSET;
      size = spec === Spec.Ob ? 1 : osz;
      if (spec === Spec.Ov) c.sized = true;
      const p = c.p;
      const bytes = asz;
      if (p + bytes > c.limit) return TRUNCATED;
      c.immediate = bytes === 2 ? code[p]! | (code[p + 1]! << 8) : (code[p]! | (code[p + 1]! << 8) | (code[p + 2]! << 16) | (code[p + 3]! << 24)) >>> 0;
      c.immediateHigh = bytes === 8 ? (code[p + 4]! | (code[p + 5]! << 8) | (code[p + 6]! << 16) | (code[p + 7]! << 24)) >>> 0 : 0;
      c.p = p + bytes;
      break;
    }
    case Spec.I1: kind = CONSTANT_ONE; size = 1; break;
    case Spec.Ap: {
      // A far pointer: offset (16 or 32 bits) then selector.
      kind = FAR_POINTER;
      const p = c.p;
      const bytes = osz === 2 ? 2 : 4;
      if (p + bytes + 2 > c.limit) return TRUNCATED;
      c.immediate = bytes === 2 ? code[p]! | (code[p + 1]! << 8) : (code[p]! | (code[p + 1]! << 8) | (code[p + 2]! << 16) | (code[p + 3]! << 24)) >>> 0;
      c.immediate2 = code[p + bytes]! | (code[p + bytes + 1]! << 8);
      size = bytes + 2;
      c.sized16 = true;
      c.p = p + bytes + 2;
      break;
    }
    case Spec.Ma: kind = MEMORY; size = osz === 2 ? 4 : 8; c.sized16 = true; break;
    case Spec.DX: r = GPR16 + 2; size = 2; break;
    case Spec.AX: r = GPR16; size = 2; break;
    case Spec.eAX: size = osz === 2 ? 2 : 4; r = size === 2 ? GPR16 : GPR32; c.sized16 = true; break;
    case Spec.XMM0: r = XMM; size = 16; break;
    case Spec.ST0: r = ST + 8; size = 10; break;
    case Spec.ES: r = SEGMENT; size = 2; break;
    case Spec.CS: r = SEGMENT + 1; size = 2; break;
    case Spec.SS: r = SEGMENT + 2; size = 2; break;
    case Spec.DS: r = SEGMENT + 3; size = 2; break;
    case Spec.FS: r = SEGMENT + 4; size = 2; break;
    case Spec.GS: r = SEGMENT + 5; size = 2; break;
    case Spec.Zb: {
      const i = (c.opcode & 7) | ((rex & 1) << 3);
      r = hasRex || (i & 12) !== 4 ? GPR8 + i : GPR8_HIGH + i;
      size = 1;
      break;
    }
    case Spec.Zy: r = (ysz === 8 ? GPR64 : GPR32) + ((c.opcode & 7) | ((rex & 1) << 3)); size = ysz; c.sized = true; break;
    case Spec.Sw:
      if (regField > 5 || (n === 0 && regField === 1)) return INVALID_MODRM;
      r = SEGMENT + regField; size = 2; break;
    case Spec.Cq:
      if (regIndex !== 0 && regIndex !== 2 && regIndex !== 3 && regIndex !== 4 && regIndex !== 8) return INVALID_MODRM;
      r = CONTROL + regIndex; size = 8; break;
    case Spec.Dq:
      if (regIndex > 7) return INVALID_MODRM;
      r = DEBUG + regIndex; size = 8; break;
    case Spec.Pq: r = MMX + regField; size = 8; break;
    case Spec.Qq: case Spec.Qd:
      size = spec === Spec.Qq ? 8 : 4;
      if (mod === 3) r = MMX + rmField;
      else kind = MEMORY;
      break;
    case Spec.Nq: r = MMX + rmField; size = 8; break;
    case Spec.Vdq: r = XMM + regIndex; size = 16; break;
    case Spec.Vqq: r = YMM + regIndex; size = 32; break;
    case Spec.Wdq: case Spec.Wqq: case Spec.Wq: case Spec.Wd: case Spec.Ww: case Spec.Wb: {
      const wide = spec === Spec.Wqq;
      if (mod === 3) {
        r = (wide ? YMM : XMM) + rmIndex;
        size = wide ? 32 : 16;
      } else {
        kind = MEMORY;
        size = spec === Spec.Wq ? 8 : spec === Spec.Wd ? 4 : spec === Spec.Ww ? 2 : spec === Spec.Wb ? 1 : wide ? 32 : 16;
      }
      break;
    }
    case Spec.Udq: r = XMM + rmIndex; size = 16; break;
    case Spec.Hdq: r = XMM + vvvv; size = 16; c.usesVvvv = true; break;
    case Spec.By: r = (ysz === 8 ? GPR64 : GPR32) + vvvv; size = ysz; c.usesVvvv = true; break;
    case Spec.Lx: case Spec.Ldq:
      // A register in imm8[7:4] (the is4 byte of FMA4 and vpermil2).
      if (c.p >= c.limit) return TRUNCATED;
      c.is4 = code[c.p++]!;
      r = (spec === Spec.Lx ? vecBase : XMM) + (c.is4 >> 4);
      size = spec === Spec.Lx ? vecBytes : 16;
      break;
    case Spec.STi: r = ST + rmField; size = 10; break;
    case Spec.Ry: r = (ysz === 8 ? GPR64 : GPR32) + rmIndex; size = ysz; c.sized = true; break;
    case Spec.Rv: r = (osz === 8 ? GPR64 : osz === 4 ? GPR32 : GPR16) + rmIndex; size = osz; c.sized = true; break;
    case Spec.Rd: r = GPR32 + rmIndex; size = 4; break;
    case Spec.Rq: r = (c.legacy ? GPR32 : GPR64) + rmIndex; size = c.legacy ? 4 : 8; break;
    case Spec.Xb: case Spec.Xv: case Spec.Xz: case Spec.Yb: case Spec.Yv: case Spec.Yz: {
      const source = spec === Spec.Xb || spec === Spec.Xv || spec === Spec.Xz;
      kind = source ? STRING_SOURCE : STRING_DESTINATION;
      if (spec === Spec.Xb || spec === Spec.Yb) size = 1;
      else if (spec === Spec.Xv || spec === Spec.Yv) {
        size = osz;
        c.sized = true;
      } else {
        size = osz === 2 ? 2 : 4;
        c.sized16 = true;
      }
      break;
    }
    // Only eight mask and tile registers: VEX.R and the top bit of vvvv must be clear.
    case Spec.Kg: case Spec.Tg:
      if (regIndex > 7) return INVALID_VEX_FIELD;
      r = (spec === Spec.Kg ? MASK : TMM) + regField;
      size = spec === Spec.Kg ? 8 : 0;
      break;
    case Spec.Kr: r = MASK + rmField; size = 8; break;
    case Spec.Tr: r = TMM + rmField; break;
    case Spec.Kh: case Spec.Th:
      if (vvvv > 7) return INVALID_VEX_FIELD;
      r = (spec === Spec.Kh ? MASK : TMM) + vvvv;
      size = spec === Spec.Kh ? 8 : 0;
      c.usesVvvv = true;
      break;
    case Spec.Msib:
      if (c.sib < 0) return INVALID_MODRM;
      kind = MEMORY;
      break;
    default:
      // Every specifier is handled here or in decode(); the table generator rejects others.
      kind = NO_OPERAND;
  }
  c.kind = kind;
  c.r = r;
  c.size = size;
  return NONE;
}

const REG_FIELD_SPECS = [
  Spec.Gb, Spec.Gw, Spec.Gd, Spec.Gq, Spec.Gv, Spec.Gy, Spec.Cq, Spec.Dq, Spec.Vx, Spec.Vdq, Spec.Vqq, Spec.Ga,
];
const RM_FIELD_SPECS = [
  Spec.Eb, Spec.Ew, Spec.Ed, Spec.Eq, Spec.Ev, Spec.Ey, Spec.M, Spec.Mb, Spec.Mw, Spec.Md, Spec.Mq, Spec.Mdq,
  Spec.Mx, Spec.Mp, Spec.Mt, Spec.Mv, Spec.My, Spec.Mqq, Spec.Mdq2, Spec.Wx, Spec.Wdq, Spec.Wq, Spec.Wd,
  Spec.Ww, Spec.Wb, Spec.Wqq, Spec.Ux, Spec.Udq, Spec.Ry, Spec.Rv, Spec.Rd, Spec.Rq, Spec.Mf32, Spec.Mf64,
  Spec.Mf80, Spec.Mi16, Spec.Mi32, Spec.Mi64, Spec.Mbcd, Spec.Menv, Spec.Mst,
];
/** Which ModRM field an operand specifier reads: 1 reg, 2 rm, 0 neither. */
const SPEC_FIELD = new Uint8Array(256);
for (const spec of REG_FIELD_SPECS) SPEC_FIELD[spec] = 1;
for (const spec of RM_FIELD_SPECS) SPEC_FIELD[spec] = 2;

for (let f = 0; f < FORM_COUNT; f++) {
  const packed = FORM_OPERANDS[f]!;
  let use = 0;
  for (let i = 0; i < 4; i++) {
    const spec = (packed >>> (8 * i)) & 255;
    if (spec === Spec.Qq || spec === Spec.Qd) use |= USES_RM_MEMORY;
    else if (SPEC_FIELD[spec] === 1) use |= USES_REG;
    else if (SPEC_FIELD[spec] === 2) use |= USES_RM;
    else if (spec === Spec.Zb || spec === Spec.Zv || spec === Spec.Zq || spec === Spec.Zy) use |= USES_OPCODE_REG;
  }
  const m16 = FORM_MNEMONIC[f * 3]!;
  const m32 = FORM_MNEMONIC[f * 3 + 1]!;
  const m64 = FORM_MNEMONIC[f * 3 + 2]!;
  if (m16 !== m32 || m32 !== m64) use |= NAMED_BY_SIZE;
  const attrs = FORM_ATTRS[f]!;
  const mode = (attrs & ATTR_I64 ? NOT_64 : 0) | (attrs & ATTR_O64 ? ONLY_64 : 0);
  FORM.set([FORM_COND[f]! | mode, packed, attrs, m16, m32, m64, FORM_EXT[f]!, use], f * STRIDE);
}

// Decoding in Blink/XED phases: prefixes → opcode map → form lookup → ModRM/SIB/displacement →
// operands and immediates. Everything lands in a reusable DecodedInstruction.
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
import { RegClass, gpr, reg } from "./registers.js";

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
  VsL8 = 100, Kg = 101, Kr = 102, Kh = 103, Tg = 104, Tr = 105, Th = 106, Msib = 107, Ldq = 108,
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

/** Decoding state shared by the helpers of one call (module-level to avoid allocation). */
let bytes: Uint8Array = new Uint8Array(0);
let pos = 0;
let limit = 0;
let failed = 0;

function fail(out: DecodedInstruction, error: number, start: number): number {
  out.error = error;
  out.length = Math.max(1, Math.min(pos, limit) - start);
  out.mnemonic = "";
  out.extension = "";
  out.flagsRead = 0;
  out.flagsWritten = 0;
  out.branchKind = 0;
  out.operandCount = 0;
  out.operandKind.fill(0);
  out.operandRegister.fill(0);
  out.operandBytes.fill(0);
  return out.length;
}

/** Reads `n` (1, 2 or 4) little-endian bytes as a signed number; sets `failed` past the end. */
function readSigned(n: number): number {
  const p = pos;
  if (p + n > limit) {
    failed = 1;
    pos = limit;
    return 0;
  }
  pos = p + n;
  const b = bytes;
  if (n === 1) return (b[p]! << 24) >> 24;
  if (n === 2) return ((b[p]! | (b[p + 1]! << 8)) << 16) >> 16;
  return b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24);
}

/** Reads `n` (1, 2 or 4) little-endian bytes as an unsigned number; sets `failed` past the end. */
function readUnsigned(n: number): number {
  const v = readSigned(n);
  return n === 4 ? v >>> 0 : n === 2 ? v & 0xffff : v & 0xff;
}

/**
 * Decodes one 64-bit-mode instruction at `code[offset]` into `out` and returns its length.
 * Never throws and never reads at or past `end` (default: the buffer's length); check
 * `out.error` ({@link DecodeError}) for validity.
 *
 * @param ip the instruction's address, used for RIP-relative and branch targets.
 */
export function decode(out: DecodedInstruction, code: Uint8Array, offset: number, ip = 0, end = code.length): number {
  bytes = code;
  const start = offset;
  pos = offset;
  limit = Math.min(end, code.length, offset + MAX_LENGTH);
  failed = 0;
  out.ip = ip;
  out.error = DecodeError.None;
  out.form = -1;
  out.modrm = -1;
  out.prefixes = 0;
  out.segmentPrefix = 0;
  out.rex = 0;
  out.vexL = 0;
  out.vexW = 0;
  out.vexV = 0;
  out.memoryBase = 0;
  out.memoryIndex = 0;
  out.memoryScale = 1;
  out.memoryDisplacement = 0;
  out.displacementBytes = 0;
  out.immediate = 0;
  out.immediateHigh = 0;
  out.immediate2 = 0;
  out.branchTarget = 0;
  out.operandCount = 0;
  out.mandatoryPrefix = 0;
  out.unusedRex = 0;
  out.unusedOperandSizePrefixes = 0;
  out.extraOperandSizePrefixes = 0;
  out.map = 0;
  out.opcode = 0;
  out.operandSize = 4;
  out.addressSize = 8;

  // Phase 1: legacy prefixes and REX (REX counts only directly before the opcode).
  let prefixes = 0;
  let operandSizePrefixes = 0;
  let rep = 0;
  let rex = 0;
  let b = 0;
  for (;;) {
    if (pos >= limit) return fail(out, pos - start >= MAX_LENGTH ? DecodeError.TooLong : DecodeError.Truncated, start);
    b = bytes[pos]!;
    if ((b & 0xf0) === 0x40) {
      rex = b;
      pos++;
      continue;
    }
    let isPrefix = true;
    switch (b) {
      case 0x66: prefixes |= Prefix.OperandSize; operandSizePrefixes++; break;
      case 0x67: prefixes |= Prefix.AddressSize; break;
      case 0xf0: prefixes |= Prefix.Lock; break;
      case 0xf2: rep = 0xf2; prefixes = (prefixes & ~Prefix.Rep) | Prefix.Repne; break;
      case 0xf3: rep = 0xf3; prefixes = (prefixes & ~Prefix.Repne) | Prefix.Rep; break;
      case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64: case 0x65:
        prefixes |= Prefix.Segment;
        out.segmentPrefix = b;
        break;
      default: isPrefix = false;
    }
    if (!isPrefix) break;
    rex = 0;
    pos++;
  }
  if (rex !== 0) prefixes |= Prefix.Rex;

  // Phase 2: opcode map, including the VEX escapes.
  let map = 0;
  let vexPp = -1;
  let vexL = 0;
  let vexW = (rex >> 3) & 1;
  let vvvv = 0;
  pos++;
  if (b === 0x0f) {
    if (pos >= limit) return fail(out, DecodeError.Truncated, start);
    b = bytes[pos++]!;
    map = 1;
    if (b === 0x38 || b === 0x3a) {
      map = b === 0x38 ? 2 : 3;
      if (pos >= limit) return fail(out, DecodeError.Truncated, start);
      b = bytes[pos++]!;
    } else if (b === 0x0f) {
      // 3DNow!: the opcode is the byte after the ModRM operand.
      if (pos >= limit) return fail(out, DecodeError.Truncated, start);
      const suffixAt = pos + 1 + modrmOperandBytes(bytes[pos]!, pos + 1 < limit ? bytes[pos + 1]! : 0);
      if (suffixAt >= limit) return fail(out, DecodeError.Truncated, start);
      map = MAP_3DNOW;
      b = bytes[suffixAt]!;
    }
  } else if (b === 0xc4 || b === 0xc5) {
    if ((prefixes & (Prefix.OperandSize | Prefix.Lock | Prefix.Rep | Prefix.Repne)) !== 0 || rex !== 0) {
      return fail(out, DecodeError.VexAfterPrefix, start);
    }
    const three = b === 0xc4;
    if (pos + (three ? 2 : 1) >= limit) return fail(out, DecodeError.Truncated, start);
    const p1 = bytes[pos++]!;
    let p2 = p1;
    rex = 0x40 | ((~p1 >> 5) & 4); // R
    if (three) {
      const mmmmm = p1 & 0x1f;
      if (mmmmm < 1 || mmmmm > 3) return fail(out, DecodeError.InvalidOpcode, start);
      map = 3 + mmmmm;
      rex |= (~p1 >> 5) & 3; // X, B
      p2 = bytes[pos++]!;
      vexW = p2 >> 7;
    } else {
      map = 4;
      vexW = 0;
    }
    vvvv = (~p2 >> 3) & 15;
    vexL = (p2 >> 2) & 1;
    vexPp = p2 & 3;
    prefixes |= Prefix.Vex;
    b = bytes[pos++]!;
  } else if (b === 0x62 || (b === 0x8f && pos < limit && (bytes[pos]! & 0x38) !== 0)) {
    return fail(out, DecodeError.Unsupported, start);
  }
  out.map = map;
  out.opcode = b;
  out.rex = rex;
  out.vexL = vexL;
  out.vexW = vexW;
  out.vexV = vvvv;

  // Phase 3: candidate forms; read ModRM if the opcode has one.
  let key = map * 256 + b;
  // 90 is NOP only without REX.B and 66: otherwise it is xchg r8,rax or xchg ax,ax (objdump's view).
  if (map === 0 && b === 0x90 && rep !== 0xf3 && ((rex & 1) !== 0 || (prefixes & Prefix.OperandSize) !== 0)) key = 0x91;
  const first = START[key]!;
  const last = START[key + 1]!;
  if (first === last) return fail(out, DecodeError.InvalidOpcode, start);
  const hasModrm = ((FORM_COND[first]! >> 3) & 3) !== 0;
  let modrm = 0;
  if (hasModrm) {
    if (pos >= limit) return fail(out, DecodeError.Truncated, start);
    modrm = bytes[pos++]!;
    out.modrm = modrm;
  }
  let mod = modrm >> 6;
  const regField = (modrm >> 3) & 7;
  const rmField = modrm & 7;
  // Mandatory prefix: VEX.pp, else the last of F2/F3, else 66.
  const mandatory = vexPp >= 0 ? vexPp + 1 : rep === 0xf3 ? 3 : rep === 0xf2 ? 4 : prefixes & Prefix.OperandSize ? 2 : 1;
  let form = -1;
  let reason: number = DecodeError.InvalidOpcode;
  for (let f = first; f < last; f++) {
    const cond = FORM_COND[f]!;
    const pfx = cond & 7;
    if (pfx !== 0 && pfx !== mandatory && (pfx !== PREFIX_NF || mandatory > 2)) continue;
    const kind = (cond >> 3) & 3;
    const wantReg = (cond >> 5) & 15;
    const wantRm = (cond >> 9) & 15;
    if (wantReg !== 8 && wantReg !== regField) {
      if (reason === DecodeError.InvalidOpcode) reason = DecodeError.InvalidGroupEncoding;
      continue;
    }
    if ((kind === 2 && mod === 3) || (kind === 3 && mod !== 3) || (wantRm !== 8 && wantRm !== rmField)) {
      // A form whose ModRM matched but whose VEX fields did not is the better explanation.
      if (reason !== DecodeError.InvalidVexField) reason = DecodeError.InvalidModrmForm;
      continue;
    }
    const w = (cond >> 13) & 3;
    const l = (cond >> 15) & 3;
    if ((w !== 0 && w - 1 !== vexW) || (l !== 0 && l - 1 !== vexL)) {
      reason = DecodeError.InvalidVexField;
      continue;
    }
    form = f;
    break;
  }
  if (form < 0) {
    // Read what the ModRM implies so the reported length still covers it.
    return fail(out, reason, start);
  }
  const attrs = FORM_ATTRS[form]!;
  if (attrs & ATTR_MODREG) mod = 3;
  if (attrs & ATTR_I64) {
    out.form = form; // which legacy instruction it was, for fault messages
    return fail(out, DecodeError.InvalidIn64BitMode, start);
  }
  if ((prefixes & Prefix.Lock) !== 0 && ((attrs & ATTR_LOCK) === 0 || mod === 3 || !hasModrm)) {
    return fail(out, DecodeError.LockNotAllowed, start);
  }

  // Phase 4: sizes.
  const opsizeFromPrefix = (prefixes & Prefix.OperandSize) !== 0 && (FORM_COND[form]! & 7) !== 2;
  let osz: number;
  const vex = vexPp >= 0;
  if (vex) osz = vexW ? 8 : 4;
  else if (attrs & ATTR_F64) osz = 8;
  else if (attrs & ATTR_D64) osz = opsizeFromPrefix && (rex & 8) === 0 ? 2 : 8; // REX.W beats 66
  else osz = rex & 8 ? 8 : opsizeFromPrefix ? 2 : 4;
  const asz = prefixes & Prefix.AddressSize ? 4 : 8;
  const wide = vex ? vexW === 1 : (rex & 8) !== 0;
  const ysz = wide ? 8 : 4;
  out.operandSize = osz;
  out.addressSize = asz;
  out.prefixes = prefixes;
  out.mandatoryPrefix = MANDATORY_PREFIX_BYTE[FORM_COND[form]! & 7]!;
  out.extraOperandSizePrefixes = Math.max(0, operandSizePrefixes - 1);

  // Phase 5: memory operand (ModRM/SIB/displacement).
  let sibByte = -1;
  if (hasModrm && mod !== 3) {
    const addrClass = asz === 8 ? RegClass.Gpr64 : RegClass.Gpr32;
    let base = rmField | ((rex & 1) << 3);
    if (rmField === 4) {
      if (pos >= limit) return fail(out, DecodeError.Truncated, start);
      const sib = bytes[pos++]!;
      sibByte = sib;
      const index = ((sib >> 3) & 7) | ((rex & 2) << 2);
      if (index !== 4) {
        out.memoryIndex = reg(addrClass, index);
        out.memoryScale = 1 << (sib >> 6);
      } else {
        out.memoryScale = 1 << (sib >> 6);
      }
      base = (sib & 7) | ((rex & 1) << 3);
      if ((sib & 7) === 5 && mod === 0) {
        out.memoryDisplacement = readSigned(4);
        out.displacementBytes = 4;
      } else {
        out.memoryBase = reg(addrClass, base);
      }
    } else if (rmField === 5 && mod === 0) {
      out.memoryBase = reg(RegClass.Rip, asz === 8 ? 0 : 1);
      out.memoryDisplacement = readSigned(4);
      out.displacementBytes = 4;
    } else {
      out.memoryBase = reg(addrClass, base);
    }
    if (mod === 1) {
      out.memoryDisplacement = readSigned(1);
      out.displacementBytes = 1;
    } else if (mod === 2) {
      out.memoryDisplacement = readSigned(4);
      out.displacementBytes = 4;
    }
    if (failed) return fail(out, DecodeError.Truncated, start);
  }

  // Phase 6: operands and immediates, in operand order.
  const regIndex = regField | ((rex & 4) << 1);
  const rmIndex = rmField | ((rex & 1) << 3);
  const hasRex = rex !== 0;
  const vecClass = vexL ? RegClass.Ymm : RegClass.Xmm;
  const vecBytes = vexL ? 32 : 16;
  let usesVvvv = false;
  // Which prefixes the operands consumed, so a disassembler can show unused ones (objdump does).
  let sized = false;
  let sized16 = false;
  let is4 = 0;
  const packed = FORM_OPERANDS[form]!;
  let n = 0;
  for (; n < 4; n++) {
    const spec = (packed >>> (8 * n)) & 255;
    if (spec === 0) break;
    let kind: number = OperandKind.Register;
    let r = 0;
    let size = 0;
    switch (spec) {
      case Spec.Gb: r = gpr(1, regIndex, hasRex); size = 1; break;
      case Spec.Gw: r = gpr(2, regIndex, hasRex); size = 2; break;
      case Spec.Gd: r = gpr(4, regIndex, hasRex); size = 4; break;
      case Spec.Gq: r = gpr(8, regIndex, hasRex); size = 8; break;
      case Spec.Gv: r = gpr(osz, regIndex, hasRex); size = osz; sized = true; break;
      case Spec.Gy: r = gpr(ysz, regIndex, hasRex); size = ysz; sized = true; break;
      case Spec.Eb: case Spec.Ew: case Spec.Ed: case Spec.Eq: case Spec.Ev: case Spec.Ey: {
        size = spec === Spec.Eb ? 1 : spec === Spec.Ew ? 2 : spec === Spec.Ed ? 4 : spec === Spec.Eq ? 8 : spec === Spec.Ev ? osz : ysz;
        if (spec === Spec.Ev || spec === Spec.Ey) sized = true;
        if (mod === 3) r = gpr(size, rmIndex, hasRex);
        else kind = OperandKind.Memory;
        break;
      }
      case Spec.M: case Spec.Menv: case Spec.Mst: kind = OperandKind.Memory; size = 0; break;
      case Spec.Mb: kind = OperandKind.Memory; size = 1; break;
      case Spec.Mxlat: kind = OperandKind.Memory; size = 1; out.memoryBase = gpr(asz, 3, false); break;
      case Spec.Mw: case Spec.Mi16: kind = OperandKind.Memory; size = 2; break;
      case Spec.Md: case Spec.Mf32: case Spec.Mi32: kind = OperandKind.Memory; size = 4; break;
      case Spec.Mq: case Spec.Mf64: case Spec.Mi64: kind = OperandKind.Memory; size = 8; break;
      case Spec.Mdq: kind = OperandKind.Memory; size = 16; break;
      case Spec.Mqq: kind = OperandKind.Memory; size = 32; break;
      case Spec.Mx: kind = OperandKind.Memory; size = vecBytes; break;
      case Spec.Mt: case Spec.Mf80: case Spec.Mbcd: kind = OperandKind.Memory; size = 10; break;
      case Spec.Mp: kind = OperandKind.Memory; size = osz === 2 ? 4 : 6; sized16 = true; break;
      case Spec.Mv: kind = OperandKind.Memory; size = osz; sized = true; break;
      case Spec.My: kind = OperandKind.Memory; size = ysz; sized = true; break;
      case Spec.VsL4: case Spec.VsX8: case Spec.VsL8: {
        // VSIB: a SIB byte is required and its index names a vector register.
        if (sibByte < 0) return fail(out, DecodeError.InvalidModrmForm, start);
        kind = OperandKind.Memory;
        size = spec === Spec.VsL4 ? 4 : 8;
        out.memoryIndex = reg(spec === Spec.VsX8 ? RegClass.Xmm : vecClass, ((sibByte >> 3) & 7) | ((rex & 2) << 2));
        out.memoryScale = 1 << (sibByte >> 6);
        break;
      }
      case Spec.Mdq2: kind = OperandKind.Memory; size = osz === 8 ? 16 : 8; sized = true; break;
      case Spec.Ib:
        size = 1;
        if (n > 0 && out.operandKind[n - 1] === OperandKind.Immediate) {
          kind = OperandKind.Immediate2; // ENTER's second immediate
          out.immediate2 = readUnsigned(1);
        } else {
          kind = OperandKind.Immediate;
          out.immediate = readUnsigned(1);
        }
        break;
      case Spec.sIb: case Spec.Iz: {
        kind = OperandKind.Immediate;
        size = osz;
        sized = true;
        const v = spec === Spec.sIb ? readSigned(1) : readSigned(osz === 2 ? 2 : 4);
        setImmediate(out, v, osz);
        break;
      }
      case Spec.Iw: kind = OperandKind.Immediate; size = 2; out.immediate = readUnsigned(2); break;
      case Spec.Iv: {
        kind = OperandKind.Immediate;
        size = osz;
        sized = true;
        if (osz === 8) {
          out.immediate = readUnsigned(4);
          out.immediateHigh = readUnsigned(4);
        } else out.immediate = readUnsigned(osz);
        break;
      }
      case Spec.Jb: case Spec.Jz: {
        kind = OperandKind.BranchTarget;
        size = osz;
        const rel = readSigned(spec === Spec.Jb ? 1 : 4);
        out.branchTarget = ip + (pos - start) + rel;
        break;
      }
      case Spec.Ob: case Spec.Ov: {
        kind = OperandKind.MemoryOffset;
        size = spec === Spec.Ob ? 1 : osz;
        sized ||= spec === Spec.Ov;
        out.immediate = readUnsigned(4);
        out.immediateHigh = asz === 8 ? readUnsigned(4) : 0;
        break;
      }
      case Spec.I1: kind = OperandKind.ConstantOne; size = 1; break;
      case Spec.AL: r = reg(RegClass.Gpr8, 0); size = 1; break;
      case Spec.CL: r = reg(RegClass.Gpr8, 1); size = 1; break;
      case Spec.DX: r = reg(RegClass.Gpr16, 2); size = 2; break;
      case Spec.AX: r = reg(RegClass.Gpr16, 0); size = 2; break;
      case Spec.rAX: r = gpr(osz, 0, false); size = osz; sized = true; break;
      case Spec.eAX: size = osz === 2 ? 2 : 4; r = gpr(size, 0, false); sized16 = true; break;
      case Spec.XMM0: r = reg(RegClass.Xmm, 0); size = 16; break;
      case Spec.ST0: r = reg(RegClass.St, 8); size = 10; break;
      case Spec.FS: r = reg(RegClass.Segment, 4); size = 2; break;
      case Spec.GS: r = reg(RegClass.Segment, 5); size = 2; break;
      case Spec.Zb: r = gpr(1, (b & 7) | ((rex & 1) << 3), hasRex); size = 1; break;
      case Spec.Zv: case Spec.Zq: r = gpr(osz, (b & 7) | ((rex & 1) << 3), hasRex); size = osz; sized = true; break;
      case Spec.Zy: r = gpr(ysz, (b & 7) | ((rex & 1) << 3), hasRex); size = ysz; sized = true; break;
      case Spec.Sw:
        if (regField > 5 || (n === 0 && regField === 1)) return fail(out, DecodeError.InvalidModrmForm, start);
        r = reg(RegClass.Segment, regField); size = 2; break;
      case Spec.Cq:
        if (regIndex !== 0 && regIndex !== 2 && regIndex !== 3 && regIndex !== 4 && regIndex !== 8) {
          return fail(out, DecodeError.InvalidModrmForm, start);
        }
        r = reg(RegClass.Control, regIndex); size = 8; break;
      case Spec.Dq:
        if (regIndex > 7) return fail(out, DecodeError.InvalidModrmForm, start);
        r = reg(RegClass.Debug, regIndex); size = 8; break;
      case Spec.Pq: r = reg(RegClass.Mmx, regField); size = 8; break;
      case Spec.Qq: case Spec.Qd:
        size = spec === Spec.Qq ? 8 : 4;
        if (mod === 3) r = reg(RegClass.Mmx, rmField);
        else kind = OperandKind.Memory;
        break;
      case Spec.Nq: r = reg(RegClass.Mmx, rmField); size = 8; break;
      case Spec.Vx: r = reg(vecClass, regIndex); size = vecBytes; break;
      case Spec.Vdq: r = reg(RegClass.Xmm, regIndex); size = 16; break;
      case Spec.Vqq: r = reg(RegClass.Ymm, regIndex); size = 32; break;
      case Spec.Wx: case Spec.Wdq: case Spec.Wqq: case Spec.Wq: case Spec.Wd: case Spec.Ww: case Spec.Wb: {
        const regBytes = spec === Spec.Wx ? vecBytes : spec === Spec.Wqq ? 32 : 16;
        size =
          spec === Spec.Wq ? 8 : spec === Spec.Wd ? 4 : spec === Spec.Ww ? 2 : spec === Spec.Wb ? 1 : regBytes;
        if (mod === 3) {
          r = reg(regBytes === 32 ? RegClass.Ymm : RegClass.Xmm, rmIndex);
          size = regBytes;
        } else kind = OperandKind.Memory;
        break;
      }
      case Spec.Ux: r = reg(vecClass, rmIndex); size = vecBytes; break;
      case Spec.Udq: r = reg(RegClass.Xmm, rmIndex); size = 16; break;
      case Spec.Hx: r = reg(vecClass, vvvv); size = vecBytes; usesVvvv = true; break;
      case Spec.Hdq: r = reg(RegClass.Xmm, vvvv); size = 16; usesVvvv = true; break;
      case Spec.By: r = gpr(ysz, vvvv, true); size = ysz; usesVvvv = true; break;
      case Spec.Lx: is4 = readUnsigned(1); r = reg(vecClass, is4 >> 4); size = vecBytes; break;
      case Spec.STi: r = reg(RegClass.St, rmField); size = 10; break;
      case Spec.Ry: r = gpr(ysz, rmIndex, hasRex); size = ysz; sized = true; break;
      case Spec.Rv: r = gpr(osz, rmIndex, hasRex); size = osz; sized = true; break;
      case Spec.Rd: r = gpr(4, rmIndex, hasRex); size = 4; break;
      case Spec.Rq: r = gpr(8, rmIndex, hasRex); size = 8; break;
      case Spec.Xb: case Spec.Xv: case Spec.Xz: case Spec.Yb: case Spec.Yv: case Spec.Yz: {
        const source = spec === Spec.Xb || spec === Spec.Xv || spec === Spec.Xz;
        kind = source ? OperandKind.StringSource : OperandKind.StringDestination;
        if (spec === Spec.Xb || spec === Spec.Yb) size = 1;
        else if (spec === Spec.Xv || spec === Spec.Yv) {
          size = osz;
          sized = true;
        } else {
          size = osz === 2 ? 2 : 4;
          sized16 = true;
        }
        break;
      }
      // Only eight mask and tile registers: VEX.R and the top bit of vvvv must be clear.
      case Spec.Kg: case Spec.Tg:
        if (regIndex > 7) return fail(out, DecodeError.InvalidVexField, start);
        r = reg(spec === Spec.Kg ? RegClass.Mask : RegClass.Tmm, regField); size = spec === Spec.Kg ? 8 : 0; break;
      case Spec.Kr: r = reg(RegClass.Mask, rmField); size = 8; break;
      case Spec.Tr: r = reg(RegClass.Tmm, rmField); size = 0; break;
      case Spec.Kh: case Spec.Th:
        if (vvvv > 7) return fail(out, DecodeError.InvalidVexField, start);
        r = reg(spec === Spec.Kh ? RegClass.Mask : RegClass.Tmm, vvvv); size = spec === Spec.Kh ? 8 : 0; usesVvvv = true; break;
      case Spec.Msib:
        if (sibByte < 0) return fail(out, DecodeError.InvalidModrmForm, start);
        kind = OperandKind.Memory;
        break;
      case Spec.Ldq: r = reg(RegClass.Xmm, readUnsigned(1) >> 4); size = 16; break;
      default:
        kind = OperandKind.None;
    }
    out.operandKind[n] = kind;
    out.operandRegister[n] = r;
    out.operandBytes[n] = size;
  }
  if (attrs & ATTR_IMM4) {
    out.operandKind[n] = OperandKind.Immediate;
    out.operandRegister[n] = 0;
    out.operandBytes[n] = 1;
    out.immediate = is4 & 15;
    n++;
  }
  for (let k = n; k < 5; k++) {
    out.operandKind[k] = 0;
    out.operandRegister[k] = 0;
    out.operandBytes[k] = 0;
  }
  if (map === MAP_3DNOW) pos++; // the suffix byte, already read as the opcode
  if (failed) return fail(out, DecodeError.Truncated, start);
  if (vex && !usesVvvv && vvvv !== 0) return fail(out, DecodeError.VexVvvvNotUnused, start);
  if (sibByte >= 0 && map === 5 && b >= 0x90 && b <= 0x93) {
    // Gathers: destination, index and mask must be three different registers (#UD otherwise).
    const index = out.memoryIndex & 31;
    if (index === regIndex || index === vvvv || regIndex === vvvv) return fail(out, DecodeError.InvalidModrmForm, start);
  }
  if (attrs & ATTR_DISTINCT) {
    const v = vvvv & 7;
    if (regField === rmField || regField === v || rmField === v) return fail(out, DecodeError.InvalidModrmForm, start);
  }
  out.operandCount = n;
  out.form = form;
  const m16 = FORM_MNEMONIC[form * 3]!;
  const m32 = FORM_MNEMONIC[form * 3 + 1]!;
  const m64 = FORM_MNEMONIC[form * 3 + 2]!;
  if (m16 !== m32 || m32 !== m64) sized = true;
  if (!vex) {
    let used = rex === 0 ? 0 : usedRexBits(form, modrm, hasModrm, mod, sized && (attrs & (ATTR_D64 | ATTR_F64)) === 0);
    if (hasModrm && mod !== 3 && rmField === 4) used |= 2;
    out.unusedRex = rex !== 0 && (rex & 15 & ~used) !== 0 ? rex : 0;
  }
  const sixtySixUsed = (sized || sized16) && (attrs & ATTR_F64) === 0;
  out.unusedOperandSizePrefixes =
    out.extraOperandSizePrefixes + ((prefixes & Prefix.OperandSize) !== 0 && out.mandatoryPrefix !== 0x66 && !sixtySixUsed ? 1 : 0);
  out.mnemonic = MNEMONIC_NAMES[osz === 2 ? m16 : osz === 4 ? m32 : m64]!;
  out.flagsRead = attrs & 255;
  out.flagsWritten = (attrs >> 8) & 255;
  out.branchKind = (attrs >> 16) & 15;
  out.extension = EXTENSION_NAMES[FORM_EXT[form]!]!;
  out.length = pos - start;
  return out.length;
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

/**
 * REX bits an instruction's operands consume: W (8) when the operand size matters, R (4) when
 * ModRM.reg names a register, X (2) for a SIB index (added by the caller), B (1) when ModRM.rm,
 * a SIB base or the opcode's register field names a register.
 */
function usedRexBits(form: number, modrm: number, hasModrm: boolean, mod: number, wideMatters: boolean): number {
  const packed = FORM_OPERANDS[form]!;
  let used = wideMatters ? 8 : 0;
  for (let i = 0; i < 4; i++) {
    const spec = (packed >>> (8 * i)) & 255;
    if (spec === 0) break;
    const field = SPEC_FIELD[spec]!;
    if (field === 1) used |= 4;
    else if (spec === Spec.Qq || spec === Spec.Qd) used |= mod !== 3 ? 1 : 0;
    else if (field === 2) used |= hasModrm && (mod === 3 || (modrm & 7) !== 5 || mod !== 0) ? 1 : 0;
    else if (spec === Spec.Zb || spec === Spec.Zv || spec === Spec.Zq || spec === Spec.Zy) used |= 1;
  }
  return used;
}

const REG_FIELD_SPECS = [
  Spec.Gb, Spec.Gw, Spec.Gd, Spec.Gq, Spec.Gv, Spec.Gy, Spec.Cq, Spec.Dq, Spec.Vx, Spec.Vdq, Spec.Vqq,
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

/** Stores a signed immediate sign-extended to `size` bytes as unsigned low/high halves. */
function setImmediate(out: DecodedInstruction, value: number, size: number): void {
  if (size === 8) {
    out.immediate = value >>> 0;
    out.immediateHigh = value < 0 ? 0xffffffff : 0;
  } else {
    out.immediate = size === 4 ? value >>> 0 : value & 0xffff;
    out.immediateHigh = 0;
  }
}

// Encodes one instruction from an opcode-data form and concrete operand choices: legacy
// prefixes, REX or VEX, opcode, ModRM, SIB, displacement and immediates.
import type { OpcodeForm } from "./opcode-forms.js";

/** A memory operand as the encoding expresses it. */
export interface MemoryOperand {
  /** Base register 0–15, or -1 for none. */
  base: number;
  /** Index register 0–15 (not 4), or -1 for none. */
  index: number;
  scale: 1 | 2 | 4 | 8;
  /** Signed displacement (for RIP-relative: relative to the next instruction). */
  disp: number;
  /** Displacement bytes: 0, 1 or 4 (ignored when the mode forces 4). */
  dispBytes: 0 | 1 | 4;
  ripRelative: boolean;
}

/** Everything the encoder needs beyond the form. */
export interface EncodeRequest {
  form: OpcodeForm;
  /** Lock, segment, address-size and REP prefixes, in order, before 66 and the mandatory prefix. */
  legacyPrefixes: number[];
  /** Emit 66 to select 16-bit operands. */
  operandSize16: boolean;
  rexW: boolean;
  /** Emit a REX byte even when no bit is set (selects spl..dil over ah..bh). */
  forceRex: boolean;
  /** ModRM.reg (0–15); overridden by a form's fixed /N. */
  reg: number;
  /** Register in ModRM.rm (0–15) when there is no memory operand; overridden by /N.R. */
  rm: number;
  memory: MemoryOperand | undefined;
  /** Register in the opcode's low bits (0–15) for the "+" forms. */
  opcodeRegister: number;
  /** VEX.vvvv register (0–15). */
  vvvv: number;
  /** Immediate bytes, in operand order. */
  immediates: number[];
  /** Use the two-byte C5 VEX form when possible. */
  vexShort: boolean;
}

const MAP_ESCAPES: Record<string, number[]> = { "1": [], "0F": [0x0f], "0F38": [0x0f, 0x38], "0F3A": [0x0f, 0x3a] };
const VEX_MAP: Record<string, number> = { V1: 1, V2: 2, V3: 3 };
const VEX_PP: Record<string, number> = { "-": 0, NP: 0, "66": 1, F3: 2, F2: 3 };
const MANDATORY: Record<string, number> = { "66": 0x66, F3: 0xf3, F2: 0xf2 };

/** ModRM, SIB and displacement bytes, plus the REX.X/B bits they need. */
function addressing(reg: number, request: EncodeRequest): { bytes: number[]; x: number; b: number } {
  const mem = request.memory;
  if (!mem) return { bytes: [0xc0 | ((reg & 7) << 3) | (request.rm & 7)], x: 0, b: request.rm >> 3 };
  const regBits = (reg & 7) << 3;
  if (mem.ripRelative) return { bytes: [regBits | 5, ...le(mem.disp, 4)], x: 0, b: 0 };
  if (mem.base < 0) {
    // No base: SIB with base 101 and mod 00 means disp32 (index 100 = none).
    const index = mem.index < 0 ? 4 : mem.index;
    const sib = (Math.log2(mem.scale) << 6) | ((index & 7) << 3) | 5;
    return { bytes: [regBits | 4, sib, ...le(mem.disp, 4)], x: index >> 3, b: 0 };
  }
  let dispBytes = mem.dispBytes;
  if (dispBytes === 0 && (mem.base & 7) === 5) dispBytes = 1; // rbp/r13 need a displacement
  const mod = dispBytes === 0 ? 0 : dispBytes === 1 ? 1 : 2;
  const disp = dispBytes === 0 ? [] : le(mem.disp, dispBytes);
  if (mem.index >= 0 || (mem.base & 7) === 4) {
    const index = mem.index < 0 ? 4 : mem.index;
    const sib = (Math.log2(mem.scale) << 6) | ((index & 7) << 3) | (mem.base & 7);
    return { bytes: [(mod << 6) | regBits | 4, sib, ...disp], x: index >> 3, b: mem.base >> 3 };
  }
  return { bytes: [(mod << 6) | regBits | (mem.base & 7), ...disp], x: 0, b: mem.base >> 3 };
}

/** Little-endian bytes of a signed or unsigned value. */
export function le(value: number | bigint, bytes: number): number[] {
  let v = BigInt.asUintN(bytes * 8, BigInt(value));
  const out: number[] = [];
  for (let i = 0; i < bytes; i++) {
    out.push(Number(v & 0xffn));
    v >>= 8n;
  }
  return out;
}

/** The bytes of one instruction. */
export function encode(request: EncodeRequest): Uint8Array {
  const { form } = request;
  const reg = form.reg ?? request.reg;
  const rmRequest = form.rm !== undefined ? { ...request, rm: form.rm } : request;
  const hasModrm = form.modrm !== "none";
  const modrm = hasModrm ? addressing(reg, rmRequest) : { bytes: [], x: 0, b: 0 };
  const r = hasModrm ? reg >> 3 : 0;
  const b = form.plusRegister ? request.opcodeRegister >> 3 : modrm.b;
  const opcode = form.plusRegister ? form.opcode + (request.opcodeRegister & 7) : form.opcode;
  const out: number[] = [...request.legacyPrefixes];
  const vexMap = VEX_MAP[form.map];
  if (vexMap !== undefined) {
    const w = request.rexW ? 1 : 0;
    const l = form.vexL ?? 0;
    const pp = VEX_PP[form.prefix]!;
    const vvvv = (~request.vvvv & 15) << 3;
    if (request.vexShort && vexMap === 1 && modrm.x === 0 && b === 0 && w === 0) {
      out.push(0xc5, ((r ^ 1) << 7) | vvvv | (l << 2) | pp);
    } else {
      out.push(0xc4, ((r ^ 1) << 7) | ((modrm.x ^ 1) << 6) | ((b ^ 1) << 5) | vexMap, (w << 7) | vvvv | (l << 2) | pp);
    }
  } else {
    if (request.operandSize16) out.push(0x66);
    const mandatory = MANDATORY[form.prefix];
    if (mandatory !== undefined) out.push(mandatory);
    const rex = (request.rexW ? 8 : 0) | (r << 2) | (modrm.x << 1) | b;
    if (rex !== 0 || request.forceRex) out.push(0x40 | rex);
    out.push(...MAP_ESCAPES[form.map]!);
  }
  out.push(opcode, ...modrm.bytes, ...request.immediates);
  return Uint8Array.from(out);
}

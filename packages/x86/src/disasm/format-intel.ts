// Intel syntax exactly as GNU objdump prints it with -M intel.
import { DecodedInstruction, OperandKind, Prefix } from "../decoder/decoded-instruction.js";
import { RegClass, registerName } from "../decoder/registers.js";

/** Resolves an address to a label such as "main+0x10" (or undefined). */
export type Symbolizer = (address: number) => string | undefined;

const SIZE_KEYWORD: Record<number, string> = {
  1: "BYTE", 2: "WORD", 4: "DWORD", 6: "FWORD", 8: "QWORD", 10: "TBYTE", 16: "XMMWORD", 32: "YMMWORD",
};
const SEGMENT_NAME: Record<number, string> = { 0x26: "es", 0x2e: "cs", 0x36: "ss", 0x3e: "ds", 0x64: "fs", 0x65: "gs" };
const OBJDUMP_X87_SWAP: Record<string, string> = {
  fsub: "fsubr", fsubr: "fsub", fdiv: "fdivr", fdivr: "fdiv", fsubp: "fsubrp", fsubrp: "fsubp", fdivp: "fdivrp", fdivrp: "fdivp",
};
/** The string instructions' source and destination registers by address size. */
export const STRING_REGISTERS: Record<number, [string, string]> = { 2: ["si", "di"], 4: ["esi", "edi"], 8: ["rsi", "rdi"] };
const SUFFIXED = new Set(["ret", "retf", "enter", "leave", "fldenv", "fnstenv", "frstor", "fnsave", "iret"]);
const STRING_OPS = new Set(["ins", "outs", "movs", "lods", "stos", "cmps", "scas"]);
const CMP_PREDICATES = ["eq", "lt", "le", "unord", "neq", "nlt", "nle", "ord"];
const VEX_CMP_PREDICATES = [
  ...CMP_PREDICATES, "eq_uq", "nge", "ngt", "false", "neq_oq", "ge", "gt", "true", "eq_os", "lt_oq", "le_oq", "unord_s",
  "neq_us", "nlt_uq", "nle_uq", "ord_s", "eq_us", "nge_uq", "ngt_uq", "false_os", "neq_os", "ge_oq", "gt_oq", "true_us",
];
const VEX_MARKED = new Set([
  "vpdpbusd", "vpdpbusds", "vpdpwssd", "vpdpwssds", "vpmadd52luq", "vpmadd52huq", "vcvtneps2bf16",
]);
const CLMUL_NAMES: Record<number, string> = { 0x00: "pclmullqlqdq", 0x01: "pclmulhqlqdq", 0x10: "pclmullqhqdq", 0x11: "pclmulhqhqdq" };

/** Hex digits of an unsigned value given as 32-bit halves, without leading zeros. */
export function hex64(low: number, high: number): string {
  return high === 0 ? (low >>> 0).toString(16) : (high >>> 0).toString(16) + (low >>> 0).toString(16).padStart(8, "0");
}

/** Hex of a (possibly negative) number as an unsigned value of `bytes` bytes. */
function hexUnsigned(value: number, bytes: number): string {
  if (value >= 0) return value.toString(16);
  if (bytes === 8) return hex64(value >>> 0, Math.floor(value / 2 ** 32) >>> 0);
  return (bytes === 4 ? value >>> 0 : value & (2 ** (bytes * 8) - 1)).toString(16);
}

function isMemory(kind: number): boolean {
  return kind === OperandKind.Memory;
}

/** Whether a segment override applies to memory operands (outside 64-bit mode all of them do). */
export function effectiveSegment(ins: DecodedInstruction): boolean {
  const seg = ins.segmentPrefix;
  return seg === 0x64 || seg === 0x65 || (seg !== 0 && ins.bits === 32);
}

function memoryText(ins: DecodedInstruction, size: number, noSize: boolean): string {
  const ptr = noSize || size === 0 ? "" : `${SIZE_KEYWORD[size] ?? ""} PTR `;
  const seg = effectiveSegment(ins) ? `${SEGMENT_NAME[ins.segmentPrefix]}:` : "";
  const disp = ins.memoryDisplacement;
  if (ins.memoryBase === 0 && ins.memoryIndex === 0) {
    return `${ptr}${seg || "ds:"}0x${hexUnsigned(disp, ins.addressSize)}`;
  }
  let inner = registerName(ins.memoryBase);
  // 16-bit addressing has no scale: [bx+si].
  if (ins.memoryIndex !== 0) inner += `${inner ? "+" : ""}${registerName(ins.memoryIndex)}${ins.addressSize === 2 ? "" : `*${ins.memoryScale}`}`;
  else if (ins.memoryBase !== 0 && (ins.memoryBase & 15) === 4 && ins.memoryScale !== 1) inner += `+riz*${ins.memoryScale}`;
  if (ins.displacementBytes > 0) {
    if ((ins.memoryBase >> 5) === RegClass.Rip) inner += `+0x${hexUnsigned(disp, 8)}`;
    else inner += disp < 0 ? `-0x${(-disp).toString(16)}` : `+0x${disp.toString(16)}`;
  }
  return `${ptr}${seg}[${inner}]`;
}

/** Prefix words, mnemonic and number of shown operands as objdump spells them (shared with AT&T). */
export interface ObjdumpHead {
  prefix: string;
  mnemonic: string;
  shown: number;
  hasMemory: boolean;
}

/** Computes objdump's prefix words and mnemonic spelling for a valid instruction. */
export function objdumpHead(ins: DecodedInstruction): ObjdumpHead {
  let mnemonic = ins.mnemonic;
  const count = ins.operandCount;
  let shown = count;
  let hasMemory = false;
  for (let i = 0; i < count; i++) if (isMemory(ins.operandKind[i]!)) hasMemory = true;

  // Pseudo-op spellings objdump uses for some immediates.
  const lastImm = count > 0 && ins.operandKind[count - 1] === OperandKind.Immediate ? ins.immediate : -1;
  if (ins.map === 1 && ins.opcode === 0xc2 && lastImm >= 0 && lastImm < 8) {
    mnemonic = `cmp${CMP_PREDICATES[lastImm]}${mnemonic.slice(3)}`;
    shown = count - 1;
  } else if (ins.map === 4 && ins.opcode === 0xc2 && lastImm >= 0 && lastImm < 32) {
    mnemonic = `vcmp${VEX_CMP_PREDICATES[lastImm]}${mnemonic.slice(4)}`;
    shown = count - 1;
  } else if ((ins.map === 3 || ins.map === 6) && ins.opcode === 0x44 && CLMUL_NAMES[lastImm] !== undefined) {
    mnemonic = (ins.map === 6 ? "v" : "") + CLMUL_NAMES[lastImm]!;
    shown = count - 1;
  } else if (ins.map === 0 && (ins.opcode === 0xdc || ins.opcode === 0xde) && ins.modrm >= 0xe0) {
    // objdump keeps the historical AT&T (UnixWare) swap of fsub/fsubr and fdiv/fdivr here.
    mnemonic = OBJDUMP_X87_SWAP[mnemonic] ?? mnemonic;
  } else if (ins.map === 0 && ins.opcode >= 0xb8 && ins.opcode <= 0xbf && ins.operandSize === 8) {
    mnemonic = "movabs";
  } else if (mnemonic === "jrcxz" && ins.addressSize !== 8) {
    mnemonic = ins.addressSize === 4 ? "jecxz" : "jcxz";
  } else if (mnemonic === "movabs" && ins.bits === 32) {
    mnemonic = "mov"; // moffs is only "abs"olute-64 in 64-bit mode
  } else if (/^(sysret|sysexit)d$/.test(mnemonic) && ins.bits === 32) {
    mnemonic = mnemonic.slice(0, -1);
  } else if (ins.bits === 32 && ins.operandSize === 2 && ins.operandKind[0] === OperandKind.BranchTarget && ins.map === 0 && (ins.opcode === 0xe8 || ins.opcode === 0xe9 || ins.opcode === 0xc7)) {
    mnemonic += "w"; // rel16: jmpw, callw, xbeginw (objdump leaves jcc unmarked)
  }

  // objdump spells an otherwise unused 66 / REX.W on these as a w / q mnemonic suffix.
  let unused66 = ins.unusedOperandSizePrefixes;
  let unusedRex = ins.unusedRex;
  if (SUFFIXED.has(mnemonic)) {
    if (unusedRex & 8 && (mnemonic === "retf" || mnemonic === "iret")) {
      mnemonic += "q";
      unusedRex = (unusedRex & 7) !== 0 && (unusedRex & 7 & ~8) !== 0 ? unusedRex & ~8 : 0;
    } else if (unused66 > 0) {
      mnemonic += "w";
      unused66--;
    }
  } else if ((mnemonic === "push" || mnemonic === "pop") && ins.operandKind[0] === OperandKind.Immediate && ins.operandSize === 2) {
    mnemonic += "w";
  } else if ((mnemonic === "push" || mnemonic === "pop") && ins.operandRegister[0]! >> 5 === RegClass.Segment && unused66 > 0) {
    mnemonic += "w";
    unused66--;
  }
  // Outside 64-bit mode objdump names the operand size of the descriptor-table instructions.
  if (ins.bits === 32 && /^[ls][gi]dt$/.test(mnemonic)) {
    mnemonic += unused66 > 0 ? "w" : "d";
    if (unused66 > 0) unused66--;
  }
  let prefix = "data16 ".repeat(unused66);
  const p = ins.prefixes;
  if (p & Prefix.Lock) prefix += "lock ";
  if (STRING_OPS.has(mnemonic)) {
    const compares = mnemonic === "cmps" || mnemonic === "scas";
    if (p & Prefix.Rep) prefix += compares ? "repz " : "rep ";
    if (p & Prefix.Repne) prefix += compares ? "repnz " : "repnz ";
  } else if (p & Prefix.Repne && ins.mandatoryPrefix !== 0xf2 && ins.branchKind >= 1 && ins.branchKind <= 4) {
    prefix += "bnd ";
  } else if (p & Prefix.Rep && (ins.mandatoryPrefix !== 0xf3 || ins.extension === "PADLOCK")) {
    // PadLock's F3 is a real rep (the operation repeats over rcx blocks); objdump shows it.
    prefix += "repz ";
  }
  // 67 on jrcxz picks the count register, which the mnemonic shows (jecxz, jcxz).
  if (p & Prefix.AddressSize && !hasMemory && !STRING_OPS.has(mnemonic) && !/^j[er]?cxz$/.test(mnemonic)) prefix += ins.addressSize === 2 ? "addr16 " : "addr32 ";
  const seg = ins.segmentPrefix;
  if (seg !== 0 && !(hasMemory && effectiveSegment(ins)) && !STRING_OPS.has(mnemonic)) {
    const indirect = ins.map === 0 && ins.opcode === 0xff && (ins.branchKind === 2 || ins.branchKind === 3);
    prefix += seg === 0x3e && indirect ? "notrack " : `${SEGMENT_NAME[seg]} `;
  }

  // objdump marks the VEX forms of instructions that also have an EVEX form it prefers.
  if (VEX_MARKED.has(mnemonic) && ins.prefixes & Prefix.Vex) prefix += "{vex} ";
  if (unusedRex !== 0) {
    const r = unusedRex;
    prefix += `rex${r & 15 ? "." : ""}${r & 8 ? "W" : ""}${r & 4 ? "R" : ""}${r & 2 ? "X" : ""}${r & 1 ? "B" : ""} `;
  }
  return { prefix, mnemonic, shown, hasMemory };
}

/**
 * Formats a decoded instruction in objdump's Intel syntax ("mov    eax,DWORD PTR [rbp-0x4]").
 * Invalid encodings print as "(bad)", as objdump does.
 */
export function formatIntel(ins: DecodedInstruction, symbolize?: Symbolizer): string {
  if (ins.error !== 0) return "(bad)";
  const { prefix, mnemonic, shown } = objdumpHead(ins);
  const seg = ins.segmentPrefix;
  const parts: string[] = [];
  let comment = "";
  for (let i = 0; i < shown; i++) {
    const kind = ins.operandKind[i]!;
    const size = ins.operandBytes[i]!;
    switch (kind) {
      case OperandKind.Register:
        parts.push(registerName(ins.operandRegister[i]!));
        break;
      case OperandKind.Memory: {
        let text = mnemonic === "xlat" ? `BYTE PTR ${SEGMENT_NAME[ins.segmentPrefix] ?? "ds"}:[${registerName(ins.memoryBase)}]` : memoryText(ins, size, mnemonic === "lea");
        if (mnemonic === "cmpxchg16b" || mnemonic === "invept" || mnemonic === "invvpid") text = text.replace("XMMWORD", "OWORD");
        parts.push(text);
        if ((ins.memoryBase >> 5) === RegClass.Rip) {
          const target = ins.ip + ins.length + ins.memoryDisplacement;
          const label = symbolize?.(target);
          comment = `        # ${target.toString(16)}${label ? ` <${label}>` : ""}`;
        }
        break;
      }
      case OperandKind.Immediate:
        parts.push(`0x${size === 8 ? hex64(ins.immediate, ins.immediateHigh) : (ins.immediate >>> 0).toString(16)}`);
        break;
      case OperandKind.Immediate2:
        parts.push(`0x${ins.immediate2.toString(16)}`);
        break;
      case OperandKind.ConstantOne:
        parts.push("1");
        break;
      case OperandKind.BranchTarget: {
        const label = symbolize?.(ins.branchTarget);
        parts.push(`${hexUnsigned(ins.branchTarget, 8)}${label ? ` <${label}>` : ""}`);
        break;
      }
      case OperandKind.MemoryOffset:
        parts.push(`${seg === 0x64 || seg === 0x65 ? SEGMENT_NAME[seg] : "ds"}:0x${hex64(ins.immediate, ins.immediateHigh)}`);
        break;
      case OperandKind.StringSource: {
        const s = seg !== 0 ? SEGMENT_NAME[seg] : "ds";
        parts.push(`${SIZE_KEYWORD[size]} PTR ${s}:[${STRING_REGISTERS[ins.addressSize]![0]}]`);
        break;
      }
      case OperandKind.StringDestination:
        parts.push(`${SIZE_KEYWORD[size]} PTR es:[${STRING_REGISTERS[ins.addressSize]![1]}]`);
        break;
      case OperandKind.FarPointer:
        parts.push(`0x${ins.immediate2.toString(16)}:0x${(ins.immediate >>> 0).toString(16)}`);
        break;
    }
  }
  const head = prefix + mnemonic;
  if (parts.length === 0) return head + comment;
  return `${head.padEnd(6)} ${parts.join(",")}${comment}`;
}

// AT&T syntax as GNU objdump prints it by default (no -M intel).
import { DecodedInstruction, OperandKind } from "../decoder/decoded-instruction.js";
import { RegClass, registerName } from "../decoder/registers.js";
import { hex64, objdumpHead, type Symbolizer } from "./format-intel.js";

const SUFFIX: Record<number, string> = { 1: "b", 2: "w", 4: "l", 8: "q" };
const RENAMED: Record<string, string> = {
  cbw: "cbtw", cwde: "cwtl", cdqe: "cltq", cwd: "cwtd", cdq: "cltd", cqo: "cqto", retf: "lret", movsxd: "movslq",
};
const X87_INT_SUFFIX: Record<number, string> = { 2: "s", 4: "l", 8: "ll" };
const X87_FLOAT_SUFFIX: Record<number, string> = { 4: "s", 8: "l", 10: "t" };
const NO_SUFFIX = new Set(["push", "pop", "call", "jmp", "lea", "fldcw", "fnstcw", "fnstsw", "fldenv", "fnstenv", "frstor", "fnsave", "fbld", "fbstp", "lgdt", "lidt", "sgdt", "sidt", "invlpg", "clflush", "clflushopt", "fxsave", "fxrstor", "fxsave64", "fxrstor64", "xsave", "xrstor", "xsave64", "xrstor64", "xsaveopt", "xsaveopt64", "xsavec", "xsaves", "xrstors", "ldmxcsr", "stmxcsr", "lds", "lss", "lfs", "lgs", "prefetchnta", "prefetcht0", "prefetcht1", "prefetcht2", "prefetchw", "prefetch", "prefetchwt1", "cmpxchg8b", "cmpxchg16b", "movbe", "crc32"]);
const STRING_BASES = new Set(["movs", "cmps", "stos", "lods", "scas", "ins", "outs"]);

function hexSigned(v: number): string {
  return v < 0 ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`;
}

function memoryText(ins: DecodedInstruction): string {
  const seg = ins.segmentPrefix === 0x64 ? "%fs:" : ins.segmentPrefix === 0x65 ? "%gs:" : "";
  const disp = ins.memoryDisplacement;
  if (ins.memoryBase === 0 && ins.memoryIndex === 0) {
    return `${seg}0x${(disp < 0 ? (ins.addressSize === 8 ? hex64(disp >>> 0, 0xffffffff) : (disp >>> 0).toString(16)) : disp.toString(16))}`;
  }
  const base = ins.memoryBase === 0 ? "" : `%${registerName(ins.memoryBase)}`;
  const index = ins.memoryIndex !== 0 ? `,%${registerName(ins.memoryIndex)},${ins.memoryScale}` : "";
  const d = ins.displacementBytes > 0 || ins.memoryBase === 0 ? hexSigned(disp) : "";
  return `${seg}${d}(${base}${index})`;
}

/**
 * Formats a decoded instruction in objdump's default AT&T syntax ("mov    -0x4(%rbp),%eax").
 * Prefix spellings, pseudo-ops and mnemonics come from the Intel formatter; AT&T reverses the
 * operands, marks registers with %, immediates with $, indirect branches with *, and adds a size
 * suffix when no register operand fixes the size.
 */
export function formatAtt(ins: DecodedInstruction, symbolize?: Symbolizer): string {
  if (ins.error !== 0) return "(bad)";
  const head = objdumpHead(ins);
  const prefix = head.prefix;
  // objdump's fsub/fsubr swap belongs to its Intel mode; AT&T prints the decoded name.
  const x87Swapped = ins.map === 0 && (ins.opcode === 0xdc || ins.opcode === 0xde) && ins.modrm >= 0xe0;
  let mnemonic = x87Swapped ? ins.mnemonic : head.mnemonic;
  const count = head.shown;
  let memorySize = 0;
  let sizingRegister = false;
  const parts: string[] = [];
  const indirect = (ins.branchKind === 2 || ins.branchKind === 3) && ins.operandKind[0] !== OperandKind.BranchTarget;
  for (let i = 0; i < count; i++) {
    const kind = ins.operandKind[i]!;
    const size = ins.operandBytes[i]!;
    switch (kind) {
      case OperandKind.Register: {
        const r = ins.operandRegister[i]!;
        const cls = r >> 5;
        if (cls >= RegClass.Gpr8 && cls <= RegClass.Gpr64 && !(ins.opcode === 0xd2 || ins.opcode === 0xd3 || (i > 0 && r === 33 && ins.map === 1))) {
          sizingRegister = true;
        } else if (cls !== RegClass.Gpr8 || r !== 33) sizingRegister ||= cls !== RegClass.Segment;
        parts.push(`${indirect ? "*" : ""}%${registerName(r)}`);
        break;
      }
      case OperandKind.Memory:
        memorySize = size;
        parts.push(`${indirect ? "*" : ""}${mnemonic === "xlat" ? "%ds:(%rbx)" : memoryText(ins)}`);
        break;
      case OperandKind.Immediate:
        parts.push(`$0x${size === 8 ? hex64(ins.immediate, ins.immediateHigh) : (ins.immediate >>> 0).toString(16)}`);
        break;
      case OperandKind.Immediate2:
        parts.push(`$0x${ins.immediate2.toString(16)}`);
        break;
      case OperandKind.ConstantOne:
        break;
      case OperandKind.BranchTarget: {
        const label = symbolize?.(ins.branchTarget);
        parts.push(`${ins.branchTarget.toString(16)}${label ? ` <${label}>` : ""}`);
        break;
      }
      case OperandKind.MemoryOffset:
        parts.push(`${ins.segmentPrefix === 0x64 ? "%fs:" : ins.segmentPrefix === 0x65 ? "%gs:" : ""}0x${hex64(ins.immediate, ins.immediateHigh)}`);
        break;
      case OperandKind.StringSource:
        memorySize ||= size;
        parts.push(`%${ins.segmentPrefix === 0x64 ? "fs" : ins.segmentPrefix === 0x65 ? "gs" : "ds"}:(%${ins.addressSize === 8 ? "rsi" : "esi"})`);
        break;
      case OperandKind.StringDestination:
        memorySize ||= size;
        parts.push(`%es:(%${ins.addressSize === 8 ? "rdi" : "edi"})`);
        break;
    }
  }
  mnemonic = RENAMED[mnemonic] ?? mnemonic;
  if (mnemonic === "movzx" || mnemonic === "movsx") {
    mnemonic = `mov${mnemonic[3]}${SUFFIX[ins.operandBytes[1]!]}${SUFFIX[ins.operandBytes[0]!]}`;
  } else if (mnemonic.startsWith("fi") && memorySize > 0) {
    mnemonic += X87_INT_SUFFIX[memorySize] ?? "";
  } else if (mnemonic.startsWith("f") && memorySize > 0 && !NO_SUFFIX.has(mnemonic)) {
    mnemonic += X87_FLOAT_SUFFIX[memorySize] ?? "";
  } else if ((mnemonic === "cvtsi2sd" || mnemonic === "cvtsi2ss") && memorySize > 0) {
    mnemonic += SUFFIX[memorySize];
  } else if (memorySize > 0 && !sizingRegister && !NO_SUFFIX.has(mnemonic) && !mnemonic.startsWith("set") && ins.map <= 1 && !isVectorOperand(ins)) {
    mnemonic += STRING_BASES.has(mnemonic) || !(mnemonic in RENAMED) ? (SUFFIX[memorySize] ?? "") : "";
  } else if (ins.map === 0 && (ins.opcode === 0xff || ins.opcode === 0x8f) && memorySize > 0 && (mnemonic === "push" || mnemonic === "pop")) {
    mnemonic += "";
  }
  const text = prefix + mnemonic;
  let comment = "";
  if (memorySize > 0 && ins.memoryBase >> 5 === RegClass.Rip) {
    const target = ins.ip + ins.length + ins.memoryDisplacement;
    const label = symbolize?.(target);
    comment = `        # ${target.toString(16)}${label ? ` <${label}>` : ""}`;
  }
  if (parts.length === 0) return text + comment;
  return `${text.padEnd(6)} ${parts.reverse().join(",")}${comment}`;
}

function isVectorOperand(ins: DecodedInstruction): boolean {
  for (let i = 0; i < ins.operandCount; i++) {
    const cls = ins.operandRegister[i]! >> 5;
    if (ins.operandKind[i] === OperandKind.Register && (cls === RegClass.Xmm || cls === RegClass.Ymm || cls === RegClass.Mmx)) return true;
  }
  return false;
}

// AT&T syntax as GNU objdump prints it by default (no -M intel).
import { DecodedInstruction, OperandKind } from "../decoder/decoded-instruction.js";
import { RegClass, registerName } from "../decoder/registers.js";
import { STRING_REGISTERS, effectiveSegment, hex64, objdumpHead, type Symbolizer } from "./format-intel.js";

const CL = RegClass.Gpr8 * 32 + 1;
const DX = RegClass.Gpr16 * 32 + 2;
const SUFFIX: Record<number, string> = { 1: "b", 2: "w", 4: "l", 8: "q" };
const RENAMED: Record<string, string> = {
  cbw: "cbtw", cwde: "cwtl", cdqe: "cltq", cwd: "cwtd", cdq: "cltd", cqo: "cqto",
};
const X87_INT_SUFFIX: Record<number, string> = { 2: "s", 4: "l", 8: "ll" };
const X87_FLOAT_SUFFIX: Record<number, string> = { 4: "s", 8: "l", 10: "t" };
const NO_SUFFIX = new Set(["xlat", "sldt", "str", "lldt", "ltr", "verr", "verw", "smsw", "lmsw", "push", "pop", "call", "jmp", "lea", "fldcw", "fnstcw", "fnstsw", "fldenv", "fnstenv", "frstor", "fnsave", "fbld", "fbstp", "lgdt", "lidt", "sgdt", "sidt", "invlpg", "clflush", "clflushopt", "fxsave", "fxrstor", "fxsave64", "fxrstor64", "xsave", "xrstor", "xsave64", "xrstor64", "xsaveopt", "xsaveopt64", "xsavec", "xsaves", "xrstors", "ldmxcsr", "stmxcsr", "lds", "lss", "lfs", "lgs", "prefetchnta", "prefetcht0", "prefetcht1", "prefetcht2", "prefetchw", "prefetch", "prefetchwt1", "cmpxchg8b", "cmpxchg16b", "movbe", "lcall", "ljmp",
  "rstorssp", "clrssbsy", "clwb", "vmptrld", "vmptrst", "vmclear", "vmxon"]);
const STRING_BASES = new Set(["movs", "cmps", "stos", "lods", "scas", "ins", "outs"]);

function hexSigned(v: number): string {
  return v < 0 ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`;
}

const SEGMENTS: Record<number, string> = { 0x26: "es", 0x2e: "cs", 0x36: "ss", 0x3e: "ds", 0x64: "fs", 0x65: "gs" };

function memoryText(ins: DecodedInstruction): string {
  const seg = effectiveSegment(ins) ? `%${SEGMENTS[ins.segmentPrefix]}:` : "";
  const disp = ins.memoryDisplacement;
  if (ins.memoryBase === 0 && ins.memoryIndex === 0) {
    // A 16-bit absolute address prints signed, wider ones unsigned.
    if (ins.addressSize === 2) return `${seg}${hexSigned(disp)}`;
    return `${seg}0x${(disp < 0 ? (ins.addressSize === 8 ? hex64(disp >>> 0, 0xffffffff) : (disp >>> 0).toString(16)) : disp.toString(16))}`;
  }
  const base = ins.memoryBase === 0 ? "" : `%${registerName(ins.memoryBase)}`;
  // 16-bit addressing has no scale: (%bx,%si).
  const index = ins.memoryIndex !== 0 ? `,%${registerName(ins.memoryIndex)}${ins.addressSize === 2 ? "" : `,${ins.memoryScale}`}` : "";
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
        // objdump writes the port register of IN/OUT/INS/OUTS as (%dx); it fixes no size for
        // INS/OUTS, nor does CL as a shift count.
        const port = r === DX && ins.map === 0 && ((ins.opcode >= 0x6c && ins.opcode <= 0x6f) || ins.opcode >= 0xec);
        const shiftCount = r === CL && ins.map === 0 && (ins.opcode === 0xd2 || ins.opcode === 0xd3);
        if (!shiftCount && !(port && ins.opcode < 0xec)) sizingRegister = true;
        const name = r >> 5 === RegClass.Debug ? registerName(r).replace("dr", "db") : registerName(r);
        parts.push(port ? "(%dx)" : `${indirect ? "*" : ""}%${name}`);
        break;
      }
      case OperandKind.Memory:
        memorySize = size;
        parts.push(`${indirect ? "*" : ""}${mnemonic === "xlat" ? `%${SEGMENTS[ins.segmentPrefix] ?? "ds"}:(%${registerName(ins.memoryBase)})` : memoryText(ins)}`);
        break;
      case OperandKind.Immediate:
        parts.push(`$0x${size === 8 ? hex64(ins.immediate, ins.immediateHigh) : (ins.immediate >>> 0).toString(16)}`);
        break;
      case OperandKind.Immediate2:
        parts.push(`$0x${ins.immediate2.toString(16)}`);
        break;
      case OperandKind.ConstantOne:
        break;
      case OperandKind.FarPointer:
        // objdump keeps Intel's selector-then-offset order here.
        parts.push(`$0x${(ins.immediate >>> 0).toString(16)}`, `$0x${ins.immediate2.toString(16)}`);
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
        parts.push(`%${ins.segmentPrefix === 0x64 ? "fs" : ins.segmentPrefix === 0x65 ? "gs" : "ds"}:(%${STRING_REGISTERS[ins.addressSize]![0]})`);
        break;
      case OperandKind.StringDestination:
        memorySize ||= size;
        parts.push(`%es:(%${STRING_REGISTERS[ins.addressSize]![1]})`);
        break;
    }
  }
  mnemonic = RENAMED[mnemonic] ?? mnemonic;
  if (mnemonic === "movsxd" && ins.operandSize === 8) mnemonic = "movslq";
  if (mnemonic.startsWith("retf")) mnemonic = `lret${mnemonic.slice(4)}`;
  if (mnemonic === "sysretd" || mnemonic === "sysexitd") mnemonic = `${mnemonic.slice(0, -1)}l`;
  if (ins.map === 0 && ins.opcode === 0xff && (ins.modrm & 0x38) >> 3 === 3) mnemonic = "lcall";
  if (ins.map === 0 && ins.opcode === 0xff && (ins.modrm & 0x38) >> 3 === 5) mnemonic = "ljmp";
  if (ins.map === 0 && (ins.opcode === 0x9a || ins.opcode === 0xea)) {
    mnemonic = (ins.opcode === 0x9a ? "lcall" : "ljmp") + (ins.operandSize === 2 ? "w" : "");
  }
  // objdump lists MONITOR's and MWAIT's implicit operands in AT&T syntax.
  const addressRegister = ins.addressSize === 8 ? "rax" : ins.addressSize === 4 ? "eax" : "ax";
  if (mnemonic === "monitor") return `${prefix}monitor %${addressRegister},%ecx,%edx`;
  if (mnemonic === "mwait") return `${prefix}mwait  %eax,%ecx`;
  if (mnemonic === "monitorx") return `${prefix}monitorx %${addressRegister},%ecx,%edx`;
  if (mnemonic === "mwaitx") return `${prefix}mwaitx %eax,%ecx,%ebx`;
  if (/^(fldenv|fnstenv|frstor|fnsave)w$/.test(mnemonic)) mnemonic = `${mnemonic.slice(0, -1)}s`;
  if (/^[ls][gi]dtd$/.test(mnemonic)) mnemonic = `${mnemonic.slice(0, -1)}l`;
  if (mnemonic === "movzx" || mnemonic === "movsx") {
    mnemonic = `mov${mnemonic[3]}${SUFFIX[ins.operandBytes[1]!]}${SUFFIX[ins.operandBytes[0]!]}`;
  } else if (mnemonic.startsWith("fi") && memorySize > 0) {
    mnemonic += X87_INT_SUFFIX[memorySize] ?? "";
  } else if (mnemonic.startsWith("f") && memorySize > 0 && !NO_SUFFIX.has(mnemonic)) {
    mnemonic += X87_FLOAT_SUFFIX[memorySize] ?? "";
  } else if (/^vcvtt?pd2(ps|dq)$|^vcvtneps2bf16$/.test(mnemonic) && memorySize > 0) {
    mnemonic += ins.vexL ? "y" : "x"; // the xmm destination cannot tell the source size
  } else if ((/^v?cvtsi2s[sd]$/.test(mnemonic) && ins.bits === 64 || mnemonic === "crc32") && memorySize > 0) {
    mnemonic += SUFFIX[memorySize];
  } else if (memorySize > 0 && !sizingRegister && !NO_SUFFIX.has(mnemonic) && !(ins.bits === 32 && mnemonic === "ptwrite") && !mnemonic.startsWith("set") && ins.map <= 1 && !isVectorOperand(ins)) {
    mnemonic += STRING_BASES.has(mnemonic) || !(mnemonic in RENAMED) ? (SUFFIX[memorySize] ?? "") : "";
  }
  if ((mnemonic === "push" || mnemonic === "pop" || mnemonic === "lcall" || mnemonic === "ljmp") && memorySize > 0 && ins.operandSize === 2) {
    mnemonic += "w";
  }
  const text = prefix + mnemonic;
  let comment = "";
  if (memorySize > 0 && ins.memoryBase >> 5 === RegClass.Rip) {
    const target = ins.ip + ins.length + ins.memoryDisplacement;
    const label = symbolize?.(target);
    comment = `        # ${target.toString(16)}${label ? ` <${label}>` : ""}`;
  }
  if (parts.length === 0) return text + comment;
  // ENTER keeps Intel's operand order in objdump's AT&T output.
  if (!(ins.map === 0 && (ins.opcode === 0xc8 || ins.opcode === 0x62))) parts.reverse();
  return `${text.padEnd(6)} ${parts.join(",")}${comment}`;
}

function isVectorOperand(ins: DecodedInstruction): boolean {
  for (let i = 0; i < ins.operandCount; i++) {
    const cls = ins.operandRegister[i]! >> 5;
    if (ins.operandKind[i] === OperandKind.Register && (cls === RegClass.Xmm || cls === RegClass.Ymm || cls === RegClass.Mmx)) return true;
  }
  return false;
}

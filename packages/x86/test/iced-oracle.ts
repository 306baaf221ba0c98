// Differential oracle: decodes random 15-byte windows with iced-x86 and with our decoder.
import { Code, Decoder, DecoderOptions, Instruction, OpKind, Register } from "iced-x86";
import { DecodeError, DecodedInstruction, OperandKind, decode, registerName } from "../src/decoder/index.js";

const MASK64 = (1n << 64n) - 1n;

/** iced's explicit operands as comparable text: registers, memory, immediates, branch targets. */
function icedOperands(ins: Instruction): string {
  const out: string[] = [];
  for (let i = 0; i < ins.opCount; i++) {
    const kind = ins.opKind(i);
    if (kind === OpKind.Register) out.push(Register[ins.opRegister(i)]!.toLowerCase().replace(/^(r\d+)l$/, "$1b"));
    else if (kind === OpKind.Memory) {
      const base = ins.memoryBase === Register.None ? "" : Register[ins.memoryBase]!.toLowerCase();
      const index = ins.memoryIndex === Register.None ? "" : `${Register[ins.memoryIndex]!.toLowerCase()}*${ins.memoryIndexScale}`;
      out.push(`[${base},${index},${(BigInt(ins.memoryDisplacementU64) & MASK64).toString(16)}]`);
    } else if (kind === OpKind.NearBranch64 || kind === OpKind.NearBranch32 || kind === OpKind.NearBranch16) {
      out.push(`->${BigInt(ins.nearBranchTarget).toString(16)}`);
    } else if (kind === OpKind.FarBranch32 || kind === OpKind.FarBranch16) {
      out.push(`${ins.farBranchSelector.toString(16)}:${(kind === OpKind.FarBranch32 ? ins.farBranch32 : ins.farBranch16).toString(16)}`);
    }
    else if (kind >= OpKind.Immediate8 && kind <= OpKind.Immediate32to64) {
      const mask = kind === OpKind.Immediate8to16 ? 0xffffn : 0xffffffffn;
      out.push(`$${(BigInt(ins.immediate(i)) & mask).toString(16)}`);
    }
    else out.push("mem");
  }
  return out.join(" ");
}

/** Our operands in the same form as {@link icedOperands}. */
function ourOperands(ins: DecodedInstruction): string {
  const out: string[] = [];
  const name = (id: number): string => registerName(id).replace(/^st\((\d)\)$/, "st$1").replace(/^st$/, "st0").replace(/^db/, "dr");
  for (let i = 0; i < ins.operandCount; i++) {
    switch (ins.operandKind[i]) {
      case OperandKind.Register: out.push(name(ins.operandRegister[i]!)); break;
      case OperandKind.Memory: {
        const rip = registerName(ins.memoryBase) === "rip" || registerName(ins.memoryBase) === "eip";
        const raw = BigInt(rip ? ins.ip + ins.length + ins.memoryDisplacement : ins.memoryDisplacement);
        const disp = ins.addressSize === 4 ? BigInt.asUintN(32, raw) : ins.addressSize === 2 ? BigInt.asUintN(16, raw) : raw;
        // XLAT's implicit AL index, which iced lists.
        const index = ins.mnemonic === "xlat" ? "al*1" : ins.memoryIndex === 0 ? "" : `${name(ins.memoryIndex)}*${ins.memoryScale}`;
        const base = name(ins.memoryBase);
        out.push(`[${base},${index},${(disp & MASK64).toString(16)}]`);
        break;
      }
      case OperandKind.BranchTarget: out.push(`->${BigInt.asUintN(64, BigInt(ins.branchTarget)).toString(16)}`); break;
      case OperandKind.MemoryOffset:
        out.push(`[,,${((BigInt(ins.immediateHigh) << 32n) | BigInt(ins.immediate)).toString(16)}]`);
        break;
      case OperandKind.Immediate: out.push(`$${(ins.immediate >>> 0).toString(16)}`); break;
      case OperandKind.Immediate2: out.push(`$${ins.immediate2.toString(16)}`); break;
      case OperandKind.ConstantOne: out.push("$1"); break;
      case OperandKind.FarPointer: out.push(`${ins.immediate2.toString(16)}:${(ins.immediate >>> 0).toString(16)}`); break;
      default: out.push("mem");
    }
  }
  return out.join(" ");
}

/** Outcome of a differential run. */
export interface IcedComparison {
  windows: number;
  bothValid: number;
  lengthMismatch: number;
  /** Both valid, same length, different explicit operands. */
  operandMismatch: number;
  weValidIcedInvalid: number;
  icedValidWeInvalid: number;
  /** iced decodes, we report Unsupported: EVEX (AVX-512) and AMD XOP, outside the decoder's scope. */
  icedValidWeUnsupported: number;
  /** Of those, the ones that are neither EVEX nor XOP (should be none). */
  unsupportedNotEvexXop: number;
  examples: string[];
}

/** xorshift32: a deterministic byte source for reproducible windows. */
function randomBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 255;
  }
  return out;
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

/** Compares `count` random windows in 64-bit (or 32-bit) mode; keeps up to `keep` mismatch examples. */
export function compareWithIced(count: number, seed: number, keep = 10, bits: 64 | 32 = 64): IcedComparison {
  const data = randomBytes(count * 15 + 15, seed);
  const decoder = new Decoder(bits, data, DecoderOptions.None);
  const theirs = new Instruction();
  const ours = new DecodedInstruction();
  const r: IcedComparison = {
    windows: count, bothValid: 0, lengthMismatch: 0, operandMismatch: 0, weValidIcedInvalid: 0,
    icedValidWeInvalid: 0, icedValidWeUnsupported: 0, unsupportedNotEvexXop: 0, examples: [],
  };
  for (let i = 0; i < count; i++) {
    const at = i * 15;
    decoder.position = at;
    decoder.ip = 0n;
    decoder.decodeOut(theirs);
    const icedValid = theirs.code !== Code.INVALID;
    decode(ours, data, at, 0, at + 15, bits);
    const weValid = ours.error === DecodeError.None;
    const window = data.subarray(at, at + 15);
    let bad = "";
    if (icedValid && weValid) {
      r.bothValid++;
      if (theirs.length !== ours.length) {
        r.lengthMismatch++;
        bad = `length ${ours.length} vs iced ${theirs.length}`;
      } else {
        const a = ourOperands(ours);
        // iced spells out the implicit ST0 of x87 one-register forms.
        let b = icedOperands(theirs).replace(/^st0 (st\d)$/, (m, r: string) => (a === r ? r : m));
        // iced shows the reserved-NOP hints (0F 19-1F) with their ModRM.reg register; objdump does not.
        if (Code[theirs.code]!.startsWith("Reservednop")) b = b.replace(/ \S+$/, "");
        // ARPL: iced names 32-bit registers, objdump (and we) the 16-bit ones the instruction uses.
        if (theirs.code === Code.Arpl_r32m16_r32) b = b.split(" ").map((t) => t.replace(/^e([a-d]x|[sd]i|[sb]p)$/, "$1")).join(" ");
        // 66 90 (also with REX.W/R): iced calls it nopw/nopq; we print objdump's xchg ax,ax / rax,rax.
        if ((theirs.code === Code.Nopw || theirs.code === Code.Nopq) && (a === "ax ax" || a === "rax rax")) b = a;
        if (a !== b) {
          r.operandMismatch++;
          bad = `operands "${a}" vs iced "${b}"`;
        }
      }
    } else if (weValid) {
      r.weValidIcedInvalid++;
      bad = "we valid, iced invalid";
    } else if (icedValid) {
      if (ours.error === DecodeError.Unsupported) {
        r.icedValidWeUnsupported++;
        if (!/^(EVEX|XOP)_/.test(Code[theirs.code]!)) {
          r.unsupportedNotEvexXop++;
          bad = "iced valid, we unsupported";
        }
      } else {
        r.icedValidWeInvalid++;
        bad = `iced valid, we error ${ours.error}`;
      }
    }
    if (bad && (r.examples.length < keep || (!bad.startsWith("iced valid") && r.examples.length < keep + 50) || keep === 0)) {
      r.examples.push(`${hex(window.subarray(0, Math.max(theirs.length, ours.length, 1)))}: ${bad} (${ours.mnemonic || "-"} / ${Code[theirs.code] ?? theirs.code})`);
    }
  }
  decoder.free();
  theirs.free();
  return r;
}

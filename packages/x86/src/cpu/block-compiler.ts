// Compiles hot basic blocks to JavaScript (step 2 of the speed plan in ARCHITECTURE.md §4).
// Frequent forms (moves, ALU ops on 32/64-bit registers, lea, push/pop, simple memory operands,
// conditional branches) become straight-line code; flags stay in compile-time bookkeeping and
// are stored only when something may observe them, so `cmp; jcc` becomes one comparison.
// Every other instruction calls its ordinary handler from inside the block.
import { OperandKind, Prefix } from "../decoder/decoded-instruction.js";
import { RegClass } from "../decoder/registers.js";
import type { Cpu } from "./cpu.js";
import type { Handler, Instr } from "./instr.js";
import { CONDITION_NAMES } from "./integer/conditions.js";
import { USER_END } from "./integer/address.js";
import { imul64Overflows, mulHigh32 } from "./integer/multiply.js";

/** A compiled block: runs all its instructions (or throws a fault with `cpu.blockPosition` set). */
export interface Block {
  readonly instrs: readonly Instr[];
  readonly run: (cpu: Cpu) => void;
}

/** The generated function: the CPU, its registers, the block's instructions and handlers, helpers. */
type CompiledBody = (cpu: Cpu, g: Int32Array, I: readonly Instr[], H: readonly Handler[], high: typeof mulHigh32, overflows: typeof imul64Overflows) => void;

/** Most instructions in one block. */
const MAX_BLOCK = 48;
const RIP = RegClass.Rip * 32;

/** Flags computed by a compiled instruction and not yet stored into the CPU. */
interface Pending {
  kind: "add" | "sub" | "logic" | "step";
  size: number;
  a: string;
  aH: string;
  b: string;
  bH: string;
  r: string;
  rH: string;
  /** For "add"/"sub" from adc/sbb: a variable holding the carry-in (0 or 1), else "0". */
  carry: string;
  /**
   * For "step" (inc/dec, shifts, imul): JS for the CF|OF|AF bits, evaluated only when the flags
   * are stored (so it must read locals, never registers that later code may change).
   */
  bits: string;
}

/** JS for a zero-extended 8/16/32-bit register's value, or undefined for another class. */
function narrowRegister(id: number): string | undefined {
  const n = id & 31;
  switch (id >> 5) {
    case RegClass.Gpr8: return `(g[${2 * n}]&255)`;
    case RegClass.Gpr8High: return `((g[${2 * (n - 4)}]>>8)&255)`;
    case RegClass.Gpr16: return `(g[${2 * n}]&65535)`;
    case RegClass.Gpr32: return `g[${2 * n}]`;
    default: return undefined;
  }
}

const isGpr = (kind: number, id: number, size: number): boolean =>
  kind === OperandKind.Register && (id >> 5 === RegClass.Gpr64 || id >> 5 === RegClass.Gpr32) && (size === 4 || size === 8);

const ALU = new Set(["add", "adc", "sub", "sbb", "cmp", "and", "or", "xor", "test"]);
const JCC = new Map<string, number>(CONDITION_NAMES.map((n, cc) => [`j${n}`, cc]));
const SETCC = new Map<string, number>(CONDITION_NAMES.map((n, cc) => [`set${n}`, cc]));
const CMOVCC = new Map<string, number>(CONDITION_NAMES.map((n, cc) => [`cmov${n}`, cc]));
/** CF, PF, AF, ZF, SF and OF in the decoder's "cpazsodi" flag bits: the ones kept pending. */
const ARITHMETIC_FLAGS = 0x3f;
/** Whether an instruction's handler may read or write the arithmetic flags, as the decoder's data says. */
const touchesFlags = (i: Instr): boolean => ((i.flagsRead | i.flagsWritten) & ARITHMETIC_FLAGS) !== 0;

/** JS for rsp as a number (exact whenever it lies in the user half, the only case used inline). */
const RSP_VALUE = "g[9]*4294967296+(g[8]>>>0)";
/** JS testing a stack address `s` as the interpreter does: outside the user half is #SS. */
const IN_USER_HALF = `s>=${-USER_END}&&s<${USER_END}`;

/** Instructions after which the block must end even though the decoder calls them no branch. */
const STOPS = new Set(["int3", "int1", "ud0", "ud1", "ud2", "hlt", "syscall", "int"]);

/**
 * JS for base + index × scale + disp as an exact number, or `undefined` when a register's
 * magnitude reaches 2^48 (then the sum of doubles could round; the caller computes exactly).
 */
function exactSum(i: Instr): string {
  const small = (n: number): string => `(g[${2 * (n & 31) + 1}]+65536)>>>0<131072`;
  const value = (n: number): string => `(g[${2 * (n & 31) + 1}]*4294967296+(g[${2 * (n & 31)}]>>>0))`;
  const regs = [i.base, i.index].filter((n) => n !== 0);
  if (regs.length === 0) return String(i.disp);
  const sum = [String(i.disp), ...(i.base !== 0 ? [value(i.base)] : []), ...(i.index !== 0 ? [`${value(i.index)}*${i.scale}`] : [])].join("+");
  return `(${regs.map(small).join("&&")}?${sum}:undefined)`;
}

class Emitter {
  private readonly lines: string[] = [];
  private temp = 0;
  private pending: Pending | undefined = undefined;
  readonly instrs: Instr[] = [];

  /** A fresh local variable. */
  local(): string {
    return `v${this.temp++}`;
  }

  emit(line: string): void {
    this.lines.push(line);
  }

  /** Whether flags are computed but not yet stored. */
  get hasPending(): boolean {
    return this.pending !== undefined;
  }

  /** Stores pending flags into the CPU. */
  flush(): void {
    const code = this.storeCode();
    this.pending = undefined;
    if (code !== "") this.emit(code);
  }

  /** JS that stores the pending flags into the CPU (empty when none), leaving them pending. */
  storeCode(): string {
    const p = this.pending;
    if (p === undefined) return "";
    switch (p.kind) {
      case "add":
      case "sub": {
        if (p.size === 4) return `cpu.${p.kind === "add" ? "setAdd" : "setSub"}(4,${p.a},${p.b},${p.r},${p.carry});`;
        // FlagOp: Add 1, Adc 2, Sub 3, Sbb 4 (with a carry-in of 0 the interpreter records Add/Sub).
        const plain = p.kind === "add" ? 1 : 3;
        const op = p.carry === "0" ? String(plain) : `(${p.carry}?${plain + 1}:${plain})`;
        return `cpu.set64(${op},${p.a},${p.aH},${p.b},${p.bH},${p.r},${p.rH},${p.carry});`;
      }
      case "logic":
        return `cpu.setResult(${p.size},${p.r},${p.size === 8 ? p.rH : 0},0);`;
      default:
        return `cpu.setResult(${p.size},${p.r},${p.size === 8 ? p.rH : 0},${p.bits});`;
    }
  }

  setPending(p: Pending): void {
    this.pending = p;
  }

  /** Before an instruction that may fault or observe the CPU: flags stored, position known. */
  barrier(k: number): void {
    this.flush();
    this.emit(`cpu.blockPosition=${k};`);
  }

  /** JS for condition `cc` over the pending flags, or over the CPU's flags. */
  condition(cc: number): string {
    const p = this.pending;
    const negate = (cc & 1) !== 0;
    const pick = (e: string | undefined): string | undefined => (e === undefined ? undefined : negate ? `!(${e})` : `(${e})`);
    let e: string | undefined;
    if (p !== undefined) {
      const wide = p.size === 8;
      const zero = wide ? `((${p.r}|${p.rH})===0)` : `(${p.r}===0)`;
      const sign = wide ? `(${p.rH}<0)` : `(${p.r}<0)`;
      const below = wide ? `(${p.aH}!==${p.bH}?(${p.aH}>>>0)<(${p.bH}>>>0):(${p.a}>>>0)<(${p.b}>>>0))` : `((${p.a}>>>0)<(${p.b}>>>0))`;
      const less = wide ? `(${p.aH}!==${p.bH}?${p.aH}<${p.bH}:(${p.a}>>>0)<(${p.b}>>>0))` : `(${p.a}<${p.b})`;
      const base = cc >> 1;
      if (base === 2) e = zero;
      else if (base === 4) e = sign;
      else if (p.kind === "sub" && p.carry === "0") {
        if (base === 1) e = below;
        else if (base === 3) e = `(${below}||${zero})`;
        else if (base === 6) e = less;
        else if (base === 7) e = `(${less}||${zero})`;
      } else if (p.kind === "logic") {
        if (base === 0 || base === 1) e = "false";
        else if (base === 3) e = zero;
        else if (base === 6) e = sign;
        else if (base === 7) e = `(${zero}||${sign})`;
      }
    }
    const inline = pick(e);
    if (inline !== undefined) return inline;
    this.flush();
    return `cpu.condition(${cc})`;
  }

  /** The JS expression of an operand register's low or high half. */
  reg(id: number, high: boolean): string {
    return `g[${2 * (id & 31) + (high ? 1 : 0)}]`;
  }

  /** A JS expression for the memory operand's address, or undefined when unusual. */
  address(i: Instr, k: number): string | undefined {
    if (i.addrSize !== 8 || i.segmentPrefix === 0x64 || i.segmentPrefix === 0x65) {
      return i.addrSize === 8 && i.segmentPrefix !== 0 ? `cpu.ea(I[${k}])` : undefined;
    }
    if (i.base === RIP) return i.index === 0 ? String(i.next + i.disp) : undefined;
    if (i.base === 0 && i.index === 0) return undefined;
    const t = this.local();
    this.emit(`let ${t}=${exactSum(i)};if(${t}===undefined)${t}=cpu.ea(I[${k}]);`);
    return t;
  }

  source(): string {
    return this.lines.join("\n");
  }
}

/** add/sub/cmp/and/or/xor/test on 32/64-bit registers, one operand possibly in memory. */
function isAluForm(i: Instr): boolean {
  const size = i.s0;
  if (!ALU.has(i.mnemonic) || (i.prefixes & Prefix.Lock) !== 0 || (size !== 4 && size !== 8)) return false;
  const source = isGpr(i.k1, i.r1, size) || i.k1 === OperandKind.Immediate;
  return isGpr(i.k0, i.r0, size) ? source || i.k1 === OperandKind.Memory : i.k0 === OperandKind.Memory && source;
}

/** Emits an {@link isAluForm} instruction with its flags pending; false for an unusual address. */
function emitAlu(em: Emitter, i: Instr, k: number): boolean {
  const m = i.mnemonic;
  const size = i.s0;
  let at: string | undefined;
  if (i.memory !== 0) {
    em.barrier(k);
    at = em.address(i, k);
    if (at === undefined) return false;
  }
  const [a, aH, b, bH, r, rH] = [em.local(), em.local(), em.local(), em.local(), em.local(), em.local()];
  const load = (lo: string, hi: string): void => em.emit(size === 8 ? `const ${lo}=cpu.read64(${at}),${hi}=cpu.hi;` : `const ${lo}=cpu.read32(${at}),${hi}=0;`);
  const imm = i.k1 === OperandKind.Immediate;
  const writes = m !== "cmp" && m !== "test";
  // A read-modify-write reads with write intent: an unwritable destination faults as a write.
  if (i.k0 === OperandKind.Memory && writes) em.emit(`cpu.checkWritable(${at},${size});`);
  if (i.k0 === OperandKind.Memory) load(a, aH);
  else em.emit(`const ${a}=${em.reg(i.r0, false)},${aH}=${size === 8 ? em.reg(i.r0, true) : 0};`);
  if (i.k1 === OperandKind.Memory) load(b, bH);
  else if (imm) em.emit(`const ${b}=${i.imm | 0},${bH}=${size === 8 ? i.immHi | 0 : 0};`);
  else em.emit(`const ${b}=${em.reg(i.r1, false)},${bH}=${size === 8 ? em.reg(i.r1, true) : 0};`);
  const kind = m === "add" || m === "adc" ? "add" : m === "sub" || m === "sbb" || m === "cmp" ? "sub" : "logic";
  let carry = "0";
  if (m === "adc" || m === "sbb") {
    carry = em.local();
    em.emit(`const ${carry}=${em.condition(2)}?1:0;`); // CF in
  }
  const c = carry === "0" ? "" : `${kind === "add" ? "+" : "-"}${carry}`;
  if (kind === "logic") {
    const op = m === "or" ? "|" : m === "xor" ? "^" : "&";
    em.emit(size === 4 ? `const ${r}=${a}${op}${b};` : `const ${r}=${a}${op}${b};const ${rH}=${aH}${op}${bH};`);
  } else if (size === 4) {
    em.emit(`const ${r}=(${a}${kind === "add" ? "+" : "-"}${b}${c})|0;`);
  } else if (kind === "add") {
    const sum = em.local();
    em.emit(`const ${sum}=(${a}>>>0)+(${b}>>>0)${c};const ${r}=${sum}|0;const ${rH}=(${aH}+${bH}+(${sum}>4294967295?1:0))|0;`);
  } else {
    const diff = em.local();
    em.emit(`const ${diff}=(${a}>>>0)-(${b}>>>0)${c};const ${r}=${diff}|0;const ${rH}=(${aH}-${bH}-(${diff}<0?1:0))|0;`);
  }
  if (writes) {
    if (i.k0 === OperandKind.Memory) em.emit(size === 8 ? `cpu.write64(${at},${r},${rH});` : `cpu.write32(${at},${r});`);
    else em.emit(`${em.reg(i.r0, false)}=${r};${em.reg(i.r0, true)}=${size === 8 ? rH : 0};`);
  }
  em.setPending({ kind, size, a, aH, b, bH, r, rH, carry, bits: "0" });
  return true;
}

/** Emits one instruction; returns false when it ends the block. */
function compileOne(em: Emitter, i: Instr, k: number, last: boolean): boolean {
  const m = i.mnemonic;
  const size = i.s0;
  if (m === "nop" || m === "endbr64" || m === "pause" || m.startsWith("prefetch") || m === "lfence" || m === "sfence" || m === "mfence") return true;

  // mov
  if (m === "mov" && (size === 4 || size === 8)) {
    if (isGpr(i.k0, i.r0, size)) {
      const dLo = em.reg(i.r0, false);
      const dHi = em.reg(i.r0, true);
      if (isGpr(i.k1, i.r1, size)) {
        const s = i.r1;
        if (size === 8) em.emit(`{const l=${em.reg(s, false)},h=${em.reg(s, true)};${dLo}=l;${dHi}=h;}`);
        else em.emit(`${dLo}=${em.reg(s, false)};${dHi}=0;`);
        return true;
      }
      if (i.k1 === OperandKind.Immediate) {
        em.emit(`${dLo}=${i.imm | 0};${dHi}=${size === 8 ? i.immHi | 0 : 0};`);
        return true;
      }
      if (i.k1 === OperandKind.Memory) {
        em.barrier(k);
        const at = em.address(i, k);
        if (at !== undefined) {
          if (size === 8) em.emit(`{const l=cpu.read64(${at});${dLo}=l;${dHi}=cpu.hi;}`);
          else em.emit(`${dLo}=cpu.read32(${at});${dHi}=0;`);
          return true;
        }
      }
    } else if (i.k0 === OperandKind.Memory && (isGpr(i.k1, i.r1, size) || i.k1 === OperandKind.Immediate)) {
      em.barrier(k);
      const at = em.address(i, k);
      if (at !== undefined) {
        const lo = i.k1 === OperandKind.Immediate ? String(i.imm | 0) : em.reg(i.r1, false);
        const hi = i.k1 === OperandKind.Immediate ? String(i.immHi | 0) : em.reg(i.r1, true);
        em.emit(size === 8 ? `cpu.write64(${at},${lo},${hi});` : `cpu.write32(${at},${lo});`);
        return true;
      }
    }
  }

  if (isAluForm(i) && emitAlu(em, i, k)) return true;

  // inc/dec of a register (CF is kept: read it now, from the pending flags or the CPU)
  if ((m === "inc" || m === "dec") && isGpr(i.k0, i.r0, size)) {
    const carry = em.condition(2); // CF
    const c = em.local();
    const r = em.local();
    const rH = em.local();
    const bits = em.local();
    const lo = em.reg(i.r0, false);
    const hi = em.reg(i.r0, true);
    const up = m === "inc";
    em.emit(`const ${c}=${carry}?1:0;`);
    if (size === 8) {
      em.emit(`const ${r}=(${lo}${up ? "+" : "-"}1)|0;const ${rH}=(${hi}${up ? `+(${r}===0?1:0)` : `-(${lo}===0?1:0)`})|0;`);
      em.emit(`const ${bits}=${c}|(${up ? `${rH}===-2147483648&&${r}===0` : `${hi}===-2147483648&&${lo}===0`}?2048:0)|((${r}&15)===${up ? 0 : 15}?16:0);`);
      em.emit(`${lo}=${r};${hi}=${rH};`);
    } else {
      em.emit(`const ${r}=(${lo}${up ? "+" : "-"}1)|0;const ${rH}=0;`);
      em.emit(`const ${bits}=${c}|(${up ? `${r}===-2147483648` : `${lo}===-2147483648`}?2048:0)|((${r}&15)===${up ? 0 : 15}?16:0);`);
      em.emit(`${lo}=${r};${hi}=0;`);
    }
    em.setPending({ kind: "step", size, a: "0", aH: "0", b: "0", bH: "0", carry: "0", r, rH, bits });
    return true;
  }

  // shl/shr/sar of a register by an immediate count (a zero count changes nothing)
  if ((m === "shl" || m === "sal" || m === "shr" || m === "sar") && isGpr(i.k0, i.r0, size) && (i.k1 === OperandKind.Immediate || i.k1 === OperandKind.ConstantOne)) {
    const c = (i.k1 === OperandKind.ConstantOne ? 1 : i.imm) & (size === 8 ? 63 : 31);
    if (c === 0) {
      // No change and no flags, but a 32-bit destination is still written: its high half clears.
      if (size === 4) em.emit(`${em.reg(i.r0, true)}=0;`);
      return true;
    }
    const lo = em.reg(i.r0, false);
    const hi = em.reg(i.r0, true);
    const r = em.local();
    const rH = em.local();
    const bits = em.local();
    const left = m === "shl" || m === "sal";
    const arith = m === "sar";
    if (size === 4) {
      if (left) em.emit(`const ${r}=${lo}<<${c};const ${rH}=0;const ${bits}=((${lo}>>>${32 - c})&1)|((((${r}>>>31)^((${lo}>>>${32 - c})&1))&1)?2048:0);`);
      else if (arith) em.emit(`const ${r}=${lo}>>${c};const ${rH}=0;const ${bits}=(${lo}>>${c - 1})&1;`);
      else em.emit(`const ${r}=(${lo}>>>${c})|0;const ${rH}=0;const ${bits}=((${lo}>>>${c - 1})&1)|(${lo}<0?2048:0);`);
      em.emit(`${lo}=${r};${hi}=0;`);
    } else {
      let cf: string;
      if (left) {
        if (c < 32) em.emit(`const ${rH}=(${hi}<<${c})|(${lo}>>>${32 - c});const ${r}=${lo}<<${c};`);
        else em.emit(`const ${rH}=${lo}<<${c - 32};const ${r}=0;`);
        cf = c < 32 ? `((${hi}>>>${32 - c})&1)` : c === 32 ? `(${hi}&1)` : `((${lo}>>>${64 - c})&1)`;
        em.emit(`const ${bits}=${cf}|((((${rH}>>>31)^${cf})&1)?2048:0);`);
      } else {
        const top = arith ? `${hi}>>31` : "0";
        if (c < 32) em.emit(`const ${r}=(${lo}>>>${c})|(${hi}<<${32 - c});const ${rH}=${hi}${arith ? ">>" : ">>>"}${c};`);
        else if (c === 32) em.emit(`const ${r}=${hi};const ${rH}=${top};`);
        else em.emit(`const ${r}=${hi}${arith ? ">>" : ">>>"}${c - 32};const ${rH}=${top};`);
        cf = c <= 32 ? `((${lo}>>>${c - 1})&1)` : `((${hi}>>>${c - 33})&1)`;
        em.emit(`const ${bits}=${cf}${arith ? "" : `|(${hi}<0?2048:0)`};`);
      }
      em.emit(`${lo}=${r}|0;${hi}=${rH}|0;`);
    }
    em.setPending({ kind: "step", size, a: "0", aH: "0", b: "0", bH: "0", carry: "0", r: `(${r}|0)`, rH: `(${rH}|0)`, bits });
    return true;
  }

  // movzx/movsx/movsxd into a 32/64-bit register
  if ((m === "movzx" || m === "movsx" || m === "movsxd") && isGpr(i.k0, i.r0, size) && (m !== "movsxd" || size === 8)) {
    const from = i.s1;
    let value: string | undefined;
    if (i.k1 === OperandKind.Memory) {
      em.barrier(k);
      const at = em.address(i, k);
      if (at !== undefined) value = from === 1 ? `cpu.read8(${at})` : from === 2 ? `cpu.read16(${at})` : `cpu.read32(${at})`;
    } else if (i.k1 === OperandKind.Register) value = narrowRegister(i.r1);
    if (value !== undefined && from <= 4) {
      const v = em.local();
      const bits = 32 - 8 * from;
      em.emit(`const ${v}=${m === "movzx" || from === 4 ? `${value}|0` : `(${value})<<${bits}>>${bits}`};`);
      em.emit(`${em.reg(i.r0, false)}=${v};${em.reg(i.r0, true)}=${size === 8 && m !== "movzx" ? `${v}>>31` : 0};`);
      return true;
    }
  }

  // imul r, r/m and imul r, r/m, imm (32/64-bit)
  if (m === "imul" && i.operandCount >= 2 && isGpr(i.k0, i.r0, size) && (i.operandCount === 2 || i.k2 === OperandKind.Immediate)) {
    const three = i.operandCount === 3;
    let a: string | undefined;
    let aH = "0";
    if (i.k1 === OperandKind.Memory) {
      em.barrier(k);
      const at = em.address(i, k);
      if (at !== undefined) {
        a = em.local();
        aH = em.local();
        em.emit(size === 8 ? `const ${a}=cpu.read64(${at}),${aH}=cpu.hi;` : `const ${a}=cpu.read32(${at}),${aH}=0;`);
      }
    } else if (isGpr(i.k1, i.r1, size)) {
      a = em.local();
      aH = em.local();
      em.emit(`const ${a}=${em.reg(i.r1, false)},${aH}=${size === 8 ? em.reg(i.r1, true) : 0};`);
    }
    if (a !== undefined) {
      // Two-operand form: the destination is the other factor (kept: the overflow test is lazy).
      const b = em.local();
      const bH = em.local();
      em.emit(`const ${b}=${three ? i.imm | 0 : em.reg(i.r0, false)},${bH}=${three ? i.immHi | 0 : size === 8 ? em.reg(i.r0, true) : 0};`);
      const r = em.local();
      const rH = em.local();
      let bits: string;
      if (size === 4) {
        em.emit(`const ${r}=Math.imul(${a},${b}),${rH}=0;`);
        // The double product is exact whenever it fits in 32 bits, and far from any int32 if not.
        bits = `(${a}*${b}===${r}?0:2049)`;
      } else {
        em.emit(`const ${r}=Math.imul(${a},${b}),${rH}=(mulHigh32(${a},${b})+Math.imul(${a},${bH})+Math.imul(${aH},${b}))|0;`);
        // Factors that fit in 32 bits cannot overflow 64; others take the exact check.
        bits = `(${aH}===${a}>>31&&${bH}===${b}>>31?0:imul64Overflows(${a},${aH},${b},${bH})?2049:0)`;
      }
      em.emit(`${em.reg(i.r0, false)}=${r};${em.reg(i.r0, true)}=${rH};`);
      em.setPending({ kind: "step", size, a: "0", aH: "0", b: "0", bH: "0", carry: "0", r, rH, bits });
      return true;
    }
  }

  if (m === "lea" && isGpr(i.k0, i.r0, size) && i.segmentPrefix === 0 && i.addrSize === 8 && i.base === RIP && i.index === 0) {
    const at = i.next + i.disp;
    const high = Math.floor(at / 4294967296);
    em.emit(`${em.reg(i.r0, false)}=${(at - high * 4294967296) | 0};${em.reg(i.r0, true)}=${size === 8 ? high | 0 : 0};`);
    return true;
  }
  if (m === "lea" && isGpr(i.k0, i.r0, size) && i.segmentPrefix === 0 && i.addrSize === 8 && i.base !== RIP && (i.base !== 0 || i.index !== 0)) {
    // 64-bit arithmetic on the halves: exact for any register values, no doubles involved.
    const shift = Math.log2(i.scale);
    const lo = (n: number): string => (n === 0 ? "0" : em.reg(n, false));
    const hi = (n: number): string => (n === 0 ? "0" : em.reg(n, true));
    const scaledLo = shift === 0 ? lo(i.index) : `(${lo(i.index)}<<${shift})`;
    if (size === 4) {
      em.emit(`${em.reg(i.r0, false)}=(${lo(i.base)}+${scaledLo}+${i.disp})|0;${em.reg(i.r0, true)}=0;`);
      return true;
    }
    const scaledHi = shift === 0 ? hi(i.index) : `((${hi(i.index)}<<${shift})|(${lo(i.index)}>>>${32 - shift}))`;
    const t = em.local();
    em.emit(`const ${t}=(${lo(i.base)}>>>0)+(${scaledLo}>>>0)+${i.disp >>> 0};`);
    em.emit(`${em.reg(i.r0, true)}=(${hi(i.base)}+${scaledHi}+${i.disp < 0 ? -1 : 0}+Math.floor(${t}/4294967296))|0;${em.reg(i.r0, false)}=${t}|0;`);
    return true;
  }

  if ((m === "push" || m === "pop") && i.opsize !== 2 && i.k0 === OperandKind.Register && i.r0 >> 5 === RegClass.Gpr64) {
    em.barrier(k);
    const lo = em.reg(i.r0, false);
    const hi = em.reg(i.r0, true);
    const fallback = `else{cpu.rip=${i.next};H[${k}](cpu,I[${k}]);}`;
    if (m === "push") em.emit(`{const s=${RSP_VALUE}-8;if(${IN_USER_HALF}){cpu.write64(s,${lo},${hi});cpu.setRegNumber(4,s);}${fallback}}`);
    else em.emit(`{const s=${RSP_VALUE};if(${IN_USER_HALF}){const l=cpu.read64(s);const h=cpu.hi;cpu.setRegNumber(4,s+8);${lo}=l;${hi}=h;}${fallback}}`);
    return true;
  }

  const setcc = SETCC.get(m);
  if (setcc !== undefined && i.k0 === OperandKind.Register && i.r0 >> 5 === RegClass.Gpr8) {
    const c = em.condition(setcc);
    const r = em.reg(i.r0, false);
    em.emit(`${r}=(${r}&-256)|(${c}?1:0);`);
    return true;
  }

  const cmov = CMOVCC.get(m);
  if (cmov !== undefined && isGpr(i.k0, i.r0, size) && isGpr(i.k1, i.r1, size)) {
    const c = em.condition(cmov);
    const dLo = em.reg(i.r0, false);
    const dHi = em.reg(i.r0, true);
    em.emit(`if(${c}){const l=${em.reg(i.r1, false)},h=${size === 8 ? em.reg(i.r1, true) : 0};${dLo}=l;${dHi}=h;}${size === 4 ? `else ${dHi}=0;` : ""}`);
    return true;
  }

  const jcc = JCC.get(m);
  if (jcc !== undefined) {
    const c = em.local();
    em.emit(`const ${c}=${em.condition(jcc)};`);
    em.flush();
    em.emit(`cpu.rip=${c}?${i.target}:${i.next};`);
    return false;
  }
  // call rel32 and ret: the stack access inline; an rsp outside the user half (#SS) goes to the handler.
  if ((m === "call" && i.k0 === OperandKind.BranchTarget) || (m === "ret" && i.operandCount === 0)) {
    em.barrier(k);
    const fallback = `else{cpu.rip=${i.next};H[${k}](cpu,I[${k}]);}`;
    if (m === "call") {
      const high = Math.floor(i.next / 4294967296);
      em.emit(`{const s=${RSP_VALUE}-8;if(${IN_USER_HALF}){cpu.write64(s,${(i.next - high * 4294967296) | 0},${high});cpu.setRegNumber(4,s);cpu.rip=${i.target};}${fallback}}`);
    } else {
      em.emit(`{const s=${RSP_VALUE};if(${IN_USER_HALF}){const l=cpu.read64(s),t=cpu.hi*4294967296+(l>>>0);cpu.setRegNumber(4,s+8);cpu.rip=t<0?t+18446744073709551616:t;}${fallback}}`);
    }
    return false;
  }
  if (m === "jmp" && i.k0 === OperandKind.BranchTarget) {
    em.flush();
    em.emit(`cpu.rip=${i.target};`);
    return false;
  }

  // Anything else: the instruction's own handler. One that neither reads nor writes the
  // arithmetic flags (SSE, x87 moves, movzx…) runs with them still pending; should it fault, they
  // are stored on the way out so the fault sees the exact state.
  if (em.hasPending && !touchesFlags(i) && !i.branch && !STOPS.has(m)) {
    em.emit(`cpu.blockPosition=${k};cpu.rip=${i.next};try{H[${k}](cpu,I[${k}]);}catch(e){${em.storeCode()}throw e;}`);
    if (last) em.flush();
    return !last;
  }
  em.barrier(k);
  em.emit(`cpu.rip=${i.next};H[${k}](cpu,I[${k}]);`);
  return !(i.branch || STOPS.has(m) || last);
}

/**
 * Compiles the block starting at `first`; `next(rip)` returns the following instruction when it
 * is on the same page and decodes (else undefined, ending the block).
 */
export function compileBlock(first: Instr, next: (rip: number) => Instr | undefined): Block {
  const em = new Emitter();
  let i: Instr | undefined = first;
  for (let k = 0; i !== undefined; k++) {
    em.instrs.push(i);
    const last = k === MAX_BLOCK - 1;
    if (!compileOne(em, i, k, last)) break;
    const following: Instr | undefined = last ? undefined : next(i.next);
    if (following === undefined) {
      em.flush();
      em.emit(`cpu.rip=${i.next};`);
      break;
    }
    i = following;
  }
  const instrs = em.instrs;
  const handlers: Handler[] = instrs.map((x) => x.exec);
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const fn = new Function("cpu", "g", "I", "H", "mulHigh32", "imul64Overflows", `"use strict";\n${em.source()}`) as CompiledBody;
  return { instrs, run: (cpu) => fn(cpu, cpu.gpr, instrs, handlers, mulHigh32, imul64Overflows) };
}

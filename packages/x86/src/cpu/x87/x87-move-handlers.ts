// The x87 data movement instructions: loads and stores in every memory format, register
// copies and exchanges, conditional moves, constants, and the stack-pointer instructions.
import type { Cpu } from "../cpu.js";
import { Flag } from "../flags.js";
import type { Handler, Instr } from "../instr.js";
import { F80_ONE, F80_ZERO, type F80 } from "./f80.js";
import { constant, type ConstantName } from "./f80-constants.js";
import { integerIndefinite, toBcd, toFloat32, toFloat64, toInteger } from "./f80-convert.js";
import { fastToFloat64, float64High } from "./f80-fast.js";
import { INDEFINITE, isRegisterForm, MemFormat, operand, readOperand, record, stIndex, waiting } from "./x87-support.js";
import type { X87State } from "./x87-state.js";

/** Bytes of each memory format. */
const FORMAT_BYTES = [4, 8, 10, 2, 4, 8, 10] as const;

/** Loads from memory: FLD m32/m64/m80, FILD m16/m32/m64, FBLD. */
function loadFrom(format: number): Handler {
  return (cpu, i) => {
    const x = waiting(cpu);
    const va = cpu.ea(i);
    const v = readOperand(cpu, x.env, va, format);
    record(x, i, va);
    // On stack overflow the host reports only the stack fault, not the conversion's DE or IE.
    if (!x.isEmpty(7)) x.env.flags = 0;
    x.push(v);
    x.commit(false, 0x05); // an unmasked DE of the source still loads it (the host does)
  };
}

/** FLD: ST(i) (pushes a copy) or memory by opcode (D9 float32, DD float64, DB float80). */
function fld(cpu: Cpu, i: Instr): void {
  if (!isRegisterForm(i)) {
    loadFrom(i.opcode === 0xd9 ? MemFormat.F32 : i.opcode === 0xdd ? MemFormat.F64 : MemFormat.F80)(cpu, i);
    return;
  }
  const x = waiting(cpu);
  record(x, i);
  const v = operand(x, stIndex(i));
  x.push(v ?? INDEFINITE);
  x.commit();
}

const scratch = new Uint8Array(10);
const view = new DataView(scratch.buffer);

/** Converts ST(0) (undefined: empty) into the memory format's little-endian bytes in {@link scratch}. */
function encode(x: X87State, v: F80 | undefined, format: number, truncate: boolean): void {
  const env = x.env;
  switch (format) {
    case MemFormat.F32:
      view.setUint32(0, v ? toFloat32(env, v) : 0xffc00000, true);
      break;
    case MemFormat.F64: {
      const lo = v ? fastToFloat64(env, v) : undefined; // the common case without bigints
      if (lo !== undefined) {
        view.setInt32(0, lo, true);
        view.setInt32(4, float64High, true);
      } else view.setBigUint64(0, v ? toFloat64(env, v) : 0xfff8000000000000n, true);
      break;
    }
    case MemFormat.F80:
      (v ?? INDEFINITE).write(scratch, 0);
      break;
    case MemFormat.I16:
      view.setInt16(0, Number(v ? toInteger(env, v, 16, truncate) : integerIndefinite(16)), true);
      break;
    case MemFormat.I32:
      view.setInt32(0, Number(v ? toInteger(env, v, 32, truncate) : integerIndefinite(32)), true);
      break;
    case MemFormat.I64:
      view.setBigInt64(0, v ? toInteger(env, v, 64, truncate) : integerIndefinite(64), true);
      break;
    default:
      if (v) toBcd(env, v, scratch, 0);
      else scratch.set([0, 0, 0, 0, 0, 0, 0, 0xc0, 0xff, 0xff]);
  }
}

/**
 * Stores ST(0) to memory, popping when `pop`: FST/FSTP, FIST/FISTP, FISTTP, FBSTP. An empty
 * ST(0) stores the format's indefinite. When the conversion raises an unmasked exception other
 * than PE, nothing is stored and the stack stays (the hardware's unmasked response).
 */
function storeMemory(format: number, pop: boolean, truncate = false): Handler {
  return (cpu, i) => {
    const x = waiting(cpu);
    const va = cpu.ea(i);
    // Check the destination first so a fault leaves the flags and the stack untouched.
    const n = FORMAT_BYTES[format]!;
    cpu.checkWritable(va, n);
    encode(x, operand(x, 0), format, truncate);
    if (!x.traps(0x1f)) cpu.writeBytes(va, scratch, 0, n);
    record(x, i, va);
    if (pop) x.pop();
    x.commit(false, 0x1f); // a memory destination is left alone by OE and UE too
  };
}

/** FST/FSTP (and the FSTP aliases) to ST(i), or to memory by opcode. */
function fst(pop: boolean): Handler {
  return (cpu, i) => {
    if (!isRegisterForm(i)) {
      const format = i.opcode === 0xd9 ? MemFormat.F32 : i.opcode === 0xdd ? MemFormat.F64 : MemFormat.F80;
      storeMemory(format, pop)(cpu, i);
      return;
    }
    const x = waiting(cpu);
    record(x, i);
    const v = operand(x, 0);
    x.setSt(stIndex(i), v ?? INDEFINITE);
    if (pop) x.pop();
    x.commit();
  };
}

/** FILD by opcode: DF /0 int16, DB /0 int32, DF /5 int64. */
function fild(cpu: Cpu, i: Instr): void {
  const format = i.opcode === 0xdb ? MemFormat.I32 : ((i.modrm >> 3) & 7) === 5 ? MemFormat.I64 : MemFormat.I16;
  loadFrom(format)(cpu, i);
}

/** FIST/FISTP/FISTTP by opcode: DF int16 (DF /7 int64), DB int32, DD int64 (FISTTP). */
function fist(pop: boolean, truncate: boolean): Handler {
  return (cpu, i) => {
    const reg = (i.modrm >> 3) & 7;
    const format =
      i.opcode === 0xdb ? MemFormat.I32 : i.opcode === 0xdd || (i.opcode === 0xdf && reg === 7) ? MemFormat.I64 : MemFormat.I16;
    storeMemory(format, pop, truncate)(cpu, i);
  };
}

/** FXCH: swaps ST(0) and ST(i); empty registers become the default NaN (stack underflow). */
function fxch(cpu: Cpu, i: Instr): void {
  const x = waiting(cpu);
  record(x, i);
  const k = stIndex(i);
  const a = operand(x, 0) ?? INDEFINITE;
  const b = operand(x, k) ?? INDEFINITE;
  x.setSt(0, b);
  x.setSt(k, a);
  x.commit();
}

/** FCMOVcc: ST(0) ← ST(i) when the EFLAGS condition holds. */
function fcmov(condition: (flags: number) => boolean): Handler {
  return (cpu, i) => {
    const x = waiting(cpu);
    record(x, i);
    const a = operand(x, 0);
    const b = operand(x, stIndex(i));
    if (!a || !b) x.setSt(0, INDEFINITE);
    else if (condition(cpu.rflags)) x.setSt(0, b);
    x.commit(true);
  };
}

/** Pushes a constant (rounded with the current rounding mode). */
function loadConstant(name: ConstantName | "one" | "zero"): Handler {
  return (cpu, i) => {
    const x = waiting(cpu);
    record(x, i);
    x.push(name === "one" ? F80_ONE : name === "zero" ? F80_ZERO : constant(name, x.env.rounding));
    x.commit();
  };
}

/** FFREE (and FFREEP, which also pops): marks ST(i) empty. */
function ffree(pop: boolean): Handler {
  return (cpu, i) => {
    const x = waiting(cpu);
    record(x, i);
    x.valid &= ~(1 << x.phys(stIndex(i)));
    if (pop) x.pop();
    x.commit();
  };
}

/** FINCSTP/FDECSTP: moves TOP without changing tags. */
function moveTop(delta: number): Handler {
  return (cpu, i) => {
    const x = waiting(cpu);
    record(x, i);
    x.top = (x.top + delta) & 7;
    x.commit();
  };
}

const CF = (f: number): boolean => (f & Flag.CF) !== 0;
const ZF = (f: number): boolean => (f & Flag.ZF) !== 0;
const PF = (f: number): boolean => (f & Flag.PF) !== 0;

/** Data movement handlers by mnemonic. */
export const X87_MOVE_HANDLERS: Record<string, Handler> = {
  fld,
  fild,
  fbld: loadFrom(MemFormat.Bcd),
  fst: fst(false),
  fstp: fst(true),
  fstp1: fst(true),
  fstp8: fst(true),
  fstp9: fst(true),
  fist: fist(false, false),
  fistp: fist(true, false),
  fisttp: fist(true, true),
  fbstp: storeMemory(MemFormat.Bcd, true),
  fxch,
  fxch4: fxch,
  fxch7: fxch,
  fcmovb: fcmov(CF),
  fcmove: fcmov(ZF),
  fcmovbe: fcmov((f) => CF(f) || ZF(f)),
  fcmovu: fcmov(PF),
  fcmovnb: fcmov((f) => !CF(f)),
  fcmovne: fcmov((f) => !ZF(f)),
  fcmovnbe: fcmov((f) => !CF(f) && !ZF(f)),
  fcmovnu: fcmov((f) => !PF(f)),
  fld1: loadConstant("one"),
  fldz: loadConstant("zero"),
  fldpi: loadConstant("pi"),
  fldl2t: loadConstant("l2t"),
  fldl2e: loadConstant("l2e"),
  fldlg2: loadConstant("lg2"),
  fldln2: loadConstant("ln2"),
  ffree: ffree(false),
  ffreep: ffree(true),
  fincstp: moveTop(1),
  fdecstp: moveTop(-1),
};

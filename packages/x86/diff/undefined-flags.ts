// What the architecture leaves UNDEFINED, per instruction: the flags (and, for a few, the
// destination) whose value the Intel SDM and AMD APM do not define. The differential test never
// compares them, and the generator never lets a later instruction read them.
import { FLAG } from "./layout.js";

const { CF, PF, AF, ZF, SF, OF } = FLAG;
const ALL_STATUS = CF | PF | AF | ZF | SF | OF;

/** What the generator knows about an instruction's inputs when it asks. */
export interface UndefinedFacts {
  /** Operand size in bytes (1, 2, 4, 8). */
  size: number;
  /** The shift or rotate count after masking to 5 (or 6 for 64-bit) bits, when known. */
  count?: number | undefined;
  /** Whether the source operand is zero, when known (BSF/BSR). */
  sourceZero?: boolean | undefined;
}

/** Flags an instruction leaves undefined, and whether its destination is undefined too. */
export interface UndefinedEffect {
  flags: number;
  /** True when the destination operand's value is undefined. */
  destination: boolean;
  /**
   * Flags the opcode data file lists as written that the instruction in fact leaves as they were
   * (so an earlier undefined value survives it).
   */
  unaffected?: number;
  /**
   * True when the facts are not enough to tell (an unknown count that could make the
   * destination undefined): the generator must not use the instruction so.
   */
  unknowable?: boolean;
}

type Rule = (facts: UndefinedFacts) => UndefinedEffect;

const flags = (mask: number): Rule => () => ({ flags: mask, destination: false });
const none: UndefinedEffect = { flags: 0, destination: false };

/** SHL/SAL/SHR: no change at count 0; AF always, OF unless count 1, CF once count ≥ width. */
const shiftRule: Rule = ({ size, count }) => {
  const width = size * 8;
  if (count === undefined) return { flags: AF | OF | (width < 32 ? CF : 0), destination: false };
  if (count === 0) return none;
  return { flags: AF | (count === 1 ? 0 : OF) | (count >= width ? CF : 0), destination: false };
};

/** ROL/ROR/RCL/RCR: no change at (masked) count 0; OF defined only for a count of 1. */
const rotateRule: Rule = ({ count }) => {
  if (count === 0) return none;
  return { flags: count === 1 ? 0 : OF, destination: false };
};

/** SHLD/SHRD: count 0 changes nothing; a count above the width leaves everything undefined. */
const doubleShiftRule: Rule = ({ size, count }) => {
  const width = size * 8;
  if (count === undefined) return width === 16 ? { flags: ALL_STATUS, destination: true, unknowable: true } : { flags: AF | OF, destination: false };
  if (count === 0) return none;
  if (count > width) return { flags: ALL_STATUS, destination: true };
  return { flags: AF | (count === 1 ? 0 : OF), destination: false };
};

/** BSF/BSR: only ZF is defined; a zero source leaves the destination undefined (AMD: unchanged). */
const bitScanRule: Rule = ({ sourceZero }) => ({
  flags: CF | OF | SF | AF | PF,
  destination: sourceZero !== false,
  unknowable: sourceZero === undefined,
});

/** BT/BTS/BTR/BTC: CF defined, OF SF AF PF undefined, ZF left as it was. */
const bitTestRule: Rule = () => ({ flags: OF | SF | AF | PF, destination: false, unaffected: ZF });

/** The undefined-result table, by mnemonic. Mnemonics not listed define everything they write. */
export const UNDEFINED_RESULTS: Record<string, Rule> = {
  // MUL: OF and CF say whether the high half is significant; SF ZF AF PF are undefined.
  mul: flags(SF | ZF | AF | PF),
  // IMUL (all three forms): as MUL.
  imul: flags(SF | ZF | AF | PF),
  // DIV: all six status flags are undefined.
  div: flags(ALL_STATUS),
  // IDIV: all six status flags are undefined.
  idiv: flags(ALL_STATUS),
  // AND: OF and CF cleared, SF ZF PF by result, AF undefined.
  and: flags(AF),
  // OR: as AND.
  or: flags(AF),
  // XOR: as AND.
  xor: flags(AF),
  // TEST: as AND.
  test: flags(AF),
  // SHL (and its /6 alias): see shiftRule.
  shl: shiftRule,
  // SAL: the same instruction as SHL.
  sal: shiftRule,
  // SHR: see shiftRule.
  shr: shiftRule,
  // SAR: AF undefined, OF undefined unless count 1; CF is the last bit out even past the width.
  sar: ({ count }) => (count === 0 ? none : { flags: AF | (count === 1 ? 0 : OF), destination: false }),
  // ROL: see rotateRule.
  rol: rotateRule,
  // ROR: see rotateRule.
  ror: rotateRule,
  // RCL: see rotateRule.
  rcl: rotateRule,
  // RCR: see rotateRule.
  rcr: rotateRule,
  // SHLD: see doubleShiftRule.
  shld: doubleShiftRule,
  // SHRD: see doubleShiftRule.
  shrd: doubleShiftRule,
  // BSF: see bitScanRule.
  bsf: bitScanRule,
  // BSR: see bitScanRule.
  bsr: bitScanRule,
  // BT: CF is the bit; OF SF AF PF undefined; ZF unaffected (the data file says fw=oszapc).
  bt: bitTestRule,
  // BTS: as BT.
  bts: bitTestRule,
  // BTR: as BT.
  btr: bitTestRule,
  // BTC: as BT.
  btc: bitTestRule,
  // TZCNT: ZF (result zero) and CF (source zero) defined; OF SF AF PF undefined.
  tzcnt: flags(OF | SF | AF | PF),
  // LZCNT: as TZCNT.
  lzcnt: flags(OF | SF | AF | PF),
  // ANDN: SF ZF by result, OF CF cleared, AF PF undefined.
  andn: flags(AF | PF),
  // BEXTR: ZF by result, OF CF cleared, AF SF PF undefined.
  bextr: flags(AF | SF | PF),
  // BLSI: ZF SF by result, CF = source non-zero, OF cleared, AF PF undefined.
  blsi: flags(AF | PF),
  // BLSMSK: as BLSI (CF = source zero).
  blsmsk: flags(AF | PF),
  // BLSR: as BLSI (CF = source zero).
  blsr: flags(AF | PF),
  // BZHI: ZF SF by result, CF = index out of range, OF cleared, AF PF undefined.
  bzhi: flags(AF | PF),
  // BSWAP with a 16-bit operand: the result is undefined (the SDM says to use XCHG instead).
  bswap: ({ size }) => ({ flags: 0, destination: size === 2 }),
};

/** x87 condition codes in FSW. */
const C0 = 0x100;
const C1 = 0x200;
const C2 = 0x400;
const C3 = 0x4000;

/** What an x87 instruction does to the FSW condition codes. */
export interface X87ConditionEffect {
  /** Condition codes it sets to defined values. */
  defined: number;
  /** Condition codes it leaves undefined. */
  undefined: number;
  /** Condition codes it reads (FNSTSW stores them). */
  reads: number;
}

const X87_COMPARES = new Set(["fcom", "fcomp", "fcompp", "fucom", "fucomp", "fucompp", "ficom", "ficomp", "ftst", "fxam", "fprem", "fprem1"]);
const X87_C1_ONLY = new Set(["fcomi", "fcomip", "fucomi", "fucomip"]);
const X87_ALL_UNDEFINED = new Set(["fnclex", "fldcw", "fnstcw", "fnstsw", "fnop", "ffree", "fwait"]);

/**
 * The condition-code table (SDM "FPU Flags Affected" of each x87 instruction): compares, FXAM
 * and FPREM/FPREM1 set C0–C3; FCOMI and FUCOMI set only C1 and leave C0 C2 C3 as they were;
 * FNINIT clears them; FNCLEX, FLDCW, FNSTCW, FNSTSW, FNOP, FFREE and FWAIT leave all four
 * undefined; every other x87 instruction sets C1 and leaves C0, C2 and C3 undefined. Non-x87
 * mnemonics do nothing to them.
 */
export function x87ConditionEffect(mnemonic: string): X87ConditionEffect {
  const reads = mnemonic === "fnstsw" ? C0 | C1 | C2 | C3 : 0;
  if (!mnemonic.startsWith("f") || mnemonic === "fxsave" || mnemonic === "fxrstor") return { defined: 0, undefined: 0, reads };
  if (X87_COMPARES.has(mnemonic) || mnemonic === "fninit") return { defined: C0 | C1 | C2 | C3, undefined: 0, reads };
  if (X87_C1_ONLY.has(mnemonic)) return { defined: C1, undefined: 0, reads };
  if (X87_ALL_UNDEFINED.has(mnemonic)) return { defined: 0, undefined: C0 | C1 | C2 | C3, reads };
  return { defined: C1, undefined: C0 | C2 | C3, reads };
}

/** The undefined results of one instruction (nothing when the mnemonic has no entry). */
export function undefinedEffect(mnemonic: string, facts: UndefinedFacts): UndefinedEffect {
  const rule = UNDEFINED_RESULTS[mnemonic];
  return rule ? rule(facts) : none;
}

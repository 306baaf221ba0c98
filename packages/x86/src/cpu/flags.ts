// Lazy arithmetic flags: an ALU op records its operands and result; each flag is computed only
// when something reads it (a jcc, setcc, pushf, adc…). Most results are never examined.
import { Mmu } from "./mmu.js";

/** RFLAGS bits. */
export const Flag = {
  CF: 1,
  PF: 4,
  AF: 0x10,
  ZF: 0x40,
  SF: 0x80,
  TF: 0x100,
  IF: 0x200,
  DF: 0x400,
  OF: 0x800,
  AC: 0x40000,
  ID: 0x200000,
} as const;

/** The six arithmetic status flags. */
export const STATUS_FLAGS = 0x8d5;
/** Bits a user-mode POPF may change. */
export const POPF_USER_MASK = 0x8d5 | Flag.DF | Flag.TF | Flag.AC | Flag.ID;

/** How the status flags are derived from the recorded operands. */
export const enum FlagOp {
  /** All flags are in `fbits`. */
  None = 0,
  Add = 1,
  Adc = 2,
  Sub = 3,
  Sbb = 4,
  /** ZF, SF and PF from the result; CF, OF and AF in `fbits`. */
  Result = 5,
}

const SIGN = [0, 0x80, 0x8000, 0, 0x80000000];

/** Parity of each byte value: PF set when the number of 1 bits is even. */
const PARITY = new Uint8Array(256);
for (let v = 0; v < 256; v++) {
  let bits = 0;
  for (let b = v; b; b >>= 1) bits += b & 1;
  PARITY[v] = bits % 2 === 0 ? Flag.PF : 0;
}

/** Unsigned x < y of two values at a size ≤ 4 (as stored: masked, or int32 for 4). */
function below(x: number, y: number): boolean {
  return x >>> 0 < y >>> 0;
}

/** The flag state of the CPU; extended by {@link Cpu}. */
export class LazyFlags extends Mmu {
  /** The recorded operation ({@link FlagOp}). */
  fop: FlagOp = FlagOp.None;
  /** Operand size of the recorded operation in bytes. */
  fsize = 4;
  fa = 0;
  fb = 0;
  fr = 0;
  faHi = 0;
  fbHi = 0;
  frHi = 0;
  /** Carry into ADC/SBB. */
  fcarry = 0;
  /** Eager flag bits (DF, IF and the flags the recorded op does not define). Bit 1 is always set. */
  fbits = 0x202;

  /** Records an addition (ADD, or ADC with `carry`) of size ≤ 4; values as stored. */
  setAdd(size: number, a: number, b: number, r: number, carry: number): void {
    this.fop = carry ? FlagOp.Adc : FlagOp.Add;
    this.fsize = size;
    this.fa = a;
    this.fb = b;
    this.fr = r;
    this.fcarry = carry;
  }

  /** Records a subtraction (SUB/CMP, or SBB with `borrow`) of size ≤ 4. */
  setSub(size: number, a: number, b: number, r: number, borrow: number): void {
    this.fop = borrow ? FlagOp.Sbb : FlagOp.Sub;
    this.fsize = size;
    this.fa = a;
    this.fb = b;
    this.fr = r;
    this.fcarry = borrow;
  }

  /** Records a 64-bit addition or subtraction. */
  set64(op: FlagOp, aLo: number, aHi: number, bLo: number, bHi: number, rLo: number, rHi: number, carry: number): void {
    this.fop = op;
    this.fsize = 8;
    this.fa = aLo;
    this.faHi = aHi;
    this.fb = bLo;
    this.fbHi = bHi;
    this.fr = rLo;
    this.frHi = rHi;
    this.fcarry = carry;
  }

  /** Records a result whose CF, OF and AF are given (`cfOfAf`: those bits of RFLAGS). */
  setResult(size: number, r: number, rHi: number, cfOfAf: number): void {
    this.fbits = (this.fbits & ~STATUS_FLAGS) | cfOfAf;
    this.fop = FlagOp.Result;
    this.fsize = size;
    this.fr = r;
    this.frHi = rHi;
  }

  get cf(): boolean {
    switch (this.fop) {
      case FlagOp.Add:
      case FlagOp.Adc: {
        const lt = this.fsize === 8 ? this.below64(this.fr, this.frHi, this.fa, this.faHi) : below(this.fr, this.fa);
        if (lt) return true;
        return this.fop === FlagOp.Adc && (this.fsize === 8 ? this.fr === this.fa && this.frHi === this.faHi : this.fr === this.fa);
      }
      case FlagOp.Sub:
      case FlagOp.Sbb: {
        const lt = this.fsize === 8 ? this.below64(this.fa, this.faHi, this.fb, this.fbHi) : below(this.fa, this.fb);
        if (lt) return true;
        return this.fop === FlagOp.Sbb && (this.fsize === 8 ? this.fa === this.fb && this.faHi === this.fbHi : this.fa === this.fb);
      }
      default:
        return (this.fbits & Flag.CF) !== 0;
    }
  }

  private below64(xLo: number, xHi: number, yLo: number, yHi: number): boolean {
    return xHi === yHi ? xLo >>> 0 < yLo >>> 0 : xHi >>> 0 < yHi >>> 0;
  }

  get zf(): boolean {
    if (this.fop === FlagOp.None) return (this.fbits & Flag.ZF) !== 0;
    return this.fsize === 8 ? (this.fr | this.frHi) === 0 : this.fr === 0;
  }

  get sf(): boolean {
    if (this.fop === FlagOp.None) return (this.fbits & Flag.SF) !== 0;
    return this.fsize === 8 ? this.frHi < 0 : (this.fr & SIGN[this.fsize]!) !== 0;
  }

  get of(): boolean {
    let x: number;
    switch (this.fop) {
      case FlagOp.Add:
      case FlagOp.Adc:
        x = this.fsize === 8 ? (this.faHi ^ this.frHi) & (this.fbHi ^ this.frHi) : (this.fa ^ this.fr) & (this.fb ^ this.fr);
        break;
      case FlagOp.Sub:
      case FlagOp.Sbb:
        x = this.fsize === 8 ? (this.faHi ^ this.fbHi) & (this.faHi ^ this.frHi) : (this.fa ^ this.fb) & (this.fa ^ this.fr);
        break;
      default:
        return (this.fbits & Flag.OF) !== 0;
    }
    return this.fsize === 8 ? x < 0 : (x & SIGN[this.fsize]!) !== 0;
  }

  get pf(): boolean {
    if (this.fop === FlagOp.None) return (this.fbits & Flag.PF) !== 0;
    return PARITY[this.fr & 0xff] !== 0;
  }

  get af(): boolean {
    if (this.fop === FlagOp.Result || this.fop === FlagOp.None) return (this.fbits & Flag.AF) !== 0;
    return ((this.fa ^ this.fb ^ this.fr) & 0x10) !== 0;
  }

  /** RFLAGS with the lazy flags computed. */
  get rflags(): number {
    if (this.fop === FlagOp.None) return this.fbits;
    return (
      (this.fbits & ~STATUS_FLAGS) |
      (this.cf ? Flag.CF : 0) |
      (this.pf ? Flag.PF : 0) |
      (this.af ? Flag.AF : 0) |
      (this.zf ? Flag.ZF : 0) |
      (this.sf ? Flag.SF : 0) |
      (this.of ? Flag.OF : 0)
    );
  }

  set rflags(value: number) {
    this.fop = FlagOp.None;
    this.fbits = (value & 0x3f7fd5) | 2;
  }

  /** Sets the flags in `mask` to their bits in `value`, keeping the others. */
  setFlagBits(value: number, mask: number): void {
    const current = this.rflags;
    this.rflags = (current & ~mask) | (value & mask);
  }

  /** Evaluates condition code `cc` (0–15: o no b ae e ne be a s ns p np l ge le g). */
  condition(cc: number): boolean {
    let v: boolean;
    switch (cc >> 1) {
      case 0: v = this.of; break;
      case 1: v = this.cf; break;
      case 2: v = this.zf; break;
      case 3: v = this.cf || this.zf; break;
      case 4: v = this.sf; break;
      case 5: v = this.pf; break;
      case 6: v = this.sf !== this.of; break;
      default: v = this.zf || this.sf !== this.of; break;
    }
    return (cc & 1) !== 0 ? !v : v;
  }

  /** DF as +1 or -1 (the direction string instructions step). */
  get direction(): number {
    return (this.fbits & Flag.DF) !== 0 ? -1 : 1;
  }
}

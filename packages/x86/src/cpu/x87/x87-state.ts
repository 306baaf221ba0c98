import { F80, F80_DEFAULT_NAN, F80Kind, kindOf } from "./f80.js";
import { F80Env, FpException } from "./f80-env.js";

/** Status-word bits (TOP, bits 11–13, is kept separately in {@link X87State.top}). */
export const StatusBit = {
  /** Stack fault: IE came from a stack overflow or underflow (C1 tells which). */
  SF: 0x0040,
  /** Error summary: an unmasked exception is pending. */
  ES: 0x0080,
  C0: 0x0100,
  C1: 0x0200,
  C2: 0x0400,
  C3: 0x4000,
  /** Busy: mirrors ES. */
  B: 0x8000,
} as const;

/** All four condition-code bits. */
export const CC_MASK = 0x4700;

/** Values of the 2-bit tags of the full tag word (FSTENV/FSAVE). */
export const Tag = {
  Valid: 0,
  Zero: 1,
  Special: 2,
  Empty: 3,
} as const;

/**
 * The x87 register file and control state: eight physical 80-bit registers, the stack top,
 * status, control and tag words, and the last instruction/operand pointers and opcode as
 * FXSAVE stores them. It also carries the MMX view of the registers.
 */
export class X87State {
  /** Physical registers R0–R7 (ST(i) is `regs[(top + i) & 7]`). */
  readonly regs: F80[] = new Array<F80>(8).fill(new F80(0, 0, 0));
  /** TOP: the physical register that is ST(0). */
  top = 0;
  /** Status word without TOP (flags, SF, ES, C0–C3, B). */
  status = 0;
  /** Control word: exception masks (bits 0–5), precision (8–9), rounding (10–11). */
  control = 0x037f;
  /** Bit i set: physical register i is in use (the FXSAVE "abridged" tag byte). */
  valid = 0;
  /** Last x87 instruction pointer (FIP). */
  lastIp = 0;
  /** Last x87 data (operand) pointer (FDP). */
  lastDp = 0;
  /** Last x87 opcode (FOP): the low 3 bits of the first opcode byte and the ModRM byte. */
  lastOpcode = 0;
  /** The high half of the last {@link getMmx} result. */
  mmxHi = 0;
  /** The rounding environment of arithmetic, kept in step with {@link control}. */
  readonly env = new F80Env().setControlWord(0x037f);
  /** A stack fault of the current instruction: 0 none, 1 underflow, 2 overflow. */
  private pendingStackFault = 0;
  /** The stack as the current instruction found it, kept while an exception is unmasked. */
  private readonly savedRegs: F80[] = new Array<F80>(8);
  private savedTop = 0;
  private savedValid = 0;
  private saved = false;

  /** FNINIT: the state at reset. */
  reset(): void {
    this.top = 0;
    this.status = 0;
    this.setControl(0x037f);
    this.valid = 0;
    this.lastIp = 0;
    this.lastDp = 0;
    this.lastOpcode = 0;
  }

  /** Writes the control word (FLDCW) and updates the rounding environment. */
  setControl(cw: number): void {
    // Bits 13–15 do not exist and bit 6 always reads as 1 (the host: FLDCW 0 then FNSTCW gives 0x0040).
    this.control = (cw & 0x1f3f) | 0x40;
    this.env.setControlWord(this.control);
    this.updateSummary();
  }

  /** The status word as FNSTSW stores it (TOP in bits 11–13). */
  get statusWord(): number {
    return (this.status & ~0x3800) | (this.top << 11);
  }

  /** Loads a status word (FLDENV, FRSTOR, FXRSTOR). */
  set statusWord(sw: number) {
    this.top = (sw >> 11) & 7;
    this.status = sw & ~0x3800 & 0xffff;
    this.updateSummary();
  }

  /** Recomputes ES and B: set while any exception flag is unmasked. */
  updateSummary(): void {
    const pending = this.status & ~this.control & 0x3f;
    this.status = pending ? this.status | StatusBit.ES | StatusBit.B : this.status & ~(StatusBit.ES | StatusBit.B);
  }

  /** Physical register index of ST(i). */
  phys(i: number): number {
    return (this.top + i) & 7;
  }

  /** ST(i) (whatever it holds, even when empty). */
  st(i: number): F80 {
    return this.regs[(this.top + i) & 7]!;
  }

  /** True when ST(i) is empty. */
  isEmpty(i: number): boolean {
    return ((this.valid >> ((this.top + i) & 7)) & 1) === 0;
  }

  /** Writes ST(i) and marks it valid. */
  setSt(i: number, v: F80): void {
    const p = (this.top + i) & 7;
    this.regs[p] = v;
    this.valid |= 1 << p;
  }

  /** Pushes a value. On stack overflow (ST(7) in use) the masked response pushes the default NaN. */
  push(v: F80): void {
    const p = (this.top - 1) & 7;
    if ((this.valid >> p) & 1) {
      this.stackFault(true);
      v = F80_DEFAULT_NAN;
    }
    this.top = p;
    this.regs[p] = v;
    this.valid |= 1 << p;
  }

  /** Pops ST(0) (marks it empty, TOP + 1). */
  pop(): void {
    this.valid &= ~(1 << this.top);
    this.top = (this.top + 1) & 7;
  }

  /**
   * Notes a stack fault for {@link commit}: IE and SF, C1 = 1 for overflow, 0 for underflow.
   * The first one of an instruction wins (FLD ST(i) of an empty register into a full stack
   * reports underflow on the host).
   */
  stackFault(overflow: boolean): void {
    if (this.pendingStackFault === 0) this.pendingStackFault = overflow ? 2 : 1;
  }

  /**
   * Starts an instruction. While IE, DE, ZE, OE or UE is unmasked it remembers the stack, so an
   * unmasked one can leave registers and TOP as they were (the hardware's unmasked response).
   */
  begin(): void {
    this.saved = (this.control & 0x1f) !== 0x1f;
    if (!this.saved) return;
    for (let p = 0; p < 8; p++) this.savedRegs[p] = this.regs[p]!;
    this.savedTop = this.top;
    this.savedValid = this.valid;
  }

  /** True when the current instruction has raised an unmasked exception among `mask`'s bits. */
  traps(mask: number): boolean {
    const raised = this.env.flags | (this.pendingStackFault ? FpException.Invalid : 0);
    return (raised & ~this.control & mask) !== 0;
  }

  /**
   * Ends an instruction's effect on the status word: merges the rounding environment's flags,
   * sets C1 (the stack-fault direction, else "rounded up", or unchanged with `keepC1` for the
   * instructions that only report stack faults in it), SF on a stack fault, and ES/B. When an
   * exception in `restoreMask` (IE, DE, ZE by default) is unmasked, the stack is put back first
   * and the result is true (the instruction had no other effect, condition codes included).
   */
  commit(keepC1 = false, restoreMask = 0x07): boolean {
    const env = this.env;
    const suppressed = this.saved && this.traps(restoreMask);
    if (suppressed) {
      // An unmasked exception of `restoreMask` stops the operation before it produces anything:
      // the destination, the stack and its tags stay, and only the trapping flags are raised.
      for (let p = 0; p < 8; p++) this.regs[p] = this.savedRegs[p]!;
      this.top = this.savedTop;
      this.valid = this.savedValid;
      env.flags &= restoreMask; // nothing was produced, so nothing was inexact
      env.roundedUp = false;
    }
    this.saved = false;
    let s = this.status | env.flags;
    let c1 = keepC1 ? (s & StatusBit.C1) !== 0 : env.roundedUp;
    if (this.pendingStackFault) {
      s |= FpException.Invalid | StatusBit.SF;
      c1 = this.pendingStackFault === 2;
      this.pendingStackFault = 0;
    }
    this.status = c1 ? s | StatusBit.C1 : s & ~StatusBit.C1;
    env.flags = 0;
    env.roundedUp = false;
    this.updateSummary();
    return suppressed;
  }

  /** The full 16-bit tag word (2 bits per physical register) computed from the contents. */
  get tagWord(): number {
    let tw = 0;
    for (let p = 0; p < 8; p++) tw |= this.tagOf(p) << (2 * p);
    return tw;
  }

  /** Loads a full tag word: only "empty" versus "in use" is kept (contents decide the rest). */
  set tagWord(tw: number) {
    let valid = 0;
    for (let p = 0; p < 8; p++) if (((tw >> (2 * p)) & 3) !== Tag.Empty) valid |= 1 << p;
    this.valid = valid;
  }

  /** The 2-bit tag of physical register p. */
  tagOf(p: number): number {
    if (((this.valid >> p) & 1) === 0) return Tag.Empty;
    const k = kindOf(this.regs[p]!);
    if (k === F80Kind.Zero) return Tag.Zero;
    return k === F80Kind.Normal ? Tag.Valid : Tag.Special;
  }

  /**
   * MMX register i as its low 32 bits; the high 32 bits are left in {@link mmxHi}. Like every
   * MMX instruction on hardware, this sets TOP to 0 and marks all registers valid.
   */
  getMmx(i: number): number {
    this.enterMmx();
    const r = this.regs[i & 7]!;
    this.mmxHi = r.hi | 0;
    return r.lo | 0;
  }

  /** Writes MMX register i: significand = hi:lo, exponent bits all ones, TOP 0, all tags valid. */
  setMmx(i: number, lo: number, hi: number): void {
    this.enterMmx();
    this.regs[i & 7] = new F80(0xffff, hi >>> 0, lo >>> 0);
  }

  /** EMMS: marks every register empty. */
  emms(): void {
    this.valid = 0;
  }

  private enterMmx(): void {
    this.top = 0;
    this.valid = 0xff;
  }
}

// Register numbering: class * 32 + index. Zero means "no register".

/** Register classes; a register id is `class * 32 + index`. */
export const RegClass = {
  Gpr8: 1,
  Gpr8High: 2,
  Gpr16: 3,
  Gpr32: 4,
  Gpr64: 5,
  Segment: 6,
  Control: 7,
  Debug: 8,
  Mmx: 9,
  Xmm: 10,
  Ymm: 11,
  St: 12,
  Rip: 13,
  /** AVX-512 opmask registers k0-k7. */
  Mask: 14,
  /** AMX tile registers tmm0-tmm7. */
  Tmm: 15,
} as const;

const GPR64 = ["rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"];
const GPR32 = ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", ...range(8, 16, (i) => `r${i}d`)];
const GPR16 = ["ax", "cx", "dx", "bx", "sp", "bp", "si", "di", ...range(8, 16, (i) => `r${i}w`)];
const GPR8 = ["al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil", ...range(8, 16, (i) => `r${i}b`)];
const HIGH8 = ["", "", "", "", "ah", "ch", "dh", "bh"];
const SEGMENT = ["es", "cs", "ss", "ds", "fs", "gs"];

function range(from: number, to: number, name: (i: number) => string): string[] {
  const out: string[] = [];
  for (let i = from; i < to; i++) out.push(name(i));
  return out;
}

const NAMES: string[] = new Array(16 * 32).fill("");
const put = (cls: number, names: string[]): void => names.forEach((n, i) => (NAMES[cls * 32 + i] = n));
put(RegClass.Gpr8, GPR8);
put(RegClass.Gpr8High, HIGH8);
put(RegClass.Gpr16, GPR16);
put(RegClass.Gpr32, GPR32);
put(RegClass.Gpr64, GPR64);
put(RegClass.Segment, SEGMENT);
put(RegClass.Control, range(0, 16, (i) => `cr${i}`));
put(RegClass.Debug, range(0, 16, (i) => `dr${i}`));
put(RegClass.Mmx, range(0, 8, (i) => `mm${i}`));
put(RegClass.Xmm, range(0, 16, (i) => `xmm${i}`));
put(RegClass.Ymm, range(0, 16, (i) => `ymm${i}`));
// Index 8 is the stack top as an implicit operand, which objdump prints as "st".
put(RegClass.St, [...range(0, 8, (i) => `st(${i})`), "st"]);
put(RegClass.Rip, ["rip", "eip"]);
put(RegClass.Mask, range(0, 8, (i) => `k${i}`));
put(RegClass.Tmm, range(0, 8, (i) => `tmm${i}`));

/** Register id from class and index. */
export function reg(cls: number, index: number): number {
  return cls * 32 + index;
}

/** Lower-case register name as objdump prints it in Intel syntax ("" for no register). */
export function registerName(id: number): string {
  return NAMES[id] ?? "";
}

/** General-purpose register id of a size in bytes (1, 2, 4, 8); `rex` selects spl..dil over ah..bh. */
export function gpr(size: number, index: number, rex: boolean): number {
  switch (size) {
    case 1:
      return !rex && index >= 4 && index < 8 ? reg(RegClass.Gpr8High, index) : reg(RegClass.Gpr8, index);
    case 2:
      return reg(RegClass.Gpr16, index);
    case 4:
      return reg(RegClass.Gpr32, index);
    default:
      return reg(RegClass.Gpr64, index);
  }
}

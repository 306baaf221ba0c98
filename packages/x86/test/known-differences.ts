// Documented, deliberate differences between our Intel text and objdump's in the golden vectors.
// Each has a reason; the vector test fails on any difference that matches none of them.

/** One category of known difference. */
export interface KnownDifference {
  reason: string;
  matches: (ours: string, objdump: string, bytes: string) => boolean;
}

const stripPrefixes = (s: string): string => s.replace(/^((rex\.?[WRXB]*|data16) )+/, "");

/** The categories, in the order they are tried. */
export const KNOWN_DIFFERENCES: KnownDifference[] = [
  {
    reason: "x87 register-form aliases (fstp1, fcom2, fxch4, ...) run on every x86 CPU and iced decodes them; objdump prints (bad)",
    matches: (ours, theirs) => /^(fstp[189]|fcom2|fcomp[35]|fxch[47]|ffreep) /.test(stripPrefixes(ours)) && stripPrefixes(theirs) === "(bad)",
  },
  {
    reason: "8087/287-only no-ops: objdump spells them with a space ('fneni(8087 only)'), which the data file's columns cannot hold",
    matches: (ours, theirs) => /8087_nop|287_nop/.test(ours) && /only\)$/.test(theirs),
  },
  {
    reason: "MPX (bnd*) on 0F 1A/1B is retired; like iced we decode these as hint NOPs",
    matches: (ours, theirs) => / ?bnd(mov|ldx|stx|cl|cu|cn|mk)/.test(theirs) && /^(\S+ )*nop/.test(ours),
  },
  {
    reason:
      "66 on near branches: in 64-bit mode objdump applies AMD's 16-bit form where Intel 64 (and iced) ignore 66; outside it objdump does not wrap the target to 16 bits as the CPU (and iced) do",
    matches: (_ours, theirs, bytes) => bytes.startsWith("66") && /\b(j[a-z]+w?|callw?|xbeginw)\b/.test(theirs),
  },
  {
    reason: "a lone prefix byte: objdump prints the prefix name, we report a truncated instruction",
    matches: (ours, theirs, bytes) => ours === "(bad)" && bytes.length <= 8 && /^(rex\.?[WRXB]*|data16|\S+ \(bad\))/.test(theirs),
  },
  {
    reason: "CR/DR numbers other than CR0/2/3/4/8 and DR0-7 raise #UD on the CPU (iced agrees); objdump shows them",
    matches: (ours, theirs) => ours === "(bad)" && /\b(cr|dr|db)(1[0-5]|[15679])\b/.test(theirs),
  },
  {
    reason: "a redundant 66 on a size-suffixed system instruction (sysretd, cmpxchg8b): we do not print data16",
    matches: (ours, theirs) => theirs === `data16 ${ours}`,
  },
  {
    reason: "LOCK on a register destination or a non-lockable instruction, and MOV to CS, raise #UD on the CPU; objdump prints them",
    matches: (ours, theirs) => ours === "(bad)" && (/^lock /.test(theirs) || /^mov (cs,|\S+,%cs$)/.test(theirs)),
  },
  {
    reason: "66 0F 09: objdump rejects the prefix, the CPU (and iced) ignore it",
    matches: (ours, theirs) => theirs === "(bad)" && ours === "data16 wbinvd",
  },
  {
    reason: "0F 0D with a register operand is a hint NOP on the CPU (and in iced); objdump prints (bad)",
    matches: (ours, theirs, bytes) => /0f0d[c-f][0-9a-f]/.test(bytes) && /^(\S+ )*nop /.test(ours) && /\(bad\)/.test(theirs),
  },
  {
    reason: "VEX vmovss/vmovsd store form (0F 11) with VEX.L=1: the instruction ignores L and writes an xmm register; objdump prints ymm",
    matches: (ours, theirs) => /^vmovs[sd] /.test(ours) && ours.replace(/xmm/g, "") === theirs.replace(/[xy]mm/g, ""),
  },
  {
    reason: "gathers without a SIB byte, or whose destination, index and mask registers overlap, raise #UD; objdump prints them with (bad) marks",
    matches: (ours, theirs) => ours === "(bad)" && /gather.*\(bad\)/.test(theirs),
  },
  {
    reason: "AMX tile instructions without a SIB byte, or whose three tiles overlap, raise #UD (iced agrees); objdump prints them with (bad) marks",
    matches: (ours, theirs) => ours === "(bad)" && /^(tile|tdp|tcmm)\S* .*\(bad\)/.test(theirs),
  },
  {
    reason: "16-bit addressing has no SIB byte, so gathers (VSIB) and MPX forms that need one are #UD; objdump prints addr16 and (bad) marks",
    matches: (ours, theirs) => ours === "(bad)" && /^addr16 /.test(theirs) && /\(bad\)/.test(theirs),
  },
  {
    reason: "SALC (D6) runs on Intel and AMD CPUs outside 64-bit mode and iced decodes it; objdump prints (bad)",
    matches: (ours, theirs) => /^(data16 )?salc$/.test(ours) && /^(data16 )?\(bad\)$/.test(theirs),
  },
  {
    reason: "VIA's montmul (F3 0F A6 C0) is 32-bit only: iced rejects it in 64-bit mode and so do we; objdump prints it",
    matches: (ours, theirs) => ours === "(bad)" && /\bmontmul$/.test(theirs),
  },
  {
    reason: "FRED's erets/eretu (F2/F3 0F 01 CA) are newer than objdump 2.40, which prints repnz/repz clac",
    matches: (ours, theirs) => /\beret[su]$/.test(ours) && /\brepn?z (\S+ )?clac$/.test(theirs),
  },
  {
    reason: "LKGS with REX and PadLock with REX: objdump 2.40 stops at the opcode ((bad)), so the vector holds only the prefix and opcode bytes",
    matches: (ours, theirs, bytes) => ours === "(bad)" && /^(f2|f3)(48|45)0f(00|a6|a7)$/.test(bytes) && /^repn?z rex\.\w+ \(bad\)$/.test(theirs),
  },
];

/** The reason a difference is known, or undefined. */
export function explainDifference(ours: string, objdump: string, bytes: string): string | undefined {
  return KNOWN_DIFFERENCES.find((k) => k.matches(ours, objdump, bytes))?.reason;
}

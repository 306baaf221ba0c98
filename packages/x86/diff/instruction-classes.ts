// Which forms of the opcode data file the generator may use, by selectable class, and why the
// others are left out.
import { isImplemented } from "../src/cpu/handlers.js";
import type { OpcodeForm } from "./opcode-forms.js";

/** Instruction classes a capture can select. */
export type InstructionClass = "integer" | "bmi" | "sse" | "mmx" | "x87" | "avx";

/** Classes captured by default: what runs on general registers and memory. */
export const DEFAULT_CLASSES: readonly InstructionClass[] = ["integer", "bmi"];

// Forms that cannot run in a user-mode differential test, with the reason.
const EXCLUDED: Record<string, string> = {};
const exclude = (reason: string, names: string): void => {
  for (const name of names.split(" ")) EXCLUDED[name] = reason;
};
exclude("privileged in ring 3 (#GP, or Nanos never runs it)", "hlt cli sti clts invd wbinvd wrmsr rdmsr rdpmc lgdt lidt lldt ltr lmsw invlpg swapgs monitor mwait clac stac xsetbv getsec rsm");
exclude("reads descriptor tables, emulated by the kernel under UMIP", "sgdt sidt sldt str smsw");
exclude("port I/O", "in out ins outs");
exclude("nondeterministic or host-specific result", "cpuid rdtsc rdtscp rdrand rdseed rdpid xgetbv rdpkru wrpkru rdfsbase rdgsbase wrfsbase wrgsbase");
exclude("segment descriptors", "lar lsl verr verw lss lfs lgs");
exclude("leaves the sequence (system call, interrupt, far transfer)", "syscall sysenter sysexitd sysexitq sysretd sysretq int int1 iretw iret iretq retf");
exclude("transactional memory, absent on the capture host", "xbegin xabort xend xtest");
exclude("virtualisation or shadow stacks", "vmread vmwrite incsspd incsspq rdsspd rdsspq setssbsy saveprevssp");
exclude("vendor-specific hint (AMD and Intel differ)", "prefetchwt1");
exclude("approximation whose exact bits are implementation-specific (SDM: relative error ≤ 1.5·2^-12)", "rcpps rcpss rsqrtps rsqrtss");
exclude("x87 transcendental: last-bit results are implementation-specific", "fsin fcos fsincos fptan fpatan f2xm1 fyl2x fyl2xp1");
exclude("x87 environment images hold FIP/FDP/FOP, which AMD and Intel save differently", "fldenv fnstenv frstor fnsave");
exclude("undocumented x87 alias or 8087/287 leftover", "fcom2 fcomp3 fxch4 fcomp5 ffreep fxch7 fstp1 fstp8 fstp9 feni8087_nop fdisi8087_nop fsetpm287_nop");
exclude("saves or restores the whole FPU/SSE state: needs the x87 state in fixtures", "fxsave fxsave64 fxrstor fxrstor64 xsave xsave64 xrstor xrstor64 xsaveopt xsaveopt64 xsavec xsavec64 xsaves xsaves64 xrstors xrstors64");

const SEGMENT_OPERANDS = new Set(["Sw", "FS", "GS", "ES", "CS", "SS", "DS", "Mp", "Cq", "Dq"]);
const MMX_OPERANDS = new Set(["Pq", "Qq", "Qd", "Nq"]);
const VECTOR_OPERAND = /^(V|W|U|H|L)|^XMM0$/;

/** The class of a form, or why it is never generated. */
export function classify(form: OpcodeForm): { cls: InstructionClass } | { excluded: string } {
  if (form.i64) return { excluded: "invalid in 64-bit mode" };
  const mnemonic = form.mnemonics[1];
  const reason = EXCLUDED[mnemonic] ?? EXCLUDED[form.mnemonics[2]];
  if (reason) return { excluded: reason };
  // The decoder knows more than the CPU runs (3DNow!, VMX, PadLock...): those raise #UD here.
  if (!form.map.startsWith("V") && !isImplemented(mnemonic)) return { excluded: "decoded only: the CPU raises #UD" };
  if (form.operands.some((o) => SEGMENT_OPERANDS.has(o))) return { excluded: "segment, control or debug registers" };
  if (form.branch === "int" && mnemonic !== "int3") return { excluded: "software interrupt" };
  if (form.map === "0F" && form.opcode === 0x0d && mnemonic === "nop") return { excluded: "vendor-specific: AMD raises #UD for 0F 0D with a register operand" };
  if (form.ext === "X87" || mnemonic === "fwait") return { cls: "x87" };
  if (mnemonic === "emms") return { cls: "mmx" };
  if (form.operands.some((o) => MMX_OPERANDS.has(o))) return { cls: "mmx" };
  if (form.map.startsWith("V")) return { cls: form.ext === "BMI1" || form.ext === "BMI2" ? "bmi" : "avx" };
  if (form.operands.some((o) => VECTOR_OPERAND.test(o)) || mnemonic === "ldmxcsr" || mnemonic === "stmxcsr") return { cls: "sse" };
  return { cls: "integer" };
}

/** The forms of the selected classes. */
export function selectForms(forms: readonly OpcodeForm[], classes: readonly InstructionClass[]): OpcodeForm[] {
  return forms.filter((form) => {
    const c = classify(form);
    return "cls" in c && classes.includes(c.cls);
  });
}

// The host side of the self-checking programs: runs a program's ELF form and decodes what its
// harness stub wrote (harness.inc): rax at the end, or the machine context of a fatal signal
// (general registers and the FXSAVE image of the x87/SSE state).
import { spawnSync } from "node:child_process";

/** The kernel's ucontext greg slots, in order (sys/ucontext.h REG_*). */
export const GREG_NAMES = [
  "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "rdi", "rsi", "rbp", "rbx", "rdx", "rax", "rcx", "rsp",
  "rip", "eflags", "csgsfs", "err", "trapno", "oldmask", "cr2",
] as const;

/** General register number (0 = rax … 15 = r15) of each of the first 16 greg slots. */
export const GREG_REGISTER = [8, 9, 10, 11, 12, 13, 14, 15, 7, 6, 5, 3, 2, 0, 1, 4] as const;

export type NativeResult =
  | { kind: "done"; rax: bigint }
  | { kind: "signal"; signal: number; gregs: Record<(typeof GREG_NAMES)[number], bigint>; fxsave: Buffer };

/** Runs an ELF built by build.sh on the host CPU. Throws with the reason when it cannot. */
export function runNative(elfPath: string): NativeResult {
  const run = spawnSync(elfPath, [], { timeout: 10_000 });
  if (run.error !== undefined) throw new Error(`cannot run ${elfPath} on this host (the native checks need an x86-64 Linux host): ${run.error.message}`);
  if (run.status !== 0) throw new Error(`${elfPath} on the host: exit status ${run.status}, signal ${run.signal} (2 = its stub could not map memory or catch signals)`);
  const out = run.stdout;
  if (out.length === 8) return { kind: "done", rax: out.readBigUInt64LE(0) };
  if (out.length === 24 * 8 + 512) {
    const gregs = Object.fromEntries(GREG_NAMES.map((name, k) => [name, out.readBigUInt64LE(8 * k)])) as Record<(typeof GREG_NAMES)[number], bigint>;
    return { kind: "signal", signal: Number(out.readBigUInt64LE(23 * 8)), gregs, fxsave: out.subarray(24 * 8) };
  }
  throw new Error(`${elfPath} on the host wrote ${out.length} bytes; expected 8 (rax) or 704 (a signal's context and FXSAVE image)`);
}

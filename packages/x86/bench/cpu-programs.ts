// The CPU benchmark programs (bench/programs/*.asm): what each measures and how many iterations
// one run performs. The flat form runs in the emulated CPU, the ELF form natively and in qemu.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** One benchmark program and the iteration count passed to it in rdi. */
export interface CpuBenchProgram {
  /** File name without extension in bench/programs. */
  name: string;
  /** What it exercises. */
  title: string;
  iterations: number;
}

/** The programs, in report order; iteration counts give a few milliseconds natively. */
export const CPU_BENCH_PROGRAMS: readonly CpuBenchProgram[] = [
  { name: "int-loop", title: "integer loop (xorshift64 sum)", iterations: 5_000_000 },
  { name: "calls", title: "calls/returns (recursive fib(12))", iterations: 5_000 },
  { name: "copy-rep", title: "memory copy, rep movsb 16 KiB", iterations: 100_000 },
  { name: "copy-loop", title: "memory copy, 8-byte load/store loop 16 KiB", iterations: 3_000 },
  { name: "sse-loop", title: "SSE2 scalar double recurrence", iterations: 500_000 },
  { name: "x87-loop", title: "x87 extended-precision recurrence", iterations: 200_000 },
];

/** Where the data region is mapped in both forms (harness.inc: DATA, DATA_BYTES). */
export const BENCH_DATA = { address: 0x10000000, bytes: 0x10000 } as const;

/** The folder of the programs' sources and built forms. */
export const BENCH_PROGRAMS_DIR = fileURLToPath(new URL("./programs/", import.meta.url));

/** The path of a program's built form: ".bin" (flat code) or ".elf" (static Linux executable). */
export function programPath(name: string, form: ".bin" | ".elf"): string {
  return join(BENCH_PROGRAMS_DIR, `${name}${form}`);
}

/** The flat code of a program. */
export function flatCode(name: string): Uint8Array {
  return readFileSync(programPath(name, ".bin"));
}

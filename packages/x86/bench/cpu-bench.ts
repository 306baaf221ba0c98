// The CPU benchmark: each program of cpu-programs.ts in the emulated CPU (guest instructions per
// second), natively on the host and under qemu-x86_64 when installed, with the same iteration
// count, timed in the same run. Native and qemu times are measured by the program itself around
// its body (clock_gettime), so process start-up is not counted against them; they are a few
// milliseconds, so they take the fastest of several runs (noise from other processes only ever
// adds time), while the emulated CPU's time is the median of its runs after a warm-up.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { formatRate } from "@nanots/bench-kit";
import { CPU_BENCH_PROGRAMS, programPath, type CpuBenchProgram } from "./cpu-programs.js";

const QEMU = "/usr/bin/qemu-x86_64";
/** The integer-loop goal from the CPU issue: no worse than this many times native. */
const INTEGER_LOOP_GOAL = 60;

interface Timing {
  checksum: string;
  ms: number;
}

/** Runs the ELF form `reps` times under `launcher` (none = natively); the fastest body time. */
function timeElf(program: CpuBenchProgram, reps: number, launcher?: string): Timing {
  const elf = programPath(program.name, ".elf");
  const times: number[] = [];
  let checksum = "";
  for (let rep = 0; rep < reps; rep++) {
    const [command, args] = launcher === undefined ? [elf, []] : [launcher, [elf]];
    const run = spawnSync(command, [...args, String(program.iterations)]);
    if (run.status !== 0 || run.stdout.length !== 16) {
      throw new Error(`${launcher ?? "native"} ${program.name}: status ${run.status} signal ${run.signal} stdout ${run.stdout.length} bytes ${run.stderr}`);
    }
    checksum = run.stdout.readBigUInt64LE(0).toString(16);
    times.push(Number(run.stdout.readBigUInt64LE(8)) / 1e6);
  }
  return { checksum, ms: Math.min(...times) };
}

function timeOurs(program: CpuBenchProgram, reps: number): Timing & { instructions: number } {
  const child = fileURLToPath(new URL("./cpu-child.ts", import.meta.url));
  const run = spawnSync(process.execPath, [...process.execArgv, child, program.name, String(program.iterations), String(reps)], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`nanots ${program.name} failed:\n${run.stderr}`);
  const lines = run.stdout.trim().split("\n");
  return JSON.parse(lines[lines.length - 1]!) as Timing & { instructions: number };
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join("  ")).join("\n");
}

/**
 * Runs every CPU benchmark program and prints one table. Sets a non-zero exit code when a
 * program's checksum differs between the emulated CPU, the host and qemu.
 */
export function runCpuBench(): void {
  const reps = Number(process.env.NANOTS_BENCH_REPS ?? 5);
  const hasQemu = existsSync(QEMU);
  const rows: string[][] = [["program", "iterations", "guest instr", "nanots", "nanots ms", "native ms", "slowdown", ...(hasQemu ? ["qemu ms", "qemu slowdown"] : [])]];
  const mismatches: string[] = [];
  let integerLoopSlowdown = NaN;
  for (const program of CPU_BENCH_PROGRAMS) {
    const ours = timeOurs(program, reps);
    const native = timeElf(program, 3 * reps);
    const qemu = hasQemu ? timeElf(program, 3 * reps, QEMU) : undefined;
    const slowdown = ours.ms / native.ms;
    if (program.name === "int-loop") integerLoopSlowdown = slowdown;
    for (const [who, other] of [["native", native], ["qemu", qemu]] as const) {
      if (other !== undefined && other.checksum !== ours.checksum) mismatches.push(`${program.name}: nanots checksum ${ours.checksum}, ${who} ${other.checksum}`);
    }
    rows.push([
      program.title,
      String(program.iterations),
      String(ours.instructions),
      formatRate(ours.instructions / (ours.ms / 1000)).replace("/s", "IPS"),
      ours.ms.toFixed(1),
      native.ms.toFixed(2),
      `${slowdown.toFixed(1)}x`,
      ...(qemu === undefined ? [] : [qemu.ms.toFixed(2), `${(qemu.ms / native.ms).toFixed(1)}x`]),
    ]);
  }
  console.log(`## x86-64 CPU: benchmark programs as bare code (nanots: median of ${reps}; native, qemu: fastest of ${3 * reps}; slowdown = time / native time)\n`);
  console.log(table(rows));
  console.log(`\ninteger loop: ${integerLoopSlowdown.toFixed(1)}x native (goal: at most ${INTEGER_LOOP_GOAL}x) ${integerLoopSlowdown <= INTEGER_LOOP_GOAL ? "met" : "NOT met"}\n`);
  if (!hasQemu) console.log(`(${QEMU} not installed: no qemu column)\n`);
  for (const line of mismatches) console.error(`checksum mismatch: ${line}`);
  if (mismatches.length > 0) process.exitCode = 1;
}

import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { formatReport, type ContenderResult, type SuiteResult } from "./report.js";
import { median } from "./stats.js";

/**
 * The phases of one run, in order. Each phase performs the suite's `ops[phase]` operations and
 * returns a check value (a count or checksum) that must be equal for every contender.
 */
export type Phases = Record<string, () => unknown>;

export interface Contender {
  name: string;
  /** True for a nanots package; the report compares the best of ours with the best peer. */
  ours?: boolean;
  /** Builds fresh state and returns its phases; called once per repetition. */
  make: () => Phases;
}

export interface Suite {
  title: string;
  /** Operations performed by each phase, used to turn times into rates. */
  ops: Record<string, number>;
  contenders: Contender[];
  /** Timed repetitions per contender (median reported); default 5, or NANOTS_BENCH_REPS. */
  reps?: number;
}

const CHILD_ENV = "NANOTS_BENCH_CHILD";

function measure(suite: Suite, contender: Contender): ContenderResult {
  const reps = Number(process.env.NANOTS_BENCH_REPS ?? suite.reps ?? 5);
  const times: Record<string, number[]> = {};
  const checks: Record<string, string> = {};
  for (let rep = -1; rep < reps; rep++) {
    const phases = contender.make();
    for (const [phase, run] of Object.entries(phases)) {
      const start = performance.now();
      const check = run();
      const elapsed = performance.now() - start;
      if (rep < 0) continue; // the first run only warms up the JIT
      (times[phase] ??= []).push(elapsed);
      checks[phase] = String(check);
    }
  }
  const rates: Record<string, number> = {};
  for (const [phase, list] of Object.entries(times)) {
    const ops = suite.ops[phase];
    if (ops === undefined) throw new Error(`suite "${suite.title}": phase "${phase}" has no op count`);
    rates[phase] = ops / (median(list) / 1000);
  }
  return { name: contender.name, ours: contender.ours === true, rates, checks };
}

/**
 * Runs every suite of a benchmark file and prints the report. Each contender runs in its own
 * child process (the same file, re-executed), so call sites stay monomorphic and garbage from
 * one library never lands on another's clock. Exits non-zero when contenders disagree on a check.
 *
 * @param moduleUrl `import.meta.url` of the benchmark file.
 */
export function runSuites(moduleUrl: string, suites: Suite[]): void {
  const child = process.env[CHILD_ENV];
  if (child !== undefined) {
    const [suiteIndex, contenderIndex] = child.split(":").map(Number);
    const suite = suites[suiteIndex!]!;
    process.stdout.write(`${JSON.stringify(measure(suite, suite.contenders[contenderIndex!]!))}\n`);
    return;
  }
  const file = fileURLToPath(moduleUrl);
  let disagreements = 0;
  suites.forEach((suite, suiteIndex) => {
    const contenders = suite.contenders.map((contender, contenderIndex) => {
      const run = spawnSync(process.execPath, [...process.execArgv, file], {
        env: { ...process.env, [CHILD_ENV]: `${suiteIndex}:${contenderIndex}` },
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
      });
      if (run.status !== 0) throw new Error(`benchmark "${contender.name}" failed:\n${run.stderr}`);
      const lines = run.stdout.trim().split("\n");
      return JSON.parse(lines[lines.length - 1]!) as ContenderResult;
    });
    const result: SuiteResult = { title: suite.title, phases: Object.keys(suite.ops), contenders };
    console.log(formatReport(result));
    for (const phase of result.phases) {
      const values = new Set(contenders.map((c) => c.checks[phase]));
      if (values.size > 1) {
        disagreements++;
        console.error(`check mismatch in "${suite.title}" / ${phase}: ${contenders.map((c) => `${c.name}=${c.checks[phase]}`).join(", ")}`);
      }
    }
  });
  if (disagreements > 0) process.exitCode = 1;
}

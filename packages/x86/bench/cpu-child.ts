// One benchmark program in the emulated CPU, in a process of its own (spawned by cpu-bench.ts):
// `cpu-child.ts <name> <iterations> <reps>` prints one JSON line: the instructions retired,
// the checksum (rax at the int3, hex) and the median wall time of the timed runs in ms.
import { median } from "@nanots/bench-kit";
import { BareMachine } from "../src/cpu/bare-machine.js";
import { Exit, Vector } from "../src/cpu/exit.js";
import { BENCH_DATA, flatCode } from "./cpu-programs.js";

const [name = "", iterationsText = "", repsText = "5"] = process.argv.slice(2);
const code = flatCode(name);
const iterations = Number(iterationsText);

function runOnce(): { instructions: number; checksum: string; ms: number } {
  const machine = new BareMachine();
  machine.load(code);
  machine.map(BENCH_DATA.address, BENCH_DATA.bytes, { write: true });
  machine.cpu.setRegNumber(7, iterations); // rdi
  machine.cpu.setRegNumber(6, BENCH_DATA.address); // rsi
  const start = performance.now();
  const exit = machine.runToExit(Number.MAX_SAFE_INTEGER);
  const ms = performance.now() - start;
  const { cpu } = machine;
  if (exit !== Exit.Fault || cpu.fault.vector !== Vector.BP) {
    const why = exit === Exit.Fault ? `fault vector ${cpu.fault.vector} (${cpu.lastUnimplemented || "no unimplemented mnemonic"})` : `exit ${exit}`;
    throw new Error(`${name}: stopped at rip 0x${cpu.rip.toString(16)} with ${why} instead of its int3`);
  }
  return { instructions: cpu.instructionsRetired, checksum: cpu.getReg(0).toString(16), ms };
}

runOnce(); // warm-up: V8 compiles the handlers
const runs = Array.from({ length: Math.max(1, Number(repsText)) }, runOnce);
process.stdout.write(`${JSON.stringify({ instructions: runs[0]!.instructions, checksum: runs[0]!.checksum, ms: median(runs.map((r) => r.ms)) })}\n`);

// The VM benchmark: each guest benchmark program (integer loop, calls, memory, float,
// syscalls, start-up) natively, under qemu-x86_64 when installed, and booted in nanots, in the
// same run; prints the times, the slowdown ratios, guest instructions per second, and how long
// `nanots run` takes to reach the guest's first instruction. Outputs must match native.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { MemoryBlockBackend } from "@nanots/virtio";
import { boot } from "../src/boot/boot.js";
import { buildImage } from "../src/node/build-image.js";

/** The static guest builds, one folder per C library (guest/README.md). */
const LIBCS = ["musl", "glibc"].filter((libc) => existsSync(guestPath(libc, "")));
function guestPath(libc: string, name: string): string {
  return fileURLToPath(new URL(`../../../guest/bin/${libc}/${name}`, import.meta.url));
}
const QEMU = "/usr/bin/qemu-x86_64";
const quick = process.env.NANOTS_BENCH_REPS === "1";

/**
 * Programs and iteration counts (musl, glibc) chosen, by measuring, so each nanots run takes
 * about a second on the shared 2-core machine. glibc's vectorised memcpy retires a few hundred
 * times more guest instructions per iteration than musl's `rep movsq`, hence its smaller
 * bench-mem count.
 * bench-startup measures start-up alone, so it runs once. NANOTS_BENCH_REPS=1 divides by ten.
 */
const scale = quick ? 10 : 1;
const PROGRAMS: Array<[name: string, musl: number, glibc: number]> = [
  ["bench-int", 15_000_000 / scale, 10_000_000 / scale],
  ["bench-call", 7_000_000 / scale, 5_000_000 / scale],
  ["bench-mem", 30_000 / scale, 700 / scale],
  ["bench-float", 1_250_000 / scale, 1_250_000 / scale],
  ["bench-syscall", 200_000 / scale, 250_000 / scale],
  ["bench-startup", 1, 1],
];

function timeNative(command: string, args: string[]): { ms: number; stdout: string } {
  let best = Infinity;
  let stdout = "";
  for (let k = 0; k < 3; k++) {
    const t = performance.now();
    const r = spawnSync(command, args, { encoding: "utf8" });
    best = Math.min(best, performance.now() - t);
    stdout = r.stdout;
  }
  return { ms: best, stdout };
}

async function timeNanots(program: string, iterations: number) {
  const t0 = performance.now();
  const image = buildImage({ program, args: [String(iterations)] });
  const t1 = performance.now();
  const out: Uint8Array[] = [];
  const vm = boot({ disk: new MemoryBlockBackend(image), stdout: (b) => out.push(b.slice()), stderr: () => {} });
  let firstInstruction = 0;
  // A trace hook that removes itself marks the first guest instruction (compiled blocks resume after).
  vm.machine.cpu.trace = (cpu) => {
    firstInstruction = performance.now();
    cpu.trace = undefined;
  };
  const t2 = performance.now();
  await vm.run();
  const t3 = performance.now();
  return {
    imageMs: t1 - t0,
    toFirstMs: firstInstruction - t0,
    runMs: t3 - t2,
    instructions: vm.machine.cpu.instructionsRetired,
    stdout: Buffer.concat(out).toString("utf8"),
  };
}

const fmt = (n: number): string => (n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : n.toFixed(0));
const hasQemu = existsSync(QEMU);
console.log(`VM benchmark (static musl and glibc guests; native and qemu best of 3, nanots one boot each)${hasQemu ? "" : "; qemu-x86_64 not installed"}`);
console.log(["program", "iterations", "native ms", "qemu ms", "nanots ms", "÷ native", "÷ qemu", "guest MIPS", "output"].join("\t"));
const startups: string[] = [];
let mismatches = 0;
const runs = LIBCS.flatMap((libc) => PROGRAMS.map(([name, musl, glibc]) => ({ libc, name, iterations: libc === "musl" ? musl : glibc })));
for (const { libc, name, iterations } of runs) {
  const program = guestPath(libc, name);
  const native = timeNative(program, [String(iterations)]);
  const qemu = hasQemu ? timeNative(QEMU, [program, String(iterations)]) : undefined;
  const vm = await timeNanots(program, iterations).catch((error: unknown) => {
    console.log(`${name} (${libc})\tFAILED in nanots: ${String(error)}`);
    mismatches++;
    return undefined;
  });
  if (vm === undefined) continue;
  if (name === "bench-startup") {
    startups.push(`${libc}: ${fmt(vm.toFirstMs)} ms (building the image ${fmt(vm.imageMs)} ms, then boot: virtio-blk, TFS mount, manifest, ELF load)`);
  }
  const same = vm.stdout === native.stdout ? "same" : `DIFFERS from native: ${JSON.stringify(vm.stdout.slice(0, 60))}`;
  if (same !== "same") mismatches++;
  console.log(
    [
      `${name} (${libc})`,
      iterations,
      fmt(native.ms),
      qemu ? fmt(qemu.ms) : "-",
      fmt(vm.runMs),
      `${fmt(vm.runMs / native.ms)}x`,
      qemu ? `${fmt(vm.runMs / qemu.ms)}x` : "-",
      fmt(vm.instructions / vm.runMs / 1000),
      same,
    ].join("\t"),
  );
}
for (const line of startups) console.log(`nanots run → first guest instruction, ${line}`);
if (mismatches > 0) {
  console.log(`OUTPUT MISMATCH: ${mismatches} program(s) printed something else in nanots than natively`);
  process.exitCode = 1;
}

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

const GUEST = fileURLToPath(new URL("../../../guest/bin/musl/", import.meta.url));
const QEMU = "/usr/bin/qemu-x86_64";
const quick = process.env.NANOTS_BENCH_REPS === "1";

/** Programs and iteration counts that take nanots roughly a second on an idle 2-core machine. */
const PROGRAMS: Array<[string, number]> = [
  ["bench-int", quick ? 2_000_000 : 10_000_000],
  ["bench-call", quick ? 100_000 : 500_000],
  ["bench-mem", quick ? 200 : 1_000],
  ["bench-float", quick ? 100_000 : 500_000],
  ["bench-syscall", quick ? 5_000 : 20_000],
  ["bench-startup", 1],
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
console.log(`VM benchmark (musl static guests; native and qemu best of 3, nanots one boot each)${hasQemu ? "" : "; qemu-x86_64 not installed"}`);
console.log(["program", "iterations", "native ms", "qemu ms", "nanots ms", "÷ native", "÷ qemu", "guest MIPS", "output"].join("\t"));
let startup: Awaited<ReturnType<typeof timeNanots>> | undefined;
for (const [name, iterations] of PROGRAMS) {
  const program = `${GUEST}${name}`;
  const native = timeNative(program, [String(iterations)]);
  const qemu = hasQemu ? timeNative(QEMU, [program, String(iterations)]) : undefined;
  const vm = await timeNanots(program, iterations);
  if (name === "bench-startup") startup = vm;
  const same = vm.stdout === native.stdout ? "same" : `DIFFERS: ${JSON.stringify(vm.stdout.slice(0, 60))}`;
  console.log(
    [
      name,
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
if (startup !== undefined) {
  console.log(`nanots run → first guest instruction: ${fmt(startup.toFirstMs)} ms (building the image: ${fmt(startup.imageMs)} ms, then boot: mount, manifest, load)`);
}

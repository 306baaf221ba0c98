// One round of whole-machine fuzzing: boot a program, answer random syscalls, then let the
// program run to an end it can have, within a time limit.
import { fileURLToPath } from "node:url";
import { MemoryBlockBackend } from "@nanots/virtio";
import { boot } from "../boot/boot.js";
import { buildImage } from "../node/build-image.js";
import { fuzzSyscalls, type FuzzReport } from "./syscall-fuzzer.js";

const HELLO = fileURLToPath(new URL("../../../../guest/bin/musl/hello", import.meta.url));
const SIGKILL = 9;

/** A round's report: the fuzzer's, and how the program ended afterwards. */
export interface RoundReport extends FuzzReport {
  /** The program's exit status after the calls (they may have made it crash: 128 + signal). */
  status: number;
}

/**
 * Boots guest/bin/musl/hello, makes `calls` random syscalls from `seed`, then runs the program;
 * a program the calls left spinning or waiting is killed after `runLimitMs` (a guest that loops
 * is not a host hang, but the round must end).
 */
export async function fuzzRound(seed: number, calls: number, runLimitMs = 10_000): Promise<RoundReport> {
  const vm = boot({ disk: new MemoryBlockBackend(buildImage({ program: HELLO })), memoryBytes: 64 << 20, stdout: () => {}, stderr: () => {}, random: () => {} });
  const report = fuzzSyscalls(vm, seed, calls);
  const limit = setTimeout(() => vm.machine.terminate(SIGKILL, "fuzz round time limit"), runLimitMs);
  try {
    return { ...report, status: await vm.run() };
  } finally {
    clearTimeout(limit);
  }
}

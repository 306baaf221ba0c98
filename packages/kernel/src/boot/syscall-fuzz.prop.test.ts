// Hostile system calls against a booted machine: random numbers and arguments (pointers into
// and outside guest memory, huge and negative values) must only ever produce a number, never
// throw or hang, and leave a machine that still runs its program to an end a program can have.
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { MemoryBlockBackend } from "@nanots/virtio";
import { describe, expect, it } from "vitest";
import { buildImage } from "../node/build-image.js";
import { boot } from "./boot.js";

const HELLO = fileURLToPath(new URL("../../../../guest/bin/musl/hello", import.meta.url));
/** Calls that end or replace the process, which the fuzzer leaves to other tests. */
const SKIP = new Set([60, 231, 59, 322, 57, 58]); // exit, exit_group, execve, execveat, fork, vfork

const argument = fc.oneof(
  fc.integer({ min: -16, max: 4096 }),
  fc.constantFrom(0x400000, 0x401000, 0xfffff000, 0x100000000, 2 ** 47 - 8, 2 ** 47, -1, 2 ** 53 - 1, -(2 ** 53)),
  fc.integer({ min: 0, max: 2 ** 48 }),
);

describe("syscall fuzzing of a booted machine", () => {
  it("answers every random call with a number and still runs the program correctly", async () => {
    const vm = boot({ disk: new MemoryBlockBackend(buildImage({ program: HELLO })), memoryBytes: 64 << 20, stdout: () => {}, stderr: () => {} });
    const m = vm.machine;
    fc.assert(
      fc.property(fc.integer({ min: -5, max: 460 }), fc.array(argument, { minLength: 6, maxLength: 6 }), (nr, args) => {
        if (SKIP.has(nr)) return;
        const r = m.syscalls(nr, args, m);
        expect(Number.isInteger(r)).toBe(true);
        // A call that blocked the thread (a futex wait, a sleep) is undone for the next one.
        m.scheduler.restartPending = false;
        for (const t of m.scheduler.threads) {
          t.state = 0;
          t.wait = undefined;
        }
      }),
      { numRuns: 3000 },
    );
    // The calls may have unmapped its code or closed its stdout; it still ends as a program
    // ends (its exit status, or a crash), not with an exception in the host.
    const status = await vm.run();
    expect([3, 139]).toContain(status);
  }, 120_000);
});

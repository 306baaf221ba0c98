// The sys-* guest programs (guest/src/sys-*.c): each checks the Linux semantics and error
// returns of a group of syscalls and prints one line per check. Natively the checks prove the
// expectations are Linux's; in the VM the output and exit status must be identical. Every
// program is found by name, so a new guest/src/sys-<area>.c is tested once it is built.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MemoryBlockBackend } from "@nanots/virtio";
import { NANOS_PUBLISHED_SUPPORTED, syscallName, type TraceEvent } from "@nanots/syscalls";
import { describe, expect, it } from "vitest";
import { GUEST_DIR } from "../elf/guest-binaries.js";
import { buildImage } from "../node/build-image.js";
import { boot } from "./boot.js";

const programs = readdirSync(`${GUEST_DIR}bin/musl`).filter((name) => name.startsWith("sys-")).sort();
/** Every syscall the programs made in the VM, and those that returned an error at least once. */
const called = new Set<string>();
const failed = new Set<string>();

/** Calls that have no error return in Linux (sched_yield, getpid…). */
const NEVER_FAIL = new Set(["brk", "sched_yield", "getpid", "gettid", "sync", "umask", "exit", "exit_group", "pause", "alarm", "rt_sigreturn", "set_tid_address", "time", "times"]);

async function runInVm(program: string, name: string) {
  const out: Uint8Array[] = [];
  const err: Uint8Array[] = [];
  const trace: TraceEvent[] = [];
  const vm = boot({
    disk: new MemoryBlockBackend(buildImage({ program, guestPath: `/${name}`, args: ["/tmp"] })),
    memoryBytes: 128 << 20,
    stdout: (b) => out.push(b.slice()),
    stderr: (b) => err.push(b.slice()),
    trace: (event) => trace.push(event),
  });
  const status = await vm.run();
  const text = (chunks: Uint8Array[]) => Buffer.concat(chunks).toString("utf8");
  return { status, stdout: text(out), stderr: text(err), trace };
}

function runNative(program: string, name: string) {
  const scratch = mkdtempSync(join(tmpdir(), `nanots-${name}-`));
  try {
    const r = spawnSync(program, [scratch], { encoding: "utf8", env: {}, argv0: `/${name}`, timeout: 60_000 });
    return { status: r.status ?? 128, stdout: r.stdout, stderr: r.stderr };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

describe("syscall semantics: guest programs natively and in the VM", () => {
  it("finds the sys-* programs", () => {
    expect(programs.length).toBeGreaterThan(0);
  });

  for (const libc of ["musl", "glibc"]) {
    for (const name of programs) {
      it(`${libc}/${name}: identical checks, output and status`, async () => {
        const program = `${GUEST_DIR}bin/${libc}/${name}`;
        const host = runNative(program, name);
        // The program's own expectations hold on Linux…
        expect(host.stdout).not.toMatch(/^FAIL/m);
        expect(host.status).toBe(0);
        // …and the VM prints the same lines.
        const vm = await runInVm(program, name);
        expect(vm.stdout).toBe(host.stdout);
        expect(vm.stderr).toBe(host.stderr);
        expect(vm.status).toBe(host.status);
        // `-d` names and decodes every call these programs make.
        for (const event of vm.trace) {
          expect(event.text).not.toMatch(/^syscall_\d+\(/);
          called.add(syscallName(event.nr));
          if (event.result !== undefined && event.result < 0 && event.result >= -4095) failed.add(syscallName(event.nr));
        }
      }, 180_000);
    }
  }

  // After all the programs ran (vitest runs a file's tests in order): the supported list is
  // covered, each call with a success and an error return seen in the VM.
  it("exercises every syscall of Nanos's published supported list, and an error return of each", () => {
    const supported = [...NANOS_PUBLISHED_SUPPORTED];
    expect(supported.filter((name) => !called.has(name)), "never called").toEqual([]);
    expect(supported.filter((name) => !failed.has(name) && !NEVER_FAIL.has(name)), "never failed").toEqual([]);
  });
});

// The CPU benchmark programs (bench/programs) are checked here too, with few iterations: their
// committed binaries are fresh, and the emulated CPU computes the same checksum as the host.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BareMachine } from "../../src/cpu/bare-machine.js";
import { Exit, Vector } from "../../src/cpu/exit.js";
import { BENCH_DATA, BENCH_PROGRAMS_DIR, CPU_BENCH_PROGRAMS, flatCode, programPath } from "../../bench/cpu-programs.js";
import { expectFreshBuild } from "./fresh-build.js";

const ITERATIONS = 50;

describe.each(CPU_BENCH_PROGRAMS.map((p) => p.name))("benchmark program %s", (name) => {
  const out = mkdtempSync(join(tmpdir(), "x86-bench-programs-"));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it("has fresh committed binaries", () => expectFreshBuild(BENCH_PROGRAMS_DIR, name, out));

  it(`computes the host's checksum in ${ITERATIONS} iterations`, () => {
    const machine = new BareMachine({ memoryBytes: 8 << 20 });
    machine.load(flatCode(name));
    machine.map(BENCH_DATA.address, BENCH_DATA.bytes, { write: true });
    machine.cpu.setRegNumber(7, ITERATIONS);
    machine.cpu.setRegNumber(6, BENCH_DATA.address);
    const exit = machine.runToExit(100_000_000);
    expect(exit === Exit.Fault && machine.cpu.fault.vector === Vector.BP, `${name} did not reach its int3`).toBe(true);

    const native = spawnSync(programPath(name, ".elf"), [String(ITERATIONS)]);
    expect(native.error, "the native run needs an x86-64 Linux host").toBeUndefined();
    expect(native.status).toBe(0);
    expect(native.stdout.length).toBe(16);
    expect(machine.cpu.getReg(0).toString(16)).toBe(native.stdout.readBigUInt64LE(0).toString(16));
  });
});

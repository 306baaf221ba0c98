import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GUEST_DIR, guestBinaries } from "./guest-binaries.js";

// The guest programs run natively here: their exit codes and output are what a run inside
// nanots must reproduce, so they must be deterministic and agree between musl and glibc.

const run = (flavour: string, prog: string, args: string[] = [], env: Record<string, string> = {}) => {
  const result = spawnSync(`${GUEST_DIR}bin/${flavour}/${prog}`, args, { env, encoding: "utf8", timeout: 10_000 });
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
};

const sources = readdirSync(`${GUEST_DIR}src`)
  .filter((f) => f.endsWith(".c"))
  .map((f) => f.slice(0, -2))
  .sort();

describe("guest binaries", () => {
  it("every source has a musl and a glibc static build, plus the dynamic and static-PIE ones", () => {
    const names = guestBinaries().map((b) => b.name);
    expect(names).toEqual([
      ...sources.map((s) => `musl/${s}`),
      ...sources.map((s) => `glibc/${s}`),
      "glibc-dynamic/hello",
      "glibc-static-pie/auxv",
      "glibc-static-pie/hello",
    ]);
  });

  it("check-native.sh reports every binary's native exit code", { timeout: 150_000 }, () => {
    const result = spawnSync(`${GUEST_DIR}check-native.sh`, { encoding: "utf8", timeout: 120_000 });
    expect(result.status).toBe(0);
    const codes = new Map(result.stdout.trim().split("\n").map((line) => {
      const m = /^bin\/(\S+) exit (\d+)$/.exec(line);
      expect(m, line).not.toBeNull();
      return [m![1]!, Number(m![2])] as const;
    }));
    expect([...codes.keys()].sort()).toEqual(guestBinaries().map((b) => b.name).sort());
    for (const [name, code] of codes) {
      const prog = name.split("/")[1];
      expect(code, name).toBe(prog === "hello" ? 3 : prog === "segv" ? 139 : 0);
    }
  });

  for (const flavour of ["musl", "glibc", "glibc-dynamic", "glibc-static-pie"]) {
    it(`${flavour}/hello writes both streams and exits with 3`, () => {
      expect(run(flavour, "hello")).toEqual({ status: 3, signal: null, stdout: "hello from a nanots guest\n", stderr: "hello on stderr\n" });
    });
  }

  for (const flavour of ["musl", "glibc"]) {
    it(`${flavour}/segv dies of SIGSEGV after saying so`, () => {
      const r = run(flavour, "segv");
      expect(r.signal).toBe("SIGSEGV");
      expect(r.stdout).toBe("writing to NULL: this process must be killed by SIGSEGV\n");
    });

    it(`${flavour}/unsupported gets ENOSYS for made-up and unimplemented syscalls`, () => {
      const r = run(flavour, "unsupported");
      expect(r.status).toBe(0);
      expect(r.stdout.match(/= -1 errno 38 \(/g)).toHaveLength(5);
      expect(r.stdout).toContain("syscall 184 (tuxcall) = -1 errno 38");
    });

    it(`${flavour}/args echoes arguments and NANOTS_ variables only`, () => {
      const r = run(flavour, "args", ["one", "two words", ""], { NANOTS_MODE: "test", OTHER: "x", NANOTS_B: "2" });
      expect(r.status).toBe(0);
      expect(r.stdout.split("\n")).toEqual([
        "argc=4",
        `argv[0]="${GUEST_DIR}bin/${flavour}/args" (${`${GUEST_DIR}bin/${flavour}/args`.length} bytes)`,
        'argv[1]="one" (3 bytes)',
        'argv[2]="two words" (9 bytes)',
        'argv[3]="" (0 bytes)',
        "argv[argc]=NULL",
        "env NANOTS_MODE=test",
        "env NANOTS_B=2",
        "getenv(NANOTS_MODE) set",
        "getenv(HOME) unset",
        "getenv(PATH) unset",
        "",
      ]);
    });

    it(`${flavour}/write passes every step in a scratch directory and cleans up`, () => {
      const dir = mkdtempSync(join(tmpdir(), "nanots-guest-"));
      try {
        const r = run(flavour, "write", [dir]);
        expect(r.stdout).toContain("all ok (0 failed)");
        expect(r.status).toBe(0);
        expect(readdirSync(dir)).toEqual([]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it(`${flavour}/files lists guest/src with sizes and checksums`, () => {
      const r = run(flavour, "files", [`${GUEST_DIR}src`]);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain(`(${readdirSync(`${GUEST_DIR}src`).length} entries)`);
      expect(r.stdout).toMatch(/ {2}file hello\.c size \d+ fnv1a [0-9a-f]{16}\n/);
      expect(run(flavour, "files", ["/nonexistent/path"]).status).toBe(1);
    });
  }

  it("malloc and the benchmark programs print the same results under musl and glibc", () => {
    const programs: [string, string[]][] = [
      ["malloc", []],
      ["bench-int", ["5000"]],
      ["bench-call", ["5000"]],
      ["bench-mem", ["50"]],
      ["bench-float", ["5000"]],
      ["bench-syscall", ["500"]],
    ];
    for (const [prog, args] of programs) {
      const musl = run("musl", prog, args);
      expect(musl.status, prog).toBe(0);
      expect(musl.stdout.length, prog).toBeGreaterThan(10);
      expect(run("glibc", prog, args).stdout, prog).toBe(musl.stdout);
    }
    expect(run("musl", "malloc").stdout).toContain("corrupted 0");
    expect(run("musl", "bench-startup", ["1"])).toMatchObject({ status: 0, stdout: "" });
  });

  it("floats prints the same decimal conversions under musl and glibc (only %a spellings differ)", () => {
    const decimal = (text: string) =>
      text
        .split("\n")
        .filter((line) => !line.startsWith("ldouble"))
        .map((line) => line.replace(/%a=\S+ /, "").replace(/ -?0x[0-9a-f.]+p[-+]\d+/g, ""));
    const musl = run("musl", "floats");
    const glibc = run("glibc", "floats");
    expect(musl.status).toBe(0);
    expect(glibc.status).toBe(0);
    expect(decimal(glibc.stdout)).toEqual(decimal(musl.stdout));
    expect(musl.stdout).toContain("round trips mismatched 0");
    expect(musl.stdout).toContain("ties 0 2 2 -2 0.2 0.3 1.00");
  });
});

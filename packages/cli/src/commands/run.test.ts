import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../test-io.js";

const GUEST = fileURLToPath(new URL("../../../../guest/bin/", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "nanots-run-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(argv: string[], stdin = new Uint8Array(0)) {
  return runCli(argv, { stdin, cwd: work });
}

describe("nanots run", () => {
  it("boots a static program and exits with its exit code", async () => {
    const r = await run(["run", `${GUEST}musl/hello`]);
    expect(r.stdout).toBe("hello from a nanots guest\n");
    expect(r.stderr).toBe("hello on stderr\n");
    expect(r.code).toBe(3);
  });

  it("gives the program our standard input on fd 0", async () => {
    const r = await run(["run", `${GUEST}musl/cat`], new TextEncoder().encode("some input\nsecond line\n".repeat(20)));
    expect(r.stdout).toBe("some input\nsecond line\n".repeat(20));
    expect(r.code).toBe(0);
    expect((await run(["run", `${GUEST}musl/cat`])).code).toBe(1);
  });

  it("passes arguments and -e environment variables", async () => {
    const r = await run(["run", "-e", "NANOTS_MODE=test", `${GUEST}musl/args`, "-v", "two words"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('argv[0]="/args"');
    expect(r.stdout).toContain('argv[1]="-v" (2 bytes)');
    expect(r.stdout).toContain('argv[2]="two words" (9 bytes)');
    expect(r.stdout).toContain("env NANOTS_MODE=test");
  });

  it("runs a dynamically linked program with its interpreter and libraries from the host", async () => {
    const r = await run(["run", `${GUEST}glibc-dynamic/hello`]);
    expect(r.stdout).toBe("hello from a nanots guest\n");
    expect(r.code).toBe(3);
  });

  it("copies --mount directories into the image and logs syscalls with -d", async () => {
    mkdirSync(join(work, "data"));
    writeFileSync(join(work, "data", "greeting.txt"), "hi there\n");
    const r = await run(["run", "-d", "--mount", "data:/data", `${GUEST}musl/files`, "/data/greeting.txt"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("/data/greeting.txt");
    expect(r.stderr).toMatch(/^open(at)?\(.*"\/data\/greeting.txt"/m);
    expect(r.stderr).toMatch(/^exit_group\(0\)/m);
  });

  it("reports a crash with the faulting address and exits 128 + signal", async () => {
    const r = await run(["run", `${GUEST}musl/segv`]);
    expect(r.code).toBe(139);
    expect(r.stderr).toMatch(/nanots run: the program died: segmentation fault at address 0x0/);
  });

  for (const [what, make, message] of [
    ["a file that is not ELF", () => writeFileSync(join(work, "text"), "just text\n"), /not an ELF file/],
    ["a 32-bit ELF", () => writeFileSync(join(work, "text"), Uint8Array.of(0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0)), /32-bit ELF; nanots runs x86-64 programs only/],
    ["a truncated ELF", () => writeFileSync(join(work, "text"), Uint8Array.of(0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0)), /truncated/],
  ] as const) {
    it(`gives one clear line and exit 1 for ${what}`, async () => {
      make();
      const r = await run(["run", "text"]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    });
  }

  it("gives one clear line for a missing program and for an image that is not TFS", async () => {
    const missing = await run(["run", "no-such-program"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe("nanots run: no-such-program: no such file\n");
    writeFileSync(join(work, "bad.img"), new Uint8Array(8192));
    const bad = await run(["run", "--image", "bad.img"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^nanots run: the disk image is not a TFS filesystem/);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
  });
});

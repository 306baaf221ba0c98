// Checks that a program's committed flat and ELF forms are what build.sh makes of its source now.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";

function tool(command: string, args: string[], cwd: string): void {
  const run = spawnSync(command, args, { cwd, encoding: "utf8" });
  expect(run.error, `${command} is needed to check the committed binaries`).toBeUndefined();
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
}

/** Assembles `dir/name.asm` into `out` as build.sh does and compares with the committed files. */
export function expectFreshBuild(dir: string, name: string, out: string): void {
  tool("nasm", ["-f", "bin", "-o", join(out, `${name}.bin`), `${name}.asm`], dir);
  tool("nasm", ["-f", "elf64", "-DELF", "-o", join(out, `${name}.o`), `${name}.asm`], dir);
  tool("ld", ["-static", "-o", join(out, `${name}.elf`), join(out, `${name}.o`)], dir);
  for (const form of [".bin", ".elf"]) {
    const fresh = readFileSync(join(out, `${name}${form}`));
    expect(Buffer.compare(fresh, readFileSync(join(dir, `${name}${form}`))), `${name}${form} is stale: run build.sh in ${dir}`).toBe(0);
  }
}

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const FIXTURES = process.env.NANOTS_SHARED !== undefined ? join(process.env.NANOTS_SHARED, "fixtures", "tfs") : fileURLToPath(new URL("../../../../shared/fixtures/tfs/", import.meta.url));
const PACKAGE = fileURLToPath(new URL("..", import.meta.url));

it("the nanots executable runs dump and returns its exit codes", () => {
  const exec = (args: string[]): ReturnType<typeof spawnSync> =>
    spawnSync(process.execPath, ["--conditions=@nanots/source", "--import", "tsx", "src/bin.ts", ...args], { cwd: PACKAGE, encoding: "utf8" });
  const ok = exec(["dump", join(FIXTURES, "v4", "v4.img")]);
  expect(ok.status).toBe(0);
  expect(ok.stdout).toBe(readFileSync(join(FIXTURES, "v4", "dump.txt"), "utf8"));
  const bad = exec(["dump"]);
  expect(bad.status).toBe(1);
  expect(bad.stderr).toContain("usage: nanots dump");
});

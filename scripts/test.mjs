#!/usr/bin/env node
// `npm test`: every package's tests in one vitest run, closing with one plain summary line
// ("N passed, N failed") that CI tooling reads. Extra arguments go to vitest.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const dir = mkdtempSync(join(tmpdir(), "nanots-test-"));
const report = join(dir, "report.json");
const run = spawnSync(
  process.execPath,
  ["node_modules/vitest/vitest.mjs", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { stdio: "inherit" },
);
let status = run.status ?? 1;
try {
  const { numPassedTests, numFailedTests, numPendingTests, numTotalTests } = JSON.parse(readFileSync(report, "utf8"));
  if (numTotalTests === 0) {
    console.error("no test ran");
    status = 1;
  }
  console.log(`\ntests: ${numPassedTests} passed, ${numFailedTests} failed${numPendingTests ? `, ${numPendingTests} skipped` : ""}`);
} catch {
  console.error("vitest wrote no report");
  status ||= 1;
}
rmSync(dir, { recursive: true, force: true });
process.exit(status);

// The replay test of one fixture file: every case whose mnemonics are all allow-listed must match
// the host CPU; the others are replayed and reported. One test file per fixture lets vitest run
// the fixtures in parallel.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { decodeFixture } from "../../diff/case-format.js";
import { describeFailure } from "../../diff/replay.js";
import { replayAll, type ReplaySummary } from "../../diff/replay-summary.js";
import { ALLOWED_MNEMONICS } from "./allow-list.js";

/** Declares the replay tests of `test/diff/<file>`. */
export function replaySuite(file: string): void {
  describe(`differential replay of ${file} against the host CPU`, () => {
    let summary: ReplaySummary;
    beforeAll(() => {
      const { records } = decodeFixture(readFileSync(new URL(file, import.meta.url)));
      summary = replayAll(records);
    }, 180_000);

    it("matches the host CPU on every case made only of allow-listed mnemonics", () => {
      const required = summary.failures.filter((f) => f.mnemonics.every((m) => ALLOWED_MNEMONICS.has(m)));
      const shown = required.slice(0, 8).map((f) => describeFailure(f.record, f.diffs));
      expect(shown.join("\n\n"), `${required.length} allow-listed cases differ`).toBe("");
    });

    it("reports what still fails (for the CPU's authors)", () => {
      const failing = [...summary.byMnemonic]
        .filter(([, t]) => t.failed > 0)
        .map(([m, t]) => `${m} ${t.failed}/${t.cases}`)
        .sort();
      console.log(`${file}: ${summary.cases} cases, ${summary.passed} pass; not yet passing everywhere (failed/cases): ${failing.join(", ") || "none"}`);
      expect(summary.cases).toBeGreaterThan(0);
    });
  });
}

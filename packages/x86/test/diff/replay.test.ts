// Replays every captured case (test/diff/*.bin.gz, made by diff/capture.ts on an x86-64 host)
// in the emulated CPU and compares registers, flags (minus the undefined ones), MXCSR, XMM,
// memory and faults with what the host CPU did.
import { describe, expect, it } from "vitest";
import { describeFailure } from "../../diff/replay.js";
import { replayAll } from "../../diff/replay-summary.js";
import { ALLOWED_MNEMONICS } from "./allow-list.js";
import { FIXTURE_FILES, loadRecords } from "./fixtures.js";

const records = loadRecords();
const summary = replayAll(records);

describe("differential replay against the host CPU", () => {
  it("has hundreds of thousands of captured cases", () => {
    const covered = [...summary.byMnemonic.keys()].sort();
    console.log(`${summary.cases} cases from ${FIXTURE_FILES.join(", ")}; ${summary.passed} pass; ${covered.length} mnemonics covered: ${covered.join(" ")}`);
    expect(summary.cases).toBeGreaterThan(200_000);
  });

  it("matches the host CPU on every case made only of allow-listed mnemonics", () => {
    const required = summary.failures.filter((f) => f.mnemonics.every((m) => ALLOWED_MNEMONICS.has(m)));
    const shown = required.slice(0, 8).map((f) => describeFailure(f.record, f.diffs));
    expect(shown.join("\n\n"), `${required.length} allow-listed cases differ`).toBe("");
  });

  it("allow-lists only mnemonics the fixtures cover", () => {
    expect([...ALLOWED_MNEMONICS].filter((m) => !summary.byMnemonic.has(m))).toEqual([]);
  });

  it("reports the mnemonics that still fail (for the CPU's authors)", () => {
    const failing = [...summary.byMnemonic]
      .filter(([, t]) => t.failed > 0)
      .map(([m, t]) => `${m} ${t.failed}/${t.cases}`)
      .sort();
    console.log(`not yet passing in every case (failed/cases): ${failing.join(", ") || "none"}`);
    const listedButFailing = failing.filter((line) => ALLOWED_MNEMONICS.has(line.split(" ")[0]!));
    // An allow-listed mnemonic can only appear here through cases shared with unlisted ones.
    expect(listedButFailing.every((line) => summary.failures.some((f) => f.mnemonics.includes(line.split(" ")[0]!) && f.mnemonics.some((m) => !ALLOWED_MNEMONICS.has(m))))).toBe(true);
  });
});

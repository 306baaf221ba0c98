// Replays the committed fixtures (or the ones named) and prints, per mnemonic, how many cases
// pass, with an example failure for each failing mnemonic.
//
//   node --conditions=@nanots/source --import tsx packages/x86/diff/report.ts [fixture.bin.gz ...]
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { decodeFixture } from "./case-format.js";
import { describeFailure } from "./replay.js";
import { replayAll } from "./replay-summary.js";

const dir = fileURLToPath(new URL("../test/diff/", import.meta.url));
const files = process.argv.slice(2).length > 0 ? process.argv.slice(2) : readdirSync(dir).filter((f) => f.endsWith(".bin.gz")).map((f) => dir + f);
const records = files.flatMap((f) => decodeFixture(readFileSync(f)).records);
const started = performance.now();
const summary = replayAll(records, 100_000);
const seconds = (performance.now() - started) / 1000;
console.log(`${summary.cases} cases, ${summary.passed} passed, ${summary.cases - summary.passed} failed in ${seconds.toFixed(1)} s`);
const rows = [...summary.byMnemonic].sort((a, b) => b[1].failed / b[1].cases - a[1].failed / a[1].cases || a[0].localeCompare(b[0]));
for (const [m, t] of rows) {
  console.log(`${m.padEnd(12)} ${String(t.cases).padStart(7)} cases ${String(t.failed).padStart(7)} failed   alone: ${t.solo} cases ${t.soloFailed} failed`);
}
const shown = new Set<string>();
for (const f of summary.failures) {
  if (f.record.starts.length !== 1 || shown.has(f.mnemonics[0]!)) continue;
  shown.add(f.mnemonics[0]!);
  console.log(`\n${describeFailure(f.record, f.diffs)}`);
}

// Which mnemonics could join the allow-list: those not listed yet, dropping the one in the most
// failing cases until no case made only of listed and candidate mnemonics fails.
const { ALLOWED_MNEMONICS } = await import("../test/diff/allow-list.js");
const candidates = new Set([...summary.byMnemonic.keys()].filter((m) => !ALLOWED_MNEMONICS.has(m)));
for (;;) {
  const blame = new Map<string, number>();
  for (const f of summary.failures) {
    if (!f.mnemonics.every((m) => ALLOWED_MNEMONICS.has(m) || candidates.has(m))) continue;
    for (const m of f.mnemonics) if (candidates.has(m)) blame.set(m, (blame.get(m) ?? 0) + 1 / f.mnemonics.length);
  }
  if (blame.size === 0) break;
  candidates.delete([...blame].sort((a, b) => b[1] - a[1])[0]![0]);
}
const broken = summary.failures.filter((f) => f.mnemonics.every((m) => ALLOWED_MNEMONICS.has(m))).length;
console.log(`\nallow-list: ${ALLOWED_MNEMONICS.size} mnemonics, ${broken} of their cases fail; can be added now: ${[...candidates].sort().join(" ") || "none"}`);

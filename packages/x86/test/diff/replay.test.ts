// What the committed differential fixtures cover, as a whole (each is replayed by its own
// replay-<name>.test.ts).
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { caseMnemonics } from "../../diff/replay.js";
import { ALLOWED_MNEMONICS } from "./allow-list.js";
import { FIXTURE_FILES, loadRecords } from "./fixtures.js";

const records = loadRecords();
const covered = new Set(records.flatMap((r) => caseMnemonics(r)));

describe("differential fixtures", () => {
  it("hold hundreds of thousands of cases, each replayed by its own test file", () => {
    console.log(`${records.length} cases in ${FIXTURE_FILES.join(", ")}; ${covered.size} mnemonics covered: ${[...covered].sort().join(" ")}`);
    expect(records.length).toBeGreaterThan(200_000);
    const missing = FIXTURE_FILES.map((f) => `replay-${f.replace(".bin.gz", "")}.test.ts`).filter((t) => !existsSync(new URL(t, import.meta.url)));
    expect(missing, "fixtures without a replay test file").toEqual([]);
  });

  it("allow-list only mnemonics the fixtures cover", () => {
    expect([...ALLOWED_MNEMONICS].filter((m) => !covered.has(m))).toEqual([]);
  });
});

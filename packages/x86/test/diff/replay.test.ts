// What the committed differential fixtures cover, as a whole (each is replayed by its own
// replay-<name>.test.ts).
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CaseGenerator } from "../../diff/generator.js";
import type { InstructionClass } from "../../diff/instruction-classes.js";
import { loadOpcodeForms } from "../../diff/opcode-forms.js";
import { caseMnemonics } from "../../diff/replay.js";
import { ALLOWED_MNEMONICS } from "./allow-list.js";
import { FIXTURE_FILES, loadFixtures } from "./fixtures.js";

const fixtures = loadFixtures();
const records = fixtures.flatMap((f) => f.records);
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

  it("are regenerable: the current generator gives the same inputs from each fixture's seeds", () => {
    const forms = loadOpcodeForms();
    for (const { file, header, records: recs } of fixtures) {
      const { classes, mxcsrVariety, maxInstructions } = header.meta as { classes: InstructionClass[]; mxcsrVariety?: boolean; maxInstructions?: number };
      const generator = new CaseGenerator(forms, { classes, mxcsrVariety: mxcsrVariety ?? false, maxInstructions: maxInstructions ?? 4 });
      for (const r of recs.slice(0, 300)) {
        const { seed, code, starts, regPatches, memPatches, undefinedFlags, undefinedRegBytes, undefinedFsw } = r;
        const expected = { seed, code, starts, regPatches, memPatches, undefinedFlags, undefinedRegBytes, ...(undefinedFsw ? { undefinedFsw } : {}) };
        expect(generator.generate(seed), `${file} seed ${seed}`).toEqual(expected);
      }
    }
  });
});

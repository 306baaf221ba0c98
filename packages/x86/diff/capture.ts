// Generates cases, runs them on the host CPU and writes a fixture for test/diff.
//
//   node --import tsx packages/x86/diff/capture.ts --name integer --seed 1 --count 100000
//        [--classes integer,bmi] [--max-instructions 4] [--mxcsr-variety]
//
// Deterministic from the seed: the same arguments on the same CPU model give the same file.
import { existsSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { encodeFixture, type CaseRecord } from "./case-format.js";
import { CaseGenerator, initialState, type GeneratedCase } from "./generator.js";
import type { MachineState } from "./initial-state.js";
import type { InstructionClass } from "./instruction-classes.js";
import { runNative } from "./native-harness.js";
import { loadOpcodeForms } from "./opcode-forms.js";

const { values } = parseArgs({
  options: {
    name: { type: "string" },
    seed: { type: "string", default: "1" },
    count: { type: "string", default: "10000" },
    classes: { type: "string", default: "integer,bmi" },
    "max-instructions": { type: "string", default: "4" },
    "mxcsr-variety": { type: "boolean", default: false },
  },
});
if (!values.name) throw new Error("--name is required (the fixture is test/diff/<name>.bin.gz)");
const harness = fileURLToPath(new URL("./.build/harness", import.meta.url));
if (!existsSync(harness)) throw new Error(`no harness at ${harness}: run packages/x86/diff/build.sh first`);

const classes = values.classes.split(",") as InstructionClass[];
const firstSeed = Number(values.seed);
const count = Number(values.count);
const options = { classes, maxInstructions: Number(values["max-instructions"]), mxcsrVariety: values["mxcsr-variety"] };
const generator = new CaseGenerator(loadOpcodeForms(), options);
const records: CaseRecord[] = [];
const unusable = new Map<string, number>();
const BATCH = 2000;
for (let start = 0; start < count; start += BATCH) {
  const batch: Array<{ c: GeneratedCase; state: MachineState }> = [];
  for (let i = start; i < Math.min(count, start + BATCH); i++) {
    const c = generator.generate((firstSeed + i) >>> 0);
    batch.push({ c, state: initialState(c) });
  }
  runNative(harness, batch).forEach((outcome, i) => {
    const { c } = batch[i]!;
    if (typeof outcome === "string") {
      unusable.set(outcome, (unusable.get(outcome) ?? 0) + 1);
      return;
    }
    records.push({ ...c, outcome });
  });
  process.stderr.write(`\r${Math.min(count, start + BATCH)}/${count} cases`);
}
process.stderr.write("\n");
const meta = {
  ...options,
  firstSeed,
  count,
  host: cpus()[0]?.model ?? "unknown",
};
const file = encodeFixture({ meta }, records);
const out = fileURLToPath(new URL(`../test/diff/${values.name}.bin.gz`, import.meta.url));
writeFileSync(out, file);
console.log(`${out}: ${records.length} cases, ${(file.length / 1024).toFixed(0)} KiB`);
if (unusable.size > 0) console.log("left out:", Object.fromEntries(unusable));
const never = generator.forms.filter((f) => !generator.built.has(f.line)).map((f) => `${f.line}:${f.mnemonics[1]}`);
if (never.length > 0) console.log(`forms never generated (${never.length}): ${never.join(" ")}`);

// Prints corpus agreement with objdump per fixture. Usage: npx tsx scripts/corpus-report.ts [name...] [--keep=N]
import { readdirSync } from "node:fs";
import { checkCorpus } from "../test/corpus-check.js";

const keepArg = process.argv.find((a) => a.startsWith("--keep="));
const keep = keepArg ? Number(keepArg.slice(7)) : 30;
const names = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const all = readdirSync(new URL("../test/corpus/", import.meta.url)).filter((f) => f.endsWith(".txt.gz")).map((f) => f.slice(0, -7));
for (const name of names.length ? names : all) {
  const r = checkCorpus(name, keep);
  const compared = r.instructions - r.excluded;
  const ok = compared - r.boundaryMismatches - r.textMismatches;
  console.log(`${name}: ${r.instructions} instructions (${r.excluded} AVX-512 excluded), boundary mismatches ${r.boundaryMismatches}, text mismatches ${r.textMismatches}, agreement ${((100 * ok) / compared).toFixed(3)}%`);
  for (const e of r.examples) console.log("  " + e);
}

// Random-window differential check against iced-x86: same validity, same length where valid.
// Usage: npx tsx scripts/iced-diff.ts [windows=1000000] [seed=1] [bits=64|32]
import { compareWithIced } from "../test/iced-oracle.js";

const count = Number(process.argv[2] ?? 1_000_000);
const seed = Number(process.argv[3] ?? 1);
const report = compareWithIced(count, seed, 20, process.argv[4] === "32" ? 32 : 64);
console.log(JSON.stringify({ ...report, examples: undefined }, null, 1));
for (const e of report.examples) console.log(e);

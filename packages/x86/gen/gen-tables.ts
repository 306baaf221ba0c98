// Reads data/opcodes.txt (the single source of truth) and writes src/decoder/generated/tables.ts.
// Run: npx tsx gen/gen-tables.ts        Check only: npx tsx gen/gen-tables.ts --check
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { buildTables } from "./build-tables.js";

const dataPath = fileURLToPath(new URL("../data/opcodes.txt", import.meta.url));
const outPath = fileURLToPath(new URL("../src/decoder/generated/tables.ts", import.meta.url));
const text = buildTables(readFileSync(dataPath, "utf8"));
if (process.argv.includes("--check")) {
  if (readFileSync(outPath, "utf8") !== text) {
    console.error("src/decoder/generated/tables.ts is stale: run npx tsx gen/gen-tables.ts");
    process.exit(1);
  }
} else {
  writeFileSync(outPath, text);
}

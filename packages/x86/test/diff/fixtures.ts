// Loads the committed differential fixtures (test/diff/*.bin.gz) once per test file.
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { decodeFixture, type CaseRecord } from "../../diff/case-format.js";

const dir = fileURLToPath(new URL(".", import.meta.url));

/** Fixture file names, sorted. */
export const FIXTURE_FILES = readdirSync(dir).filter((f) => f.endsWith(".bin.gz")).sort();

/** Each fixture file's header and records. */
export function loadFixtures(): Array<{ file: string } & ReturnType<typeof decodeFixture>> {
  return FIXTURE_FILES.map((file) => ({ file, ...decodeFixture(readFileSync(dir + file)) }));
}

/** Every record of every fixture. */
export function loadRecords(): CaseRecord[] {
  return FIXTURE_FILES.flatMap((f) => decodeFixture(readFileSync(dir + f)).records);
}

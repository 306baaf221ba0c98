// Test support: locating and loading the Nanos-made fixture images in ../shared/fixtures/tfs.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

/** The fixture directory: $NANOTS_SHARED/fixtures/tfs, else ../shared beside the checkout. */
export function fixturesDir(): string {
  const shared = process.env.NANOTS_SHARED;
  const dir = shared !== undefined ? join(shared, "fixtures", "tfs") : fileURLToPath(new URL("../../../../../shared/fixtures/tfs/", import.meta.url));
  if (!existsSync(dir)) {
    throw new Error(`TFS fixtures not found at ${dir}: put the shared folder beside the checkout or set NANOTS_SHARED`);
  }
  return dir;
}

/** Names of every fixture (one directory each). */
export function fixtureNames(): string[] {
  return readdirSync(fixturesDir(), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/** Path of a file of a fixture. */
export function fixturePath(name: string, file: string): string {
  return join(fixturesDir(), name, file);
}

/** A fixture file's bytes, transparently gunzipping `file.gz` when only that exists. */
export function fixtureBytes(name: string, file: string): Buffer {
  const path = fixturePath(name, file);
  if (existsSync(path)) return readFileSync(path);
  if (existsSync(`${path}.gz`)) return gunzipSync(readFileSync(`${path}.gz`));
  throw new Error(`fixture file missing: ${path}`);
}

/** A fixture file as UTF-8 text. */
export function fixtureText(name: string, file: string): string {
  return fixtureBytes(name, file).toString("utf8");
}

/** The fixture's image bytes (`<name>.img`). */
export function fixtureImage(name: string): Uint8Array {
  return new Uint8Array(fixtureBytes(name, `${name}.img`));
}

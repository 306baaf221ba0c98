// Locates the committed guest programs (repository folder guest/) for tests and benchmarks.
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Absolute path of the repository's guest/ folder. */
export const GUEST_DIR = fileURLToPath(new URL("../../../../guest/", import.meta.url));

/** The build folders under guest/bin/. */
export const GUEST_FLAVOURS = ["musl", "glibc", "glibc-dynamic", "glibc-static-pie"] as const;

/** One committed guest binary. */
export interface GuestBinary {
  /** "musl/hello", "glibc/args", "glibc-dynamic/hello", "glibc-static-pie/auxv"… */
  readonly name: string;
  /** Absolute path. */
  readonly path: string;
  /** The file's bytes. */
  readonly bytes: Uint8Array;
}

/** Every binary under guest/bin/, sorted by name. */
export function guestBinaries(): GuestBinary[] {
  const out: GuestBinary[] = [];
  for (const flavour of GUEST_FLAVOURS) {
    for (const file of readdirSync(`${GUEST_DIR}bin/${flavour}`).sort()) {
      const path = `${GUEST_DIR}bin/${flavour}/${file}`;
      out.push({ name: `${flavour}/${file}`, path, bytes: new Uint8Array(readFileSync(path)) });
    }
  }
  return out;
}

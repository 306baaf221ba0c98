import { FsError } from "@nanots/tfs";
import { Errno, errnoMessage, type ErrnoName } from "./errno.js";

/**
 * A failed kernel operation carrying the errno the guest gets. The VFS and fd table throw it;
 * the dispatcher turns it into a negative result, so it never reaches the CPU loop.
 */
export class LinuxError extends Error {
  /** Always `"LinuxError"`. */
  override readonly name = "LinuxError";
  /** The positive errno (`ENOENT` = 2). */
  readonly errno: number;
  /** Its name. */
  readonly code: ErrnoName;

  constructor(code: ErrnoName, detail?: string) {
    super(`${code} (${errnoMessage(Errno[code])})${detail === undefined ? "" : `: ${detail}`}`);
    this.code = code;
    this.errno = Errno[code];
  }
}

/** Throws a {@link LinuxError}. */
export function fail(code: ErrnoName, detail?: string): never {
  throw new LinuxError(code, detail);
}

/**
 * The positive errno an exception stands for: a {@link LinuxError}, or an `FsError` from
 * `@nanots/tfs` (which carries Node's negative errno); undefined for anything else (a bug,
 * which the caller reports).
 */
export function errnoOf(e: unknown): number | undefined {
  if (e instanceof LinuxError) return e.errno;
  if (e instanceof FsError) return -e.errno;
  return undefined;
}

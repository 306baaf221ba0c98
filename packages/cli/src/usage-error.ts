/** A command line that cannot be run; the message says what is wrong, then usage follows. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/**
 * The initial stack cannot be built from the given arguments (too large, misaligned top, a
 * NUL inside a string, wrong AT_RANDOM size) or a stack image read back is inconsistent.
 */
export class StackLayoutError extends Error {
  override readonly name = "StackLayoutError";
}

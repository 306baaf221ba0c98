/**
 * Options that cannot make a vDSO: an empty, duplicated or non-ASCII symbol name, a syscall
 * number out of range, an impossible Linux version. The message names the offending value.
 */
export class VdsoError extends Error {
  override readonly name = "VdsoError";
}

// The kernel's sigset_t as the signal syscalls pass it: 8 bytes, bit n-1 for signal n.
import { fail } from "../linux-error.js";
import { Signal } from "../linux-constants.js";
import type { UserMemory } from "../user-memory.js";

/** Bytes of a kernel sigset (the sigsetsize argument must be exactly this). */
export const SIGSET_SIZE = 8;

/** SIGKILL and SIGSTOP: no mask blocks them and no handler takes them. */
export const UNBLOCKABLE_SIGNALS = (1n << BigInt(Signal.SIGKILL - 1)) | (1n << BigInt(Signal.SIGSTOP - 1));

/** Throws EINVAL unless a sigsetsize argument is {@link SIGSET_SIZE}. */
export function checkSigsetSize(size: number): void {
  if (size !== SIGSET_SIZE) fail("EINVAL", "sigset size");
}

/** Reads the sigset at `addr`; EFAULT when it is not readable. */
export function readSigset(mem: UserMemory, addr: number): bigint {
  const b = mem.read(addr, SIGSET_SIZE);
  if (b === undefined) fail("EFAULT");
  return new DataView(b.buffer, b.byteOffset, SIGSET_SIZE).getBigUint64(0, true);
}

/** A sigset's 8 bytes. */
export function encodeSigset(set: bigint): Uint8Array {
  const b = new Uint8Array(SIGSET_SIZE);
  new DataView(b.buffer).setBigUint64(0, set, true);
  return b;
}

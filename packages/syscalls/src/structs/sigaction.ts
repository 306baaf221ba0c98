import { le } from "./bytes-view.js";

/**
 * The kernel's `struct sigaction` as `rt_sigaction` passes it on x86-64 (not libc's): handler,
 * flags, restorer, then the 8-byte mask. Addresses and masks are bigints: all 64 bits count.
 */
export interface SigactionData {
  /** `sa_handler` (0 = SIG_DFL, 1 = SIG_IGN) or `sa_sigaction`. */
  handler: bigint;
  /** `SA_*` flags. */
  flags: bigint;
  /** `sa_restorer` (used with `SA_RESTORER`). */
  restorer: bigint;
  /** Blocked signals while the handler runs: bit `n - 1` is signal `n`. */
  mask: bigint;
}

/** Size of the kernel `struct sigaction` on x86-64. */
export const SIGACTION_SIZE = 32;

/** `sa_flags` bits, in the order strace lists them. */
export const SaFlag = {
  SA_RESTORER: 0x04000000, SA_ONSTACK: 0x08000000, SA_RESTART: 0x10000000, SA_NODEFER: 0x40000000,
  SA_RESETHAND: 0x80000000, SA_SIGINFO: 4, SA_NOCLDSTOP: 1, SA_NOCLDWAIT: 2,
} as const;

/** Encodes the kernel `struct sigaction`. */
export function encodeSigaction(s: SigactionData): Uint8Array {
  const b = new Uint8Array(SIGACTION_SIZE);
  const v = le(b);
  v.setBigUint64(0, BigInt.asUintN(64, s.handler), true);
  v.setBigUint64(8, BigInt.asUintN(64, s.flags), true);
  v.setBigUint64(16, BigInt.asUintN(64, s.restorer), true);
  v.setBigUint64(24, BigInt.asUintN(64, s.mask), true);
  return b;
}

/** Decodes the kernel `struct sigaction`. */
export function decodeSigaction(b: Uint8Array): SigactionData {
  const v = le(b);
  return { handler: v.getBigUint64(0, true), flags: v.getBigUint64(8, true), restorer: v.getBigUint64(16, true), mask: v.getBigUint64(24, true) };
}

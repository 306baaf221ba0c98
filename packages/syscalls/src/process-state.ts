import type { SigactionData } from "./structs/sigaction.js";

/**
 * What the syscall layer records for the process on behalf of a kernel that does not yet
 * act on it: signal actions and mask (recorded only: nothing delivers signals here), the
 * thread's clear-tid address and robust list, the umask, the name set by `prctl`.
 */
export class ProcessState {
  /** `umask` (default 022). */
  umask = 0o022;
  /** Handlers per signal number (absent = default action). */
  readonly sigactions = new Map<number, SigactionData>();
  /** The blocked-signal mask: bit `n - 1` is signal `n`. */
  sigmask = 0n;
  /** The alternate signal stack (`sigaltstack`): base, flags, size. */
  altstack = { sp: 0, flags: 2 /* SS_DISABLE */, size: 0 };
  /** `set_tid_address`. */
  clearChildTid = 0;
  /** `set_robust_list` head. */
  robustList = 0;
  /** `prctl(PR_SET_NAME)` (at most 15 bytes). */
  name = "";
  /** `RLIMIT_STACK` soft limit (`setrlimit` changes it, as on Nanos). */
  stackLimit: number;

  constructor(stackLimit: number) {
    this.stackLimit = stackLimit;
  }
}

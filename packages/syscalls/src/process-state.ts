import type { SigactionData } from "./structs/sigaction.js";

/** A thread's own signal state: what it blocks and its alternate stack. */
export interface ThreadSignalState {
  /** The blocked-signal mask: bit `n - 1` is signal `n`. */
  sigmask: bigint;
  /** The alternate signal stack (`sigaltstack`): base, flags, size. */
  altstack: { sp: number; flags: number; size: number };
}

/**
 * What the syscall layer records for the process on behalf of a kernel that does not yet
 * act on it: signal actions, and the calling thread's mask and alternate stack (a kernel that
 * delivers signals plugs in its threads' state through {@link ProcessState.threadSignals}), the
 * thread's clear-tid address and robust list, the umask, the name set by `prctl`.
 */
export class ProcessState {
  /** `umask` (default 022). */
  umask = 0o022;
  /** Handlers per signal number (absent = default action). */
  readonly sigactions = new Map<number, SigactionData>();
  /**
   * The calling thread's signal state. One thread's by default; a kernel that runs threads
   * points it at the current thread's, so masks and alternate stacks are per thread as on Linux.
   */
  threadSignals: () => ThreadSignalState;
  /** Signals pending for the calling thread or the process (`rt_sigpending`); none by default. */
  pendingSignals: () => bigint = () => 0n;
  /** Forgets pending instances of a signal whose action became "ignore" (rt_sigaction), as Linux does. */
  discardPending: (signo: number) => void = () => {};
  /** The calling thread's stack pointer, when known (`sigaltstack` tells whether it is on the alternate stack). */
  stackPointer: () => number | undefined = () => undefined;
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
    const own: ThreadSignalState = { sigmask: 0n, altstack: { sp: 0, flags: 2 /* SS_DISABLE */, size: 0 } };
    this.threadSignals = () => own;
  }

  /** The calling thread's blocked-signal mask: bit `n - 1` is signal `n`. */
  get sigmask(): bigint {
    return this.threadSignals().sigmask;
  }

  set sigmask(mask: bigint) {
    this.threadSignals().sigmask = mask;
  }

  /** The calling thread's alternate signal stack (`sigaltstack`): base, flags, size. */
  get altstack(): ThreadSignalState["altstack"] {
    return this.threadSignals().altstack;
  }

  set altstack(stack: ThreadSignalState["altstack"]) {
    this.threadSignals().altstack = stack;
  }
}

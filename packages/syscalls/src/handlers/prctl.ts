import { fail } from "../linux-error.js";
import { Prctl } from "../linux-constants.js";
import type { UserMemory } from "../user-memory.js";
import { writeU32 } from "../user-memory.js";
import { copyIn, copyOut, int } from "./arg-helpers.js";

const PrctlOption = Prctl;

/** A thread's name: `comm`, 16 bytes with the terminating NUL. */
const NAME_SIZE = 16;
/** Linux's default timer slack: 50 µs. */
const DEFAULT_TIMER_SLACK_NS = 50_000;
/** The highest capability number (CAP_CHECKPOINT_RESTORE). */
const CAP_LAST_CAP = 40;
/** The highest signal number. */
const SIGRTMAX = 64;

/**
 * The state `prctl` sets and reads, with Linux's argument rules. Names are per thread (a thread
 * that never set one reads the main thread's, which is what a new thread inherits on Linux when
 * the main thread creates it); the other settings are per process here.
 *
 * Nanos answers PR_SET_NAME and PR_GET_NAME and returns 0 for every other option without
 * doing anything; this follows Linux: the options above work, and an unknown one is `EINVAL`,
 * so a program that probes for a feature sees it missing instead of silently ignored.
 * @internal
 */
export class PrctlState {
  private readonly names = new Map<number, Uint8Array>();
  private deathSignal = 0;
  private dumpable = 1;
  private keepCaps = 0;
  private timerSlack = DEFAULT_TIMER_SLACK_NS;
  private subreaper = 0;
  private noNewPrivs = 0;
  private thpDisable = 0;

  /** `program` is the executable's path: the main thread's name is its last component. */
  constructor(program: string) {
    const base = program.slice(program.lastIndexOf("/") + 1);
    const name = new Uint8Array(NAME_SIZE);
    name.set(new TextEncoder().encode(base).subarray(0, NAME_SIZE - 1));
    this.names.set(1, name);
  }

  /** Runs `prctl(option, arg2, arg3, arg4, arg5)` for thread `tid`. */
  call(mem: UserMemory, tid: number, option: number, arg2: number, arg3: number, arg4: number, arg5: number): number {
    const flag = (v: number): number => {
      if (v !== 0 && v !== 1) fail("EINVAL", "expected 0 or 1");
      return v;
    };
    const putInt = (value: number): number => {
      if (!writeU32(mem, arg2, value)) fail("EFAULT");
      return 0;
    };
    const unusedZero = (...args: number[]): void => {
      if (args.some((a) => a !== 0)) fail("EINVAL", "unused arguments must be 0");
    };
    switch (int(option)) {
      case PrctlOption.PR_SET_NAME: {
        // Up to 15 bytes, up to a NUL: the bytes after it need not be readable.
        const name = new Uint8Array(NAME_SIZE);
        for (let i = 0; i < NAME_SIZE - 1; i++) {
          const byte = copyIn(mem, arg2 + i, 1)[0]!;
          if (byte === 0) break;
          name[i] = byte;
        }
        this.names.set(tid, name);
        return 0;
      }
      case PrctlOption.PR_GET_NAME:
        copyOut(mem, arg2, this.names.get(tid) ?? this.names.get(1)!);
        return 0;
      case PrctlOption.PR_SET_PDEATHSIG:
        if (!(arg2 >= 0 && arg2 <= SIGRTMAX)) fail("EINVAL", `signal ${arg2}`);
        this.deathSignal = arg2;
        return 0;
      case PrctlOption.PR_GET_PDEATHSIG:
        return putInt(this.deathSignal);
      case PrctlOption.PR_GET_DUMPABLE:
        return this.dumpable;
      case PrctlOption.PR_SET_DUMPABLE:
        this.dumpable = flag(arg2);
        return 0;
      case PrctlOption.PR_GET_KEEPCAPS:
        return this.keepCaps;
      case PrctlOption.PR_SET_KEEPCAPS:
        this.keepCaps = flag(arg2);
        return 0;
      case PrctlOption.PR_CAPBSET_READ:
        if (!(arg2 >= 0 && arg2 <= CAP_LAST_CAP)) fail("EINVAL", `capability ${arg2}`);
        return 1; // the bounding set is full, as for any Linux process that did not drop from it
      case PrctlOption.PR_SET_TIMERSLACK:
        this.timerSlack = arg2 > 0 ? arg2 : DEFAULT_TIMER_SLACK_NS;
        return 0;
      case PrctlOption.PR_GET_TIMERSLACK:
        return this.timerSlack;
      case PrctlOption.PR_SET_CHILD_SUBREAPER:
        this.subreaper = arg2 !== 0 ? 1 : 0;
        return 0;
      case PrctlOption.PR_GET_CHILD_SUBREAPER:
        return putInt(this.subreaper);
      case PrctlOption.PR_SET_NO_NEW_PRIVS:
        if (arg2 !== 1) fail("EINVAL", "PR_SET_NO_NEW_PRIVS takes 1");
        unusedZero(arg3, arg4, arg5);
        this.noNewPrivs = 1;
        return 0;
      case PrctlOption.PR_GET_NO_NEW_PRIVS:
        unusedZero(arg2, arg3, arg4, arg5);
        return this.noNewPrivs;
      case PrctlOption.PR_SET_THP_DISABLE:
        unusedZero(arg3, arg4, arg5);
        this.thpDisable = arg2 !== 0 ? 1 : 0;
        return 0;
      case PrctlOption.PR_GET_THP_DISABLE:
        unusedZero(arg2, arg3, arg4, arg5);
        return this.thpDisable;
      default:
        fail("EINVAL", `prctl option ${int(option)}`);
    }
  }
}

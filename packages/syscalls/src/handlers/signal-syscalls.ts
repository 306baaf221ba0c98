import { fail } from "../linux-error.js";
import { FUTEX_CLOCK_REALTIME, FUTEX_CMD_MASK, FUTEX_PRIVATE_FLAG, FutexCmd, Signal, SIGNAL_MAX, SigHow } from "../linux-constants.js";
import { decodeSigaction, encodeSigaction, SIGACTION_SIZE } from "../structs/sigaction.js";
import { checkSigsetSize, encodeSigset, readSigset, SIGSET_SIZE, UNBLOCKABLE_SIGNALS } from "../structs/sigset.js";
import { readU32, writeU32 } from "../user-memory.js";
import { copyIn, copyOut, int, uint, usize } from "./arg-helpers.js";
import type { HandlerEnv, HandlerGroup } from "./handler-env.js";

const SS_ONSTACK = 1;
const SS_DISABLE = 2;
const SS_AUTODISARM = 0x80000000;
const MINSIGSTKSZ = 2048;
const STACK_T_SIZE = 24;
/** Signals whose default action is to ignore them: SIGCHLD, SIGCONT, SIGURG, SIGWINCH. */
const IGNORED_BY_DEFAULT = new Set<number>([Signal.SIGCHLD, Signal.SIGCONT, Signal.SIGURG, Signal.SIGWINCH]);

/** The atomic operation of FUTEX_WAKE_OP on the old value. */
function wakeOp(old: number, op: number, arg: number): number {
  switch (op) {
    case 0: return arg;
    case 1: return (old + arg) >>> 0;
    case 2: return (old | arg) >>> 0;
    case 3: return (old & ~arg) >>> 0;
    case 4: return (old ^ arg) >>> 0;
    default: fail("ENOSYS", `futex op ${op}`);
  }
}

/** The comparison of FUTEX_WAKE_OP between the old value (signed) and its argument. */
function wakeCompare(old: number, cmp: number, arg: number): boolean {
  switch (cmp) {
    case 0: return old === arg;
    case 1: return old !== arg;
    case 2: return old < arg;
    case 3: return old <= arg;
    case 4: return old > arg;
    case 5: return old >= arg;
    default: fail("ENOSYS", `futex comparison ${cmp}`);
  }
}

/** A 12-bit field as a signed number. */
const signed12 = (x: number): number => (x & 0x800 ? (x & 0xfff) - 0x1000 : x & 0xfff);

/**
 * FUTEX_WAKE_OP's encoded operation (`val3`) applied to the old value of the second word: the
 * value to store, and whether the comparison says to wake that word's waiters too. Throws
 * `ENOSYS` for an operation or comparison Linux does not define.
 */
export function futexWakeOp(encoded: number, old: number): { value: number; wake: boolean } {
  const op = (encoded >>> 28) & 7;
  let arg = signed12(encoded >>> 12);
  if ((encoded >>> 28) & 8) arg = (1 << (arg & 31)) >>> 0; // FUTEX_OP_OPARG_SHIFT
  const value = wakeOp(old >>> 0, op, arg >>> 0);
  return { value, wake: wakeCompare(old | 0, (encoded >>> 24) & 15, signed12(encoded)) };
}

/**
 * Signal bookkeeping (rt_sigaction, rt_sigprocmask, rt_sigpending, sigaltstack: recorded per
 * `ProcessState.threadSignals`; the kernel delivers) and futex for a single thread: waking finds nobody, a wait on a
 * changed value is `EAGAIN`, and a wait nobody could end is `EAGAIN` too instead of a hang.
 * The kernel replaces futex when it runs threads.
 * @internal
 */
export function signalSyscalls(env: HandlerEnv): HandlerGroup {
  const { mem, state } = env;

  return {
    rt_sigaction: ([sig, act, oldact, size]) => {
      checkSigsetSize(size!);
      const s = int(sig!);
      if (s < 1 || s > SIGNAL_MAX) fail("EINVAL", `signal ${s}`);
      if (act !== 0 && (s === Signal.SIGKILL || s === Signal.SIGSTOP)) fail("EINVAL", "SIGKILL and SIGSTOP keep their action");
      const next = act === 0 ? undefined : decodeSigaction(copyIn(mem, act!, SIGACTION_SIZE));
      if (oldact !== 0) copyOut(mem, oldact!, encodeSigaction(state.sigactions.get(s) ?? { handler: 0n, flags: 0n, restorer: 0n, mask: 0n }));
      if (next !== undefined) {
        state.sigactions.set(s, { ...next, mask: next.mask & ~UNBLOCKABLE_SIGNALS });
        // A signal now ignored is not left pending (SIG_IGN, or SIG_DFL where the default ignores).
        if (next.handler === 1n || (next.handler === 0n && IGNORED_BY_DEFAULT.has(s))) state.discardPending(s);
      }
      return 0;
    },
    rt_sigprocmask: ([how, set, oldset, size]) => {
      checkSigsetSize(size!);
      const old = state.sigmask;
      if (set !== 0) {
        const h = int(how!);
        if (h !== SigHow.SIG_BLOCK && h !== SigHow.SIG_UNBLOCK && h !== SigHow.SIG_SETMASK) fail("EINVAL", `how ${h}`);
        const s = readSigset(mem, set!);
        const mask = h === SigHow.SIG_BLOCK ? old | s : h === SigHow.SIG_UNBLOCK ? old & ~s : s;
        state.sigmask = mask & ~UNBLOCKABLE_SIGNALS;
      }
      if (oldset !== 0) copyOut(mem, oldset!, encodeSigset(old));
      return 0;
    },
    rt_sigpending: ([set, size]) => {
      if (usize(size!) > SIGSET_SIZE) fail("EINVAL", "sigset size");
      // Linux reports the pending signals that are blocked (the others are being delivered).
      copyOut(mem, set!, encodeSigset(state.pendingSignals() & state.sigmask).subarray(0, usize(size!)));
      return 0;
    },
    sigaltstack: ([ss, oldss]) => {
      let next: typeof state.altstack | undefined;
      const alt = state.altstack;
      const sp = state.stackPointer();
      const onStack = sp !== undefined && alt.size > 0 && sp > alt.sp && sp <= alt.sp + alt.size;
      if (ss !== 0) {
        if (onStack) fail("EPERM", "the alternate stack is in use");
        const v = new DataView(copyIn(mem, ss!, STACK_T_SIZE).buffer);
        const flags = v.getUint32(8, true);
        // The mode is 0, SS_ONSTACK (accepted, meaning 0) or SS_DISABLE, plus SS_AUTODISARM.
        const mode = flags & ~SS_AUTODISARM;
        if (mode !== 0 && mode !== SS_ONSTACK && mode !== SS_DISABLE) fail("EINVAL", "sigaltstack flags");
        const size = Number(v.getBigUint64(16, true));
        if ((flags & SS_DISABLE) === 0 && size < MINSIGSTKSZ) fail("ENOMEM", "alternate stack too small");
        next = (flags & SS_DISABLE) !== 0 ? { sp: 0, flags: SS_DISABLE, size: 0 } : { sp: Number(v.getBigUint64(0, true)), flags: flags & ~SS_ONSTACK, size };
      }
      if (oldss !== 0) {
        const b = new Uint8Array(STACK_T_SIZE);
        const v = new DataView(b.buffer);
        v.setBigUint64(0, BigInt(state.altstack.sp), true);
        v.setUint32(8, onStack ? SS_ONSTACK | (alt.flags & SS_AUTODISARM) : alt.flags, true);
        v.setBigUint64(16, BigInt(state.altstack.size), true);
        copyOut(mem, oldss!, b);
      }
      if (next !== undefined) state.altstack = next;
      return 0;
    },
    futex: ([uaddr, opArg, , , uaddr2, val3]) => {
      const op = int(opArg!);
      const cmd = op & FUTEX_CMD_MASK;
      if ((op & ~(FUTEX_CMD_MASK | FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME)) !== 0) fail("ENOSYS", `futex op ${op}`);
      if (uaddr! % 4 !== 0) fail("EINVAL", "futex address not aligned");
      const current = (): number => {
        const v = readU32(mem, uaddr!);
        if (v === undefined) fail("EFAULT");
        return v;
      };
      switch (cmd) {
        case FutexCmd.FUTEX_WAIT:
        case FutexCmd.FUTEX_WAIT_BITSET:
          if (cmd === FutexCmd.FUTEX_WAIT_BITSET && uint(val3!) === 0) fail("EINVAL", "empty bitset");
          current();
          fail("EAGAIN", "one thread: nobody could wake the waiter");
        case FutexCmd.FUTEX_WAKE:
        case FutexCmd.FUTEX_WAKE_BITSET:
          if (cmd === FutexCmd.FUTEX_WAKE_BITSET && uint(val3!) === 0) fail("EINVAL", "empty bitset");
          return 0;
        case FutexCmd.FUTEX_REQUEUE:
          return 0;
        case FutexCmd.FUTEX_CMP_REQUEUE:
          if (current() !== uint(val3!)) fail("EAGAIN");
          return 0;
        case FutexCmd.FUTEX_WAKE_OP: {
          if (uaddr2! % 4 !== 0) fail("EINVAL", "futex address not aligned");
          const old = readU32(mem, uaddr2!);
          if (old === undefined) fail("EFAULT");
          if (!writeU32(mem, uaddr2!, futexWakeOp(uint(val3!), old).value)) fail("EFAULT");
          return 0;
        }
        default:
          fail("ENOSYS", `futex command ${cmd}`);
      }
    },
  };
}

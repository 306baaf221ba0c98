// The syscalls that need the scheduler: clone (threads), futex, nanosleep and clock_nanosleep,
// sched_yield, set_tid_address, robust lists and CPU affinity. They replace @nanots/syscalls'
// single-threaded versions.
import type { SyscallHandler, UserMemory } from "@nanots/syscalls";
import { decodeTimespec, encodeTimespec, fail, futexWakeOp, readU32, sleepClock, timespecFromNanos, TIMESPEC_SIZE, writeU32, writeU64 } from "@nanots/syscalls";
import { ThreadState, type GuestThread } from "./guest-thread.js";
import { releaseRobustList, ROBUST_LIST_HEAD_SIZE } from "./robust-list.js";
import { Scheduler } from "./scheduler.js";

const EAGAIN = 11;
const EFAULT = 14;
const EINVAL = 22;
const ENOSYS = 38;

const CLONE_VM = 0x100;
const CLONE_SIGHAND = 0x800;
const CLONE_THREAD = 0x10000;
const CLONE_SETTLS = 0x80000;
const CLONE_PARENT_SETTID = 0x100000;
const CLONE_CHILD_CLEARTID = 0x200000;
const CLONE_CHILD_SETTID = 0x1000000;

const FUTEX_WAIT = 0;
const FUTEX_WAKE = 1;
const FUTEX_REQUEUE = 3;
const FUTEX_CMP_REQUEUE = 4;
const FUTEX_WAKE_OP = 5;
const FUTEX_WAIT_BITSET = 9;
const FUTEX_WAKE_BITSET = 10;
const FUTEX_CLOCK_REALTIME = 256;
const TIMER_ABSTIME = 1;

/**
 * A timespec (or, with `perSecond` 1e6, a timeval) at `addr` as milliseconds: undefined on a
 * fault, NaN when its fields are out of range.
 */
export function timespecMs(mem: UserMemory, addr: number, perSecond = 1e9): number | undefined {
  const b = mem.read(addr, TIMESPEC_SIZE);
  if (b === undefined) return undefined;
  const t = decodeTimespec(b);
  if (t.sec < 0 || t.nsec < 0 || t.nsec >= perSecond) return Number.NaN;
  return t.sec * 1000 + (t.nsec * 1000) / perSecond;
}

/** A deadline in milliseconds on the guest clock (realtime or monotonic), as a performance.now() deadline. */
export function hostDeadline(clockIsRealtime: boolean, absoluteMs: number): number {
  const now = clockIsRealtime ? Date.now() : performance.now();
  return performance.now() + (absoluteMs - now);
}

/** What the thread syscalls act on. */
export interface ThreadContext {
  scheduler: Scheduler;
  memory: UserMemory;
  /** Online CPUs (sched_getaffinity reports them; Nanos: its vCPUs). Default 1. */
  cpus?: number;
}

/** Overrides for `createSyscalls`. */
export function threadSyscalls(ctx: ThreadContext): Record<string, SyscallHandler> {
  const { scheduler, memory } = ctx;
  const online = (1n << BigInt(Math.max(1, Math.min(ctx.cpus ?? 1, 64)))) - 1n;
  /** Sleeps until `deadline`; interrupted by a signal, writes the time left to `rem` (when not 0). */
  const sleepFor = (deadline: number, rem = 0): number => {
    const onInterrupt = (): void => {
      if (rem !== 0) memory.write(rem, encodeTimespec(timespecFromNanos(Math.max(0, deadline - performance.now()) * 1e6)));
    };
    scheduler.block({ futex: -1, bitset: 0, deadline, timeoutResult: 0, onInterrupt });
    return 0;
  };
  /** The thread `pid` names: 0 is the caller, else a thread id (the main thread's is the pid, 1). */
  const threadOf = (pid: number): GuestThread => {
    const t = (pid | 0) === 0 ? scheduler.current : scheduler.threads.find((x) => x.tid === (pid | 0) && x.state !== ThreadState.Exited);
    if (t === undefined) fail("ESRCH", `no thread ${pid}`);
    return t;
  };
  // A thread that exits holding robust mutexes hands them over as "owner died".
  scheduler.onExit.push((t) => releaseRobustList(memory, t, (address, count) => scheduler.wake(address, count)));
  return {
    clone: ([flags, stack, parentTid, childTid, tls]) => {
      const f = flags! | 0;
      // Linux: a thread shares the signal handlers, which need a shared address space.
      if ((f & CLONE_THREAD) !== 0 && (f & CLONE_SIGHAND) === 0) return -EINVAL;
      if ((f & CLONE_SIGHAND) !== 0 && (f & CLONE_VM) === 0) return -EINVAL;
      // Threads only, as on Nanos: no fork.
      if ((f & (CLONE_VM | CLONE_THREAD)) !== (CLONE_VM | CLONE_THREAD)) return -ENOSYS;
      if ((f & CLONE_SETTLS) !== 0 && !(tls! >= 0 && tls! < 2 ** 47)) return -EINVAL;
      const child = scheduler.spawn((t) => {
        t.setResult(0);
        if (stack !== 0) {
          const hi = Math.floor(stack! / 4294967296);
          t.gpr[8] = stack! - hi * 4294967296;
          t.gpr[9] = hi;
        }
        if ((f & CLONE_SETTLS) !== 0) t.fsBase = tls!;
      });
      if ((f & CLONE_CHILD_CLEARTID) !== 0) child.clearChildTid = childTid!;
      if ((f & CLONE_PARENT_SETTID) !== 0 && !writeU32(memory, parentTid!, child.tid)) return -EFAULT;
      if ((f & CLONE_CHILD_SETTID) !== 0 && !writeU32(memory, childTid!, child.tid)) return -EFAULT;
      return child.tid;
    },
    clone3: () => -ENOSYS, // the C libraries fall back to clone
    set_tid_address: ([addr]) => {
      scheduler.current.clearChildTid = addr!;
      return scheduler.current.tid;
    },
    sched_yield: () => {
      scheduler.yield();
      return 0;
    },
    futex: ([uaddr, opArg, val, timeout, uaddr2, val3]) => {
      const op = opArg! | 0;
      const cmd = op & 127;
      const address = uaddr!;
      if (address % 4 !== 0) return -EINVAL;
      switch (cmd) {
        case FUTEX_WAIT:
        case FUTEX_WAIT_BITSET: {
          const bitset = cmd === FUTEX_WAIT ? -1 : val3! | 0;
          if (bitset === 0) return -EINVAL;
          const word = readU32(memory, address);
          if (word === undefined) return -EFAULT;
          if (word !== (val! >>> 0)) return -EAGAIN;
          let deadline = Infinity;
          if (timeout !== 0) {
            const ms = timespecMs(memory, timeout!);
            if (ms === undefined) return -EFAULT;
            if (Number.isNaN(ms)) return -EINVAL;
            // FUTEX_WAIT takes a relative timeout; FUTEX_WAIT_BITSET an absolute one.
            deadline = cmd === FUTEX_WAIT ? performance.now() + ms : hostDeadline((op & FUTEX_CLOCK_REALTIME) !== 0, ms);
          }
          scheduler.block({ futex: address, bitset, deadline, timeoutResult: Scheduler.TIMED_OUT });
          return 0;
        }
        case FUTEX_WAKE:
          return scheduler.wake(address, val! | 0);
        case FUTEX_WAKE_BITSET:
          if ((val3! | 0) === 0) return -EINVAL;
          return scheduler.wake(address, val! | 0, val3! | 0);
        case FUTEX_REQUEUE:
        case FUTEX_CMP_REQUEUE: {
          if (uaddr2! % 4 !== 0 || (val! | 0) < 0 || (timeout! | 0) < 0) return -EINVAL;
          if (cmd === FUTEX_CMP_REQUEUE) {
            const word = readU32(memory, address);
            if (word === undefined) return -EFAULT;
            if (word !== (val3! >>> 0)) return -EAGAIN;
          }
          const woken = scheduler.wake(address, val! | 0);
          // The timeout argument carries val2, the most waiters to move.
          return woken + scheduler.requeue(address, uaddr2!, timeout! | 0);
        }
        case FUTEX_WAKE_OP: {
          if (uaddr2! % 4 !== 0) return -EINVAL;
          const old = readU32(memory, uaddr2!);
          if (old === undefined) return -EFAULT;
          const { value, wake } = futexWakeOp(val3! >>> 0, old);
          if (!writeU32(memory, uaddr2!, value)) return -EFAULT;
          // val wakes on the first word; the timeout argument carries val2 for the second.
          return scheduler.wake(address, val! | 0) + (wake ? scheduler.wake(uaddr2!, timeout! | 0) : 0);
        }
        default:
          return -ENOSYS;
      }
    },
    nanosleep: ([req, rem]) => {
      const ms = timespecMs(memory, req!);
      if (ms === undefined) return -EFAULT;
      if (Number.isNaN(ms)) return -EINVAL;
      return sleepFor(performance.now() + ms, rem);
    },
    clock_nanosleep: ([clock, flags, req, rem]) => {
      // The clock is checked first (EINVAL, or EOPNOTSUPP for clocks one cannot sleep on).
      const kind = sleepClock(clock!);
      if (typeof kind === "number") return kind;
      const ms = timespecMs(memory, req!);
      if (ms === undefined) return -EFAULT;
      if (Number.isNaN(ms)) return -EINVAL;
      const realtime = kind === "realtime";
      const absolute = (flags! & TIMER_ABSTIME) !== 0;
      return sleepFor(absolute ? hostDeadline(realtime, ms) : performance.now() + ms, absolute ? 0 : rem);
    },
    set_robust_list: ([head, len]) => {
      if (len !== ROBUST_LIST_HEAD_SIZE) return -EINVAL;
      scheduler.current.robustList = head!;
      return 0;
    },
    get_robust_list: ([pid, headPtr, lenPtr]) => {
      const t = threadOf(pid!);
      if (!writeU64(memory, headPtr!, t.robustList) || !writeU64(memory, lenPtr!, ROBUST_LIST_HEAD_SIZE)) return -EFAULT;
      return 0;
    },
    sched_getaffinity: ([pid, len, addr]) => {
      const size = len!;
      if (size < 8 || size % 8 !== 0) return -EINVAL;
      const t = threadOf(pid!);
      const out = new Uint8Array(8);
      new DataView(out.buffer).setBigUint64(0, t.affinity & online, true);
      return memory.write(addr!, out) ? 8 : -EFAULT;
    },
    sched_setaffinity: ([pid, len, addr]) => {
      const t = threadOf(pid!);
      // Bytes past the first 64 CPUs name CPUs that do not exist; missing bytes are zero.
      const bytes = memory.read(addr!, Math.min(len!, 8));
      if (bytes === undefined) return -EFAULT;
      const mask = new Uint8Array(8);
      mask.set(bytes);
      const wanted = new DataView(mask.buffer).getBigUint64(0, true);
      if ((wanted & online) === 0n) return -EINVAL;
      t.affinity = wanted;
      return 0;
    },
  };
}

// The syscalls that need the scheduler: clone (threads), futex, nanosleep and clock_nanosleep,
// sched_yield, set_tid_address. They replace @nanots/syscalls' single-threaded versions.
import type { SyscallHandler, UserMemory } from "@nanots/syscalls";
import { decodeTimespec, readU32, TIMESPEC_SIZE, writeU32 } from "@nanots/syscalls";
import { Scheduler } from "./scheduler.js";

const EAGAIN = 11;
const EFAULT = 14;
const EINVAL = 22;
const ENOSYS = 38;

const CLONE_VM = 0x100;
const CLONE_THREAD = 0x10000;
const CLONE_SETTLS = 0x80000;
const CLONE_PARENT_SETTID = 0x100000;
const CLONE_CHILD_CLEARTID = 0x200000;
const CLONE_CHILD_SETTID = 0x1000000;

const FUTEX_WAIT = 0;
const FUTEX_WAKE = 1;
const FUTEX_REQUEUE = 3;
const FUTEX_CMP_REQUEUE = 4;
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

/** Milliseconds on the clock a guest deadline uses, mapped to performance.now(). */
function hostDeadline(clockIsRealtime: boolean, absoluteMs: number): number {
  const now = clockIsRealtime ? Date.now() : performance.now();
  return performance.now() + (absoluteMs - now);
}

/** What the thread syscalls act on. */
export interface ThreadContext {
  scheduler: Scheduler;
  memory: UserMemory;
}

/** Overrides for `createSyscalls`. */
export function threadSyscalls(ctx: ThreadContext): Record<string, SyscallHandler> {
  const { scheduler, memory } = ctx;
  const sleepFor = (deadline: number): number => {
    scheduler.block({ futex: -1, bitset: 0, deadline, timeoutResult: 0 });
    return 0;
  };
  return {
    clone: ([flags, stack, parentTid, childTid, tls]) => {
      const f = flags! | 0;
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
          if (uaddr2! % 4 !== 0) return -EINVAL;
          if (cmd === FUTEX_CMP_REQUEUE) {
            const word = readU32(memory, address);
            if (word === undefined) return -EFAULT;
            if (word !== (val3! >>> 0)) return -EAGAIN;
          }
          const woken = scheduler.wake(address, val! | 0);
          // The timeout argument carries val2, the most waiters to move.
          return woken + scheduler.requeue(address, uaddr2!, timeout! | 0);
        }
        default:
          return -ENOSYS;
      }
    },
    nanosleep: ([req]) => {
      const ms = timespecMs(memory, req!);
      if (ms === undefined) return -EFAULT;
      if (Number.isNaN(ms)) return -EINVAL;
      return sleepFor(performance.now() + ms);
    },
    clock_nanosleep: ([clock, flags, req]) => {
      const ms = timespecMs(memory, req!);
      if (ms === undefined) return -EFAULT;
      if (Number.isNaN(ms)) return -EINVAL;
      const realtime = clock === 0;
      const deadline = (flags! & TIMER_ABSTIME) !== 0 ? hostDeadline(realtime, ms) : performance.now() + ms;
      return sleepFor(deadline);
    },
  };
}

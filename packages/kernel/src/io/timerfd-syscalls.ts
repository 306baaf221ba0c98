// timerfd_create, timerfd_settime and timerfd_gettime with Linux's checks and errno values.
import { decodeTimespec, encodeTimespec, fail, FdTable, isValidTimespec, TIMESPEC_SIZE, type SyscallHandler, type UserMemory } from "@nanots/syscalls";
import type { Scheduler } from "../threads/scheduler.js";
import { TimerClock, TimerFd, type TimerSetting } from "./timerfd.js";

const TFD_NONBLOCK = 0o4000;
const TFD_CLOEXEC = 0o2000000;
const TFD_TIMER_ABSTIME = 1;
const TFD_TIMER_CANCEL_ON_SET = 2;
/** struct itimerspec: it_interval, then it_value. */
const ITIMERSPEC_SIZE = 2 * TIMESPEC_SIZE;

/** What the timerfd syscalls act on. */
export interface TimerFdContext {
  scheduler: Scheduler;
  memory: UserMemory;
  fds: FdTable;
}

function timespecAsMs(bytes: Uint8Array): number {
  const t = decodeTimespec(bytes);
  if (!isValidTimespec(t)) fail("EINVAL", "tv_nsec out of range or negative tv_sec");
  return t.sec * 1000 + t.nsec / 1e6;
}

function msAsTimespec(ms: number): Uint8Array {
  const ns = Math.floor(ms * 1e6);
  const sec = Math.floor(ns / 1e9);
  return encodeTimespec({ sec, nsec: ns - sec * 1e9 });
}

function encodeItimerspec(s: TimerSetting): Uint8Array {
  const out = new Uint8Array(ITIMERSPEC_SIZE);
  out.set(msAsTimespec(s.interval), 0);
  out.set(msAsTimespec(s.value), TIMESPEC_SIZE);
  return out;
}

/** Overrides for `createSyscalls`. */
export function timerFdSyscalls(ctx: TimerFdContext): Record<string, SyscallHandler> {
  const { scheduler, memory, fds } = ctx;
  const timerOf = (fd: number): TimerFd => {
    const d = fds.get(fd);
    if (!(d instanceof TimerFd)) fail("EINVAL", "not a timerfd");
    return d;
  };
  return {
    timerfd_create: ([clock, flags]) => {
      const c = clock! | 0;
      const f = flags! | 0;
      if (!Object.values(TimerClock).includes(c as never)) fail("EINVAL", `clock ${c}`);
      if ((f & ~(TFD_NONBLOCK | TFD_CLOEXEC)) !== 0) fail("EINVAL", "flags");
      return fds.install(new TimerFd(c, f, scheduler), (f & TFD_CLOEXEC) !== 0);
    },
    timerfd_settime: ([fd, flags, newValue, oldValue]) => {
      const bytes = memory.read(newValue!, ITIMERSPEC_SIZE);
      if (bytes === undefined) fail("EFAULT");
      const f = flags! | 0;
      if ((f & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET)) !== 0) fail("EINVAL", "flags");
      const setting = { interval: timespecAsMs(bytes.subarray(0, TIMESPEC_SIZE)), value: timespecAsMs(bytes.subarray(TIMESPEC_SIZE)) };
      const timer = timerOf(fd! | 0);
      const old = timer.set(setting, (f & TFD_TIMER_ABSTIME) !== 0);
      if (oldValue !== 0 && !memory.write(oldValue!, encodeItimerspec(old))) fail("EFAULT");
      return 0;
    },
    timerfd_gettime: ([fd, value]) => {
      const timer = timerOf(fd! | 0);
      if (!memory.write(value!, encodeItimerspec(timer.get()))) fail("EFAULT");
      return 0;
    },
  };
}

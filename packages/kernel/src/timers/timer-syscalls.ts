// Timers that send signals: alarm and setitimer/getitimer (SIGALRM, SIGPROF to the process) and
// POSIX timers (timer_create with SIGEV_SIGNAL, SIGEV_THREAD_ID or SIGEV_NONE; timer_settime,
// relative or absolute, one-shot or periodic; timer_gettime, timer_getoverrun, timer_delete).
// They run on the scheduler's kernel timers, so a thread blocked in a syscall is woken by the
// signal (EINTR) and a machine with every thread asleep waits for the next expiry.
import { decodeTimespec, encodeTimespec, encodeTimeval, fail, timespecFromNanos, type SyscallHandler } from "@nanots/syscalls";
import type { Machine } from "../run/machine.js";
import { senderInfo, SiCode, timerInfo } from "../signals/siginfo.js";
import type { SignalDelivery } from "../signals/signal-delivery.js";
import { ThreadState, type GuestThread } from "../threads/guest-thread.js";
import { hostDeadline } from "../threads/thread-syscalls.js";
import { IntervalTimer } from "./interval-timer.js";

const ITIMER_REAL = 0;
const ITIMER_VIRTUAL = 1;
const ITIMER_PROF = 2;
const SIGALRM = 14;
const SIGPROF = 27;
const SIGEV_SIGNAL = 0;
const SIGEV_NONE = 1;
const SIGEV_THREAD = 2;
const SIGEV_THREAD_ID = 4;
const SIGEVENT_SIZE = 64;
const TIMER_ABSTIME = 1;
/** si_overrun saturates here (Linux: DELAYTIMER_MAX). */
const DELAYTIMER_MAX = 0x7fffffff;

/**
 * Clocks a POSIX timer may use: realtime ones count in wall-clock time for TIMER_ABSTIME. The
 * CPU-time clocks run on the monotonic clock, as nanots counts CPU time (the process owns the
 * vCPU); the raw and coarse clocks have no timers (EOPNOTSUPP).
 */
const TIMER_CLOCKS = new Map<number, "realtime" | "monotonic">([
  [0, "realtime"], [1, "monotonic"], [2, "monotonic"], [3, "monotonic"], [7, "monotonic"], [8, "realtime"], [9, "monotonic"], [11, "realtime"],
]);
const CLOCKS_WITHOUT_TIMERS = new Set([4, 5, 6]);

/** A timer_create timer. */
interface PosixTimer {
  readonly id: number;
  readonly timer: IntervalTimer;
  readonly realtime: boolean;
  readonly notify: number;
  readonly signo: number;
  readonly value: bigint;
  /** The thread of SIGEV_THREAD_ID; undefined: the process. */
  readonly target: GuestThread | undefined;
  /** The siginfo last queued: while it is still pending, further expiries only count overruns. */
  queued: Uint8Array | undefined;
  /** si_overrun of the expiry delivered before the queued one (timer_getoverrun). */
  lastOverrun: number;
}

const overrunOf = (info: Uint8Array): number => new DataView(info.buffer, info.byteOffset).getInt32(20, true);

/** Reads 32 bytes at `addr`: two timespecs (or timevals), interval first. EFAULT on a bad pointer. */
function readPair(machine: Machine, addr: number, perSecond: number): { interval: number; value: number } {
  const b = machine.space.read(addr, 32);
  if (b === undefined) fail("EFAULT");
  const ms = (offset: number): number => {
    const t = decodeTimespec(b.subarray(offset, offset + 16));
    if (t.sec < 0 || t.nsec < 0 || t.nsec >= perSecond) fail("EINVAL", "time out of range");
    return t.sec * 1000 + (t.nsec * 1000) / perSecond;
  };
  return { interval: ms(0), value: ms(16) };
}

/** An interval and a remaining time (milliseconds) as struct itimerval or itimerspec. */
function encodePair(interval: number, value: number, timeval: boolean): Uint8Array {
  const out = new Uint8Array(32);
  const encode = (ms: number): Uint8Array => (timeval ? encodeTimeval(Math.floor(ms * 1e6)) : encodeTimespec(timespecFromNanos(Math.floor(ms * 1e6))));
  out.set(encode(interval), 0);
  out.set(encode(value), 16);
  return out;
}

/** Overrides for `createSyscalls`. */
export function timerSyscalls(machine: Machine, signals: SignalDelivery): Record<string, SyscallHandler> {
  const scheduler = machine.scheduler;
  const memory = machine.space;
  const toProcess = (signo: number) => (): void => void signals.send(undefined, senderInfo(signo, SiCode.KERNEL));
  // setitimer's timers (ITIMER_VIRTUAL is not supported, as on Nanos).
  const itimers = new Map<number, IntervalTimer>([
    [ITIMER_REAL, new IntervalTimer(scheduler.timers, toProcess(SIGALRM))],
    [ITIMER_PROF, new IntervalTimer(scheduler.timers, toProcess(SIGPROF))],
  ]);
  const posix = new Map<number, PosixTimer>();
  let nextId = 0;

  const itimerOf = (which: number): IntervalTimer => {
    if (which === ITIMER_VIRTUAL) fail("EOPNOTSUPP", "ITIMER_VIRTUAL (Nanos does not count user time)");
    const timer = itimers.get(which);
    if (timer === undefined) fail("EINVAL", `no interval timer ${which}`);
    return timer;
  };
  /** The remaining time Linux reports for an armed timer: at least 1 µs. */
  const remaining = (timer: IntervalTimer): number => (timer.deadline === undefined ? 0 : Math.max(0.001, timer.remaining(performance.now())));
  const setitimer = (timer: IntervalTimer, value: number, interval: number): { value: number; interval: number } => {
    const old = { value: remaining(timer), interval: timer.interval };
    if (value === 0) timer.disarm();
    else timer.arm(performance.now() + value, interval);
    return old;
  };

  const posixOf = (id: number): PosixTimer => {
    const t = posix.get(id | 0);
    if (t === undefined) fail("EINVAL", `no timer ${id}`);
    return t;
  };
  /** An expiry: queue the signal, or count an overrun while the last one is still pending. */
  const expire = (p: PosixTimer, overruns: number): void => {
    if (p.notify === SIGEV_NONE) return;
    const queue = p.target?.pending ?? signals.processPending;
    const waiting = p.queued !== undefined ? queue.find((info) => info === p.queued) : undefined;
    if (waiting !== undefined) {
      const view = new DataView(waiting.buffer, waiting.byteOffset);
      view.setInt32(20, Math.min(DELAYTIMER_MAX, overrunOf(waiting) + 1 + overruns), true);
      return;
    }
    if (p.queued !== undefined) p.lastOverrun = overrunOf(p.queued);
    const info = timerInfo(p.signo, p.id, p.value);
    new DataView(info.buffer).setInt32(20, Math.min(DELAYTIMER_MAX, overruns), true);
    p.queued = info;
    // A thread target that has exited gets nothing, as Linux drops the signal.
    if (p.target === undefined || p.target.state !== ThreadState.Exited) signals.send(p.target, info);
  };

  return {
    alarm: ([seconds]) => {
      const old = setitimer(itimers.get(ITIMER_REAL)!, (seconds! >>> 0) * 1000, 0);
      // Whole seconds left, rounded to nearest, and never 0 for a timer still armed (Linux).
      const sec = Math.floor(old.value / 1000);
      const usec = Math.floor((old.value - sec * 1000) * 1000);
      return (sec === 0 && usec > 0) || usec >= 500000 ? sec + 1 : sec;
    },
    getitimer: ([which, addr]) => {
      const timer = itimerOf(which! | 0);
      if (!memory.write(addr!, encodePair(timer.interval, remaining(timer), true))) fail("EFAULT");
      return 0;
    },
    setitimer: ([which, newAddr, oldAddr]) => {
      const timer = itimerOf(which! | 0);
      // A null new value disarms (as Linux still accepts it).
      const next = newAddr === 0 ? { value: 0, interval: 0 } : readPair(machine, newAddr!, 1e6);
      if (oldAddr !== 0 && memory.read(oldAddr!, 32) === undefined) fail("EFAULT");
      const old = setitimer(timer, next.value, next.interval);
      if (oldAddr !== 0) memory.write(oldAddr!, encodePair(old.interval, old.value, true));
      return 0;
    },
    timer_create: ([clock, sevp, idAddr]) => {
      const clockKind = TIMER_CLOCKS.get(clock! | 0);
      if (clockKind === undefined) fail(CLOCKS_WITHOUT_TIMERS.has(clock! | 0) ? "EOPNOTSUPP" : "EINVAL", `clock ${clock! | 0}`);
      const id = nextId;
      let notify = SIGEV_SIGNAL;
      let signo = SIGALRM;
      let value = BigInt(id);
      let target: GuestThread | undefined;
      if (sevp !== 0) {
        const b = memory.read(sevp!, SIGEVENT_SIZE);
        if (b === undefined) fail("EFAULT");
        const v = new DataView(b.buffer, b.byteOffset, SIGEVENT_SIZE);
        value = v.getBigUint64(0, true);
        signo = v.getInt32(8, true);
        notify = v.getInt32(12, true);
        if (notify === (SIGEV_SIGNAL | SIGEV_THREAD_ID)) {
          const tid = v.getInt32(16, true);
          target = scheduler.threads.find((t) => t.tid === tid && t.state !== ThreadState.Exited);
          if (target === undefined) fail("EINVAL", `no thread ${tid} in this process`);
        } else if (notify === SIGEV_THREAD) notify = SIGEV_SIGNAL; // Linux treats it as SIGEV_SIGNAL; the C library runs the thread
        else if (notify !== SIGEV_SIGNAL && notify !== SIGEV_NONE) fail("EINVAL", `sigev_notify ${notify}`);
        if (notify !== SIGEV_NONE && (signo <= 0 || signo > 64)) fail("EINVAL", `signal ${signo}`);
      }
      const out = new Uint8Array(4);
      new DataView(out.buffer).setInt32(0, id, true);
      if (!memory.write(idAddr!, out)) fail("EFAULT");
      nextId++;
      const p: PosixTimer = {
        id,
        timer: new IntervalTimer(scheduler.timers, (overruns) => expire(p, overruns)),
        realtime: clockKind === "realtime",
        notify,
        signo,
        value,
        target,
        queued: undefined,
        lastOverrun: 0,
      };
      posix.set(id, p);
      return 0;
    },
    timer_settime: ([id, flags, newAddr, oldAddr]) => {
      const p = posixOf(id!);
      const next = readPair(machine, newAddr!, 1e9);
      if (oldAddr !== 0 && !memory.write(oldAddr!, encodePair(p.timer.interval, remaining(p.timer), false))) fail("EFAULT");
      if (next.value === 0) p.timer.disarm();
      else if ((flags! & TIMER_ABSTIME) !== 0) p.timer.arm(hostDeadline(p.realtime, next.value), next.interval);
      else p.timer.arm(performance.now() + next.value, next.interval);
      return 0;
    },
    timer_gettime: ([id, addr]) => {
      const p = posixOf(id!);
      if (!memory.write(addr!, encodePair(p.timer.interval, remaining(p.timer), false))) fail("EFAULT");
      return 0;
    },
    timer_getoverrun: ([id]) => {
      const p = posixOf(id!);
      // The overrun of the last expiry delivered: the queued one's once it has been taken.
      const queue = p.target?.pending ?? signals.processPending;
      if (p.queued !== undefined && queue.find((info) => info === p.queued) === undefined) return overrunOf(p.queued);
      return p.lastOverrun;
    },
    timer_delete: ([id]) => {
      const p = posixOf(id!);
      p.timer.disarm();
      posix.delete(id! | 0);
      return 0;
    },
  };
}

import { Errno } from "../errno.js";
import { fail } from "../linux-error.js";
import { Clock } from "../linux-constants.js";
import { decodeTimespec, encodeTimespec, TIMESPEC_SIZE } from "../structs/timespec.js";
import { writeU64 } from "../user-memory.js";
import { copyIn, copyOut, int } from "./arg-helpers.js";
import type { HandlerEnv, HandlerGroup } from "./handler-env.js";

/** What a clock id reads. */
export type ClockSource = "realtime" | "monotonic" | "process-cpu" | "thread-cpu";

const FIXED_CLOCKS = new Map<number, ClockSource>([
  [Clock.CLOCK_REALTIME, "realtime"], [Clock.CLOCK_REALTIME_COARSE, "realtime"], [Clock.CLOCK_TAI, "realtime"],
  [Clock.CLOCK_REALTIME_ALARM, "realtime"], [Clock.CLOCK_MONOTONIC, "monotonic"], [Clock.CLOCK_MONOTONIC_RAW, "monotonic"],
  [Clock.CLOCK_MONOTONIC_COARSE, "monotonic"], [Clock.CLOCK_BOOTTIME, "monotonic"], [Clock.CLOCK_BOOTTIME_ALARM, "monotonic"],
  [Clock.CLOCK_PROCESS_CPUTIME_ID, "process-cpu"], [Clock.CLOCK_THREAD_CPUTIME_ID, "thread-cpu"],
]);
const COARSE = new Set<number>([Clock.CLOCK_REALTIME_COARSE, Clock.CLOCK_MONOTONIC_COARSE]);
/** The tick of the coarse clocks: Linux's jiffy at HZ=250. */
const COARSE_RESOLUTION_NS = 4_000_000;
/** `CPUCLOCK_*` kinds in the low bits of a negative clock id: PROF, VIRT, SCHED (3 is invalid). */
const CPUCLOCK_KIND_MASK = 3;
const CPUCLOCK_PERTHREAD = 4;

/**
 * What a clock id reads, as Linux decodes it; undefined for an invalid id. A negative id is the
 * CPU-time clock of a process or thread (`(~pid << 3) | perthread << 2 | kind`, what
 * `clock_getcpuclockid` and `pthread_getcpuclockid` make): valid for this process (pid 0 or 1,
 * Nanos's pid) and for the calling thread (tid 0 or its own).
 */
export function clockSource(id: number, tid: number): ClockSource | undefined {
  if (id >= 0) return FIXED_CLOCKS.get(id);
  if ((id & CPUCLOCK_KIND_MASK) === CPUCLOCK_KIND_MASK) return undefined;
  const pid = ~(id >> 3);
  const perThread = (id & CPUCLOCK_PERTHREAD) !== 0;
  if (pid !== 0 && pid !== (perThread ? tid : 1)) return undefined;
  return perThread ? "thread-cpu" : "process-cpu";
}

/** Clocks with timers: what clock_nanosleep, timer_create and timerfd_create accept. */
const TIMER_CLOCKS = new Map<number, "realtime" | "monotonic">([
  [Clock.CLOCK_REALTIME, "realtime"], [Clock.CLOCK_MONOTONIC, "monotonic"], [Clock.CLOCK_BOOTTIME, "monotonic"], [Clock.CLOCK_TAI, "realtime"],
]);

/** `struct timex` (adjtimex) and the parts of it nanots reads and reports. */
const TIMEX_SIZE = 208;
const ADJ_STATUS = 0x10;
const ADJ_SETOFFSET = 0x100;
const ADJ_MICRO = 0x1000;
const ADJ_NANO = 0x2000;
const ADJ_OFFSET_SINGLESHOT = 0x8001;
const ADJ_OFFSET_SS_READ = 0xa001;
const STA_UNSYNC = 0x40;
const STA_NANO = 0x2000;
const TIME_OK = 0;
/** Linux's KTIME_MAX: the latest time a clock can be set to, in nanoseconds. */
const KTIME_MAX = 2n ** 63n - 1n;
/** The clock is not synchronised (what Linux and Nanos say until something sets STA_UNSYNC off). */
const TIME_ERROR = 5;

/**
 * The clock `clock_nanosleep` sleeps on, or its error as a negative errno, as Linux decides:
 * realtime for REALTIME and TAI, monotonic for MONOTONIC and BOOTTIME; `-EOPNOTSUPP` for a
 * valid clock without timers (the raw, coarse and thread CPU clocks); `-EINVAL` for an invalid
 * id, a CPU clock by id, and the process CPU clock (Linux sleeps on CPU time there, which
 * nanots does not measure; Nanos refuses it with EINVAL too).
 */
export function sleepClock(id: number): "realtime" | "monotonic" | number {
  const timer = TIMER_CLOCKS.get(id);
  if (timer !== undefined) return timer;
  if (id < 0 || id === Clock.CLOCK_PROCESS_CPUTIME_ID || !FIXED_CLOCKS.has(id)) return -Errno.EINVAL;
  return -Errno.EOPNOTSUPP;
}

/** CPU time of the process or the calling thread, from the kernel's clocks when it keeps it. @internal */
export function cpuTime(env: HandlerEnv, scope: "process" | "thread"): bigint {
  return env.ctx.clocks?.cpuTime?.(scope) ?? env.monotonic();
}

const timespecOf = (ns: bigint): Uint8Array => encodeTimespec({ sec: Number(ns / 1_000_000_000n), nsec: Number(ns % 1_000_000_000n) });

/** How far the high-resolution realtime clock was moved forward to keep up with `Date.now()`. */
let realtimeCatchUp = 0;

/**
 * The host's realtime clock at sub-millisecond resolution that never reads behind `Date.now()`
 * (which the kernel converts `CLOCK_REALTIME` deadlines with: a guest that sleeps until a time it
 * read must find the clock past it on waking). `performance.timeOrigin + performance.now()`
 * gives the resolution; when `Date.now()` is ahead (a rounding at start-up, or the host's clock
 * stepped forward) the clock catches up, never going back.
 */
function realtimeMs(): number {
  const fine = performance.timeOrigin + performance.now() + realtimeCatchUp;
  const wall = Date.now();
  if (wall <= fine) return fine;
  realtimeCatchUp += wall - fine;
  return wall;
}

/**
 * The default clocks, in nanoseconds: realtime since the Unix epoch, at sub-millisecond
 * resolution and never behind `Date.now()`, and monotonic since start-up (`performance.now()`).
 */
export const hostClocks = {
  realtime: (): bigint => BigInt(Math.round(realtimeMs() * 1e6)),
  monotonic: (): bigint => BigInt(Math.round(performance.now() * 1e6)),
};

/**
 * Clocks: clock_gettime, clock_getres, gettimeofday, time; and setting the realtime clock as
 * Nanos allows (clock_settime, settimeofday, adjtimex, clock_adjtime). A set clock is a step
 * added to the host's time for these calls. @internal
 */
export function timeSyscalls(env: HandlerEnv): HandlerGroup {
  const { mem } = env;
  const tid = env.ctx.tid ?? (() => 1);
  let step = 0n;
  let unsynchronised = true;
  const realtime = (): bigint => env.realtime() + step;
  /** Moves the realtime clock to `ns`; Linux refuses a time before 1970 or past 2262 (EINVAL). */
  const setRealtime = (ns: bigint): void => {
    if (ns < 0n || ns >= KTIME_MAX) fail("EINVAL", "time out of range");
    step += ns - realtime();
  };
  const source = (clock: number): ClockSource => clockSource(clock, tid()) ?? fail("EINVAL", `clock ${clock}`);
  /** A valid timespec (or timeval, `perSecond` 1e6) from the guest, in nanoseconds. */
  const readTime = (addr: number, perSecond: number): bigint => {
    const t = decodeTimespec(copyIn(mem, addr, TIMESPEC_SIZE));
    if (t.sec < 0 || t.nsec < 0 || t.nsec >= perSecond) fail("EINVAL", "time out of range");
    return BigInt(t.sec) * 1_000_000_000n + BigInt(t.nsec) * BigInt(1e9 / perSecond);
  };
  const adjtimex = (addr: number): number => {
    const b = copyIn(mem, addr, TIMEX_SIZE);
    const v = new DataView(b.buffer, b.byteOffset);
    const modes = v.getUint32(0, true);
    const nano = (modes & ADJ_NANO) !== 0 && (modes & ADJ_MICRO) === 0;
    if (modes !== 0 && modes !== ADJ_OFFSET_SS_READ && modes !== ADJ_OFFSET_SINGLESHOT) {
      if ((modes & ADJ_STATUS) !== 0) unsynchronised = (v.getInt32(40, true) & STA_UNSYNC) !== 0;
      if ((modes & ADJ_SETOFFSET) !== 0) {
        const usec = v.getBigInt64(80, true);
        if (usec < 0n || usec >= (nano ? 1_000_000_000n : 1_000_000n)) fail("EINVAL", "offset out of range");
        setRealtime(realtime() + v.getBigInt64(72, true) * 1_000_000_000n + (nano ? usec : usec * 1000n));
      }
    }
    // The clock as it stands: no drift to correct, 1 ns precision, a 10 ms tick.
    const out = new Uint8Array(TIMEX_SIZE);
    const o = new DataView(out.buffer);
    o.setUint32(0, modes, true);
    o.setInt32(40, (unsynchronised ? STA_UNSYNC : 0) | (nano ? STA_NANO : 0), true);
    o.setBigInt64(56, 1n, true);
    o.setBigInt64(64, 500n << 16n, true); // tolerance: 500 ppm, as Nanos
    const now = realtime();
    o.setBigInt64(72, now / 1_000_000_000n, true);
    o.setBigInt64(80, nano ? now % 1_000_000_000n : (now % 1_000_000_000n) / 1000n, true);
    o.setBigInt64(88, 10_000n, true);
    copyOut(mem, addr, out);
    return unsynchronised ? TIME_ERROR : TIME_OK;
  };
  const read = (clock: number): bigint => {
    switch (source(clock)) {
      case "realtime": return realtime();
      case "monotonic": return env.monotonic();
      case "process-cpu": return cpuTime(env, "process");
      case "thread-cpu": return cpuTime(env, "thread");
    }
  };
  return {
    clock_gettime: ([clock, tp]) => {
      copyOut(mem, tp!, timespecOf(read(int(clock!))));
      return 0;
    },
    clock_getres: ([clock, tp]) => {
      const c = int(clock!);
      source(c);
      if (tp !== 0) copyOut(mem, tp!, encodeTimespec({ sec: 0, nsec: COARSE.has(c) ? COARSE_RESOLUTION_NS : 1 }));
      return 0;
    },
    gettimeofday: ([tv, tz]) => {
      const ns = realtime();
      if (tv !== 0) copyOut(mem, tv!, encodeTimespec({ sec: Number(ns / 1_000_000_000n), nsec: Number((ns % 1_000_000_000n) / 1000n) }));
      // The kernel's timezone is UTC (tz_minuteswest 0, tz_dsttime 0).
      if (tz !== 0) copyOut(mem, tz!, new Uint8Array(8));
      return 0;
    },
    time: ([tloc]) => {
      const sec = Number(realtime() / 1_000_000_000n);
      if (tloc !== 0 && !writeU64(mem, tloc!, sec)) fail("EFAULT");
      return sec;
    },
    clock_settime: ([clock, tp]) => {
      const c = int(clock!);
      source(c);
      if (c !== Clock.CLOCK_REALTIME) fail("EINVAL", "only CLOCK_REALTIME can be set");
      setRealtime(readTime(tp!, 1e9));
      return 0;
    },
    settimeofday: ([tv, tz]) => {
      if (tz !== 0) copyIn(mem, tz!, 8); // the timezone is read, and ignored (as Nanos)
      if (tv !== 0) setRealtime(readTime(tv!, 1e6));
      return 0;
    },
    adjtimex: ([buf]) => adjtimex(buf!),
    clock_adjtime: ([clock, buf]) => {
      const c = int(clock!);
      source(c);
      if (c !== Clock.CLOCK_REALTIME) fail("EOPNOTSUPP", "only CLOCK_REALTIME can be adjusted");
      return adjtimex(buf!);
    },
  };
}

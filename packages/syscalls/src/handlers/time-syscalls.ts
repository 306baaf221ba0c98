import { fail } from "../linux-error.js";
import { Clock } from "../linux-constants.js";
import { encodeTimespec } from "../structs/timespec.js";
import { writeU64 } from "../user-memory.js";
import { copyOut, int } from "./arg-helpers.js";
import type { HandlerEnv, HandlerGroup } from "./handler-env.js";

/** What a clock id reads. */
export type ClockSource = "realtime" | "monotonic" | "cpu";

const FIXED_CLOCKS = new Map<number, ClockSource>([
  [Clock.CLOCK_REALTIME, "realtime"], [Clock.CLOCK_REALTIME_COARSE, "realtime"], [Clock.CLOCK_TAI, "realtime"],
  [Clock.CLOCK_REALTIME_ALARM, "realtime"], [Clock.CLOCK_MONOTONIC, "monotonic"], [Clock.CLOCK_MONOTONIC_RAW, "monotonic"],
  [Clock.CLOCK_MONOTONIC_COARSE, "monotonic"], [Clock.CLOCK_BOOTTIME, "monotonic"], [Clock.CLOCK_BOOTTIME_ALARM, "monotonic"],
  [Clock.CLOCK_PROCESS_CPUTIME_ID, "cpu"], [Clock.CLOCK_THREAD_CPUTIME_ID, "cpu"],
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
  return pid === 0 || pid === (perThread ? tid : 1) ? "cpu" : undefined;
}

/** Clocks with timers: what clock_nanosleep, timer_create and timerfd_create accept. */
const TIMER_CLOCKS = new Map<number, "realtime" | "monotonic">([
  [Clock.CLOCK_REALTIME, "realtime"], [Clock.CLOCK_MONOTONIC, "monotonic"], [Clock.CLOCK_BOOTTIME, "monotonic"], [Clock.CLOCK_TAI, "realtime"],
]);
const EINVAL = 22;
const EOPNOTSUPP = 95;

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
  if (id < 0 || id === Clock.CLOCK_PROCESS_CPUTIME_ID || !FIXED_CLOCKS.has(id)) return -EINVAL;
  return -EOPNOTSUPP;
}

const timespecOf = (ns: bigint): Uint8Array => encodeTimespec({ sec: Number(ns / 1_000_000_000n), nsec: Number(ns % 1_000_000_000n) });

/**
 * The default clocks: the host's high-resolution clock, as nanoseconds since the Unix epoch
 * and since start-up (`performance.timeOrigin` is the epoch time of `performance.now()`'s 0,
 * so both clocks advance together at nanosecond resolution).
 * @internal
 */
export const hostClocks = {
  realtime: (): bigint => BigInt(Math.round(performance.timeOrigin * 1e6)) + BigInt(Math.round(performance.now() * 1e6)),
  monotonic: (): bigint => BigInt(Math.round(performance.now() * 1e6)),
};

/** Clocks: clock_gettime, clock_getres, gettimeofday, time. @internal */
export function timeSyscalls(env: HandlerEnv): HandlerGroup {
  const { mem } = env;
  const tid = env.ctx.tid ?? (() => 1);
  const source = (clock: number): ClockSource => clockSource(clock, tid()) ?? fail("EINVAL", `clock ${clock}`);
  const read = (clock: number): bigint => {
    switch (source(clock)) {
      case "realtime": return env.realtime();
      case "monotonic": return env.monotonic();
      // The process owns the vCPU for its whole life: its CPU time is the time since boot.
      case "cpu": return env.monotonic();
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
      const ns = env.realtime();
      if (tv !== 0) copyOut(mem, tv!, encodeTimespec({ sec: Number(ns / 1_000_000_000n), nsec: Number((ns % 1_000_000_000n) / 1000n) }));
      // The kernel's timezone is UTC (tz_minuteswest 0, tz_dsttime 0).
      if (tz !== 0) copyOut(mem, tz!, new Uint8Array(8));
      return 0;
    },
    time: ([tloc]) => {
      const sec = Number(env.realtime() / 1_000_000_000n);
      if (tloc !== 0 && !writeU64(mem, tloc!, sec)) fail("EFAULT");
      return sec;
    },
  };
}

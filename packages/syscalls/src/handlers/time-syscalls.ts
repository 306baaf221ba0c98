import { fail } from "../linux-error.js";
import { Clock } from "../linux-constants.js";
import { encodeTimespec } from "../structs/timespec.js";
import { writeU64 } from "../user-memory.js";
import { copyOut, int } from "./arg-helpers.js";
import type { HandlerEnv, HandlerGroup } from "./handler-env.js";

const REALTIME = new Set<number>([Clock.CLOCK_REALTIME, Clock.CLOCK_REALTIME_COARSE, Clock.CLOCK_TAI, Clock.CLOCK_REALTIME_ALARM]);
const MONOTONIC = new Set<number>([
  Clock.CLOCK_MONOTONIC, Clock.CLOCK_MONOTONIC_RAW, Clock.CLOCK_MONOTONIC_COARSE, Clock.CLOCK_BOOTTIME,
  Clock.CLOCK_BOOTTIME_ALARM, Clock.CLOCK_PROCESS_CPUTIME_ID, Clock.CLOCK_THREAD_CPUTIME_ID,
]);
const COARSE = new Set<number>([Clock.CLOCK_REALTIME_COARSE, Clock.CLOCK_MONOTONIC_COARSE]);

const timespecOf = (ns: bigint): Uint8Array => encodeTimespec({ sec: Number(ns / 1_000_000_000n), nsec: Number(ns % 1_000_000_000n) });

/** Clocks: clock_gettime, clock_getres, gettimeofday, time. @internal */
export function timeSyscalls(env: HandlerEnv): HandlerGroup {
  const { mem } = env;
  const read = (clock: number): bigint => {
    if (REALTIME.has(clock)) return env.realtime();
    if (MONOTONIC.has(clock)) return env.monotonic();
    fail("EINVAL", `clock ${clock}`);
  };
  return {
    clock_gettime: ([clock, tp]) => {
      copyOut(mem, tp!, timespecOf(read(int(clock!))));
      return 0;
    },
    clock_getres: ([clock, tp]) => {
      const c = int(clock!);
      read(c);
      if (tp !== 0) copyOut(mem, tp!, encodeTimespec({ sec: 0, nsec: COARSE.has(c) ? 4_000_000 : 1 }));
      return 0;
    },
    gettimeofday: ([tv, tz]) => {
      const ns = env.realtime();
      if (tv !== 0) copyOut(mem, tv!, encodeTimespec({ sec: Number(ns / 1_000_000_000n), nsec: Number((ns % 1_000_000_000n) / 1000n) }));
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

import { hex } from "./flag-names.js";
import { getI64, le } from "./structs/bytes-view.js";
import type { UserMemory } from "./user-memory.js";

// How strace shows the arguments of the interval and POSIX timer calls: setitimer's `which`
// and the itimerval / itimerspec pairs (interval first, as the structs lay them out). Each
// reads guest memory and falls back to the address. @internal

const ITIMERS = ["ITIMER_REAL", "ITIMER_VIRTUAL", "ITIMER_PROF"];

/** `ITIMER_REAL`, or the number for an unknown timer. */
export function formatItimerWhich(which: number): string {
  return ITIMERS[which] ?? String(which);
}

/**
 * `{it_interval={tv_sec=0, tv_usec=0}, it_value={tv_sec=1, tv_usec=0}}`: a `struct itimerval`
 * (`usec`) or `struct itimerspec` (`nsec`) at `addr`.
 */
export function formatIntervalTimer(mem: UserMemory, addr: number, unit: "usec" | "nsec"): string {
  if (addr === 0) return "NULL";
  const b = mem.read(addr, 32);
  if (b === undefined) return hex(addr);
  const v = le(b);
  const time = (at: number): string => `{tv_sec=${getI64(v, at)}, tv_${unit}=${getI64(v, at + 8)}}`;
  return `{it_interval=${time(0)}, it_value=${time(16)}}`;
}

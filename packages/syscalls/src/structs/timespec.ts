import { getI64, le, set64 } from "./bytes-view.js";

/** `struct timespec` (and `struct timeval`, whose second field is microseconds). */
export interface Timespec {
  /** Seconds. */
  sec: number;
  /** Nanoseconds (`timespec`) or microseconds (`timeval`). */
  nsec: number;
}

/** Size of `struct timespec` and `struct timeval` on x86-64. */
export const TIMESPEC_SIZE = 16;

/** Encodes a `struct timespec` (16 bytes: `tv_sec`, `tv_nsec`). */
export function encodeTimespec(t: Timespec): Uint8Array {
  const b = new Uint8Array(TIMESPEC_SIZE);
  const v = le(b);
  set64(v, 0, t.sec);
  set64(v, 8, t.nsec);
  return b;
}

/** Decodes a `struct timespec` from its 16 bytes. */
export function decodeTimespec(b: Uint8Array): Timespec {
  const v = le(b);
  return { sec: getI64(v, 0), nsec: getI64(v, 8) };
}

/** A time in nanoseconds as a `timespec` (floor seconds, non-negative nanoseconds). */
export function timespecFromNanos(ns: number): Timespec {
  const sec = Math.floor(ns / 1e9);
  return { sec, nsec: Math.round(ns - sec * 1e9) };
}

/** A `struct timeval` (16 bytes: `tv_sec`, `tv_usec`) for a time in nanoseconds. */
export function encodeTimeval(ns: number): Uint8Array {
  const sec = Math.floor(ns / 1e9);
  return encodeTimespec({ sec, nsec: Math.floor((ns - sec * 1e9) / 1000) });
}

/** True when a `timespec` read from the guest is valid: `0 <= tv_nsec < 10^9`, `tv_sec >= 0`. */
export function isValidTimespec(t: Timespec): boolean {
  return t.sec >= 0 && t.nsec >= 0 && t.nsec < 1e9;
}

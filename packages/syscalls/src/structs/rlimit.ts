import { le } from "./bytes-view.js";

/** `struct rlimit`; `Infinity` stands for `RLIM_INFINITY` (all ones). */
export interface RlimitData {
  /** `rlim_cur`: the soft limit. */
  cur: number;
  /** `rlim_max`: the hard limit. */
  max: number;
}

/** Size of `struct rlimit`. */
export const RLIMIT_SIZE = 16;

const INFINITY = 2n ** 64n - 1n;

const toField = (n: number): bigint => (n === Infinity ? INFINITY : BigInt.asUintN(64, BigInt(Math.trunc(n))));
const fromField = (n: bigint): number => (n === INFINITY ? Infinity : Number(n));

/** Encodes `struct rlimit` (two u64: `rlim_cur`, `rlim_max`). */
export function encodeRlimit(r: RlimitData): Uint8Array {
  const b = new Uint8Array(RLIMIT_SIZE);
  const v = le(b);
  v.setBigUint64(0, toField(r.cur), true);
  v.setBigUint64(8, toField(r.max), true);
  return b;
}

/** Decodes `struct rlimit`. */
export function decodeRlimit(b: Uint8Array): RlimitData {
  const v = le(b);
  return { cur: fromField(v.getBigUint64(0, true)), max: fromField(v.getBigUint64(8, true)) };
}

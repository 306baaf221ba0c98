import { getU64, le, set64 } from "./bytes-view.js";

/** One `struct iovec`: a guest buffer. */
export interface Iovec {
  /** `iov_base`. */
  readonly base: number;
  /** `iov_len`. */
  readonly len: number;
}

/** Size of `struct iovec` on x86-64. */
export const IOVEC_SIZE = 16;

/** Encodes an array of `struct iovec` (`void *iov_base; size_t iov_len`). */
export function encodeIovecs(iovs: readonly Iovec[]): Uint8Array {
  const b = new Uint8Array(iovs.length * IOVEC_SIZE);
  const v = le(b);
  iovs.forEach((io, i) => {
    set64(v, i * IOVEC_SIZE, io.base);
    set64(v, i * IOVEC_SIZE + 8, io.len);
  });
  return b;
}

/** Decodes an array of `struct iovec` (as many as fit in `b`). */
export function decodeIovecs(b: Uint8Array): Iovec[] {
  const v = le(b);
  const out: Iovec[] = [];
  for (let i = 0; i + IOVEC_SIZE <= b.length; i += IOVEC_SIZE) out.push({ base: getU64(v, i), len: getU64(v, i + 8) });
  return out;
}

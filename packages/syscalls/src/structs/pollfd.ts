import { le } from "./bytes-view.js";

/** `struct pollfd`. */
export interface Pollfd {
  /** The fd to watch (negative: ignored). */
  fd: number;
  /** Requested events (`POLLIN`…). */
  events: number;
  /** Returned events. */
  revents: number;
}

/** Size of `struct pollfd`. */
export const POLLFD_SIZE = 8;

/** Encodes an array of `struct pollfd` (`int fd; short events; short revents`). */
export function encodePollfds(fds: readonly Pollfd[]): Uint8Array {
  const b = new Uint8Array(fds.length * POLLFD_SIZE);
  const v = le(b);
  fds.forEach((p, i) => {
    v.setInt32(i * 8, p.fd, true);
    v.setInt16(i * 8 + 4, p.events, true);
    v.setInt16(i * 8 + 6, p.revents, true);
  });
  return b;
}

/** Decodes an array of `struct pollfd` (as many as fit in `b`). */
export function decodePollfds(b: Uint8Array): Pollfd[] {
  const v = le(b);
  const out: Pollfd[] = [];
  for (let i = 0; i + POLLFD_SIZE <= b.length; i += POLLFD_SIZE) {
    out.push({ fd: v.getInt32(i, true), events: v.getUint16(i + 4, true), revents: v.getUint16(i + 6, true) });
  }
  return out;
}

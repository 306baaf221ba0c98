import { le } from "./bytes-view.js";

/** `struct epoll_event`. `data` is the 64-bit user value, kept as a bigint because programs store pointers and tags in all 64 bits. */
export interface EpollEvent {
  /** `EPOLLIN`, `EPOLLOUT`… bits. */
  events: number;
  /** The user's 64-bit value, handed back with each event. */
  data: bigint;
}

/** Size of `struct epoll_event` on x86-64: it is packed (`events` at 0, `data` at 4). */
export const EPOLL_EVENT_SIZE = 12;

/** Encodes an array of `struct epoll_event`. */
export function encodeEpollEvents(events: readonly EpollEvent[]): Uint8Array {
  const b = new Uint8Array(events.length * EPOLL_EVENT_SIZE);
  const v = le(b);
  events.forEach((e, i) => {
    v.setUint32(i * EPOLL_EVENT_SIZE, e.events >>> 0, true);
    v.setBigUint64(i * EPOLL_EVENT_SIZE + 4, BigInt.asUintN(64, e.data), true);
  });
  return b;
}

/** Decodes an array of `struct epoll_event` (as many as fit in `b`). */
export function decodeEpollEvents(b: Uint8Array): EpollEvent[] {
  const v = le(b);
  const out: EpollEvent[] = [];
  for (let i = 0; i + EPOLL_EVENT_SIZE <= b.length; i += EPOLL_EVENT_SIZE) {
    out.push({ events: v.getUint32(i, true), data: v.getBigUint64(i + 4, true) });
  }
  return out;
}

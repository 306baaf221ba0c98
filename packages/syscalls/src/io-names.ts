import { formatEnum, formatFlags, hex, type Names } from "./flag-names.js";
import type { UserMemory } from "./user-memory.js";

// How strace shows the fd-based I/O calls' arguments: epoll_ctl's operation and event, the
// eventfd, timerfd and epoll_create1 flags. @internal

const EPOLL_OPS: Names = { EPOLL_CTL_ADD: 1, EPOLL_CTL_DEL: 2, EPOLL_CTL_MOD: 3 };
const EPOLL_EVENTS: Names = {
  EPOLLIN: 0x1, EPOLLPRI: 0x2, EPOLLOUT: 0x4, EPOLLERR: 0x8, EPOLLHUP: 0x10, EPOLLRDNORM: 0x40, EPOLLRDBAND: 0x80,
  EPOLLWRNORM: 0x100, EPOLLWRBAND: 0x200, EPOLLMSG: 0x400, EPOLLRDHUP: 0x2000, EPOLLEXCLUSIVE: 1 << 28,
  EPOLLWAKEUP: 1 << 29, EPOLLONESHOT: 1 << 30, EPOLLET: 2 ** 31,
};
const EFD_FLAGS: Names = { EFD_SEMAPHORE: 1, EFD_NONBLOCK: 0o4000, EFD_CLOEXEC: 0o2000000 };
const TFD_FLAGS: Names = { TFD_NONBLOCK: 0o4000, TFD_CLOEXEC: 0o2000000 };
const TFD_SETTIME: Names = { TFD_TIMER_ABSTIME: 1, TFD_TIMER_CANCEL_ON_SET: 2 };
const EPOLL_CREATE: Names = { EPOLL_CLOEXEC: 0o2000000 };

/** `EPOLLIN|EPOLLET`, `0`. */
export const formatEpollEvents = (v: number): string => formatFlags(v >>> 0, EPOLL_EVENTS);

/** `{events=EPOLLIN|EPOLLET, data=0x2a}`: the struct epoll_event at `addr` (NULL, or the address if unreadable). */
export function formatEpollEvent(mem: UserMemory, addr: number): string {
  if (addr === 0) return "NULL";
  const b = mem.read(addr, 12);
  if (b === undefined) return hex(addr);
  const v = new DataView(b.buffer, b.byteOffset, 12);
  return `{events=${formatEpollEvents(v.getUint32(0, true))}, data=${hex(Number(v.getBigUint64(4, true)))}}`;
}

/** Symbolic formatters of the fd-based I/O calls' arguments, by argument kind. */
export const IO_SYMBOLIC: Readonly<Record<string, (v: number) => string>> = {
  epollop: (v) => formatEnum(v | 0, EPOLL_OPS),
  epollflags: (v) => formatFlags(v >>> 0, EPOLL_CREATE),
  efdflags: (v) => formatFlags(v >>> 0, EFD_FLAGS),
  tfdflags: (v) => formatFlags(v >>> 0, TFD_FLAGS),
  tfdsettime: (v) => formatFlags(v >>> 0, TFD_SETTIME),
};

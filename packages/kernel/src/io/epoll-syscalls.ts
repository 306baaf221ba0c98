// epoll_create, epoll_create1, epoll_ctl, epoll_wait and epoll_pwait with Linux's checks, in
// Linux's order (the event is copied in first, then the fds, then the rules between them).
import { fail, FdTable, type SyscallHandler, type UserMemory } from "@nanots/syscalls";
import type { Scheduler } from "../threads/scheduler.js";
import { waitAndRestart } from "./blocking.js";
import { applyCallSigmask } from "./call-sigmask.js";
import { Epoll, EPOLLET, EPOLLEXCLUSIVE, EPOLLWAKEUP } from "./epoll.js";
import { isPollable, Ready } from "./readiness.js";

const O_CLOEXEC = 0o2000000;
const EPOLL_CTL_ADD = 1;
const EPOLL_CTL_DEL = 2;
const EPOLL_CTL_MOD = 3;
const EPOLL_EVENT_SIZE = 12;
/** Linux's EP_MAX_EVENTS: INT_MAX / sizeof(struct epoll_event). */
const EP_MAX_EVENTS = Math.floor(0x7fffffff / EPOLL_EVENT_SIZE);
/** The events EPOLLEXCLUSIVE may be combined with. */
const EXCLUSIVE_OK = Ready.IN | Ready.OUT | Ready.RDNORM | Ready.WRNORM | 0x80 | 0x200 | Ready.ERR | Ready.HUP | EPOLLWAKEUP | EPOLLET | EPOLLEXCLUSIVE;
/** The top of user space: epoll_wait refuses an events array beyond it at once. */
const USER_TOP = 2 ** 47;

/** What the epoll syscalls act on. */
export interface EpollContext {
  scheduler: Scheduler;
  memory: UserMemory;
  fds: FdTable;
}

/** Overrides for `createSyscalls`. */
export function epollSyscalls(ctx: EpollContext): Record<string, SyscallHandler> {
  const { scheduler, memory, fds } = ctx;
  const create = (cloexec: boolean): number => fds.install(new Epoll(0, fds), cloexec);

  const wait = (epfd: number, events: number, maxevents: number, timeout: number): number => {
    if (maxevents <= 0 || maxevents > EP_MAX_EVENTS) fail("EINVAL", "maxevents");
    if (events + maxevents * EPOLL_EVENT_SIZE > USER_TOP) fail("EFAULT");
    const ep = fds.get(epfd);
    if (!(ep instanceof Epoll)) fail("EINVAL", "not an epoll fd");
    const ready = ep.collect(maxevents);
    if (ready.length === 0) {
      if (timeout === 0) return 0;
      waitAndRestart(scheduler, ep.readiness, timeout < 0 ? Infinity : performance.now() + timeout, 0);
    }
    const out = new Uint8Array(ready.length * EPOLL_EVENT_SIZE);
    const v = new DataView(out.buffer);
    ready.forEach(({ interest, bits }, k) => {
      v.setUint32(k * EPOLL_EVENT_SIZE, bits >>> 0, true);
      v.setBigUint64(k * EPOLL_EVENT_SIZE + 4, interest.data, true);
    });
    if (!memory.write(events, out)) {
      ep.unreport(ready);
      fail("EFAULT");
    }
    return ready.length;
  };

  return {
    epoll_create: ([size]) => {
      if ((size! | 0) <= 0) fail("EINVAL", "size must be positive");
      return create(false);
    },
    epoll_create1: ([flags]) => {
      if (((flags! | 0) & ~O_CLOEXEC) !== 0) fail("EINVAL", "flags");
      return create(((flags! | 0) & O_CLOEXEC) !== 0);
    },
    epoll_ctl: ([epfd, opArg, fdArg, event]) => {
      const op = opArg! | 0;
      const fd = fdArg! | 0;
      let events = 0;
      let data = 0n;
      if (op !== EPOLL_CTL_DEL) {
        const bytes = memory.read(event!, EPOLL_EVENT_SIZE);
        if (bytes === undefined) fail("EFAULT");
        const v = new DataView(bytes.buffer, bytes.byteOffset, EPOLL_EVENT_SIZE);
        events = v.getUint32(0, true) | 0;
        data = v.getBigUint64(4, true);
      }
      const ep = fds.get(epfd! | 0);
      const target = fds.get(fd);
      if (!isPollable(target)) fail("EPERM", "regular files and directories are always ready");
      if (target === ep || !(ep instanceof Epoll)) fail("EINVAL", epfd === fd ? "an epoll fd cannot watch itself" : "not an epoll fd");
      if ((events & EPOLLEXCLUSIVE) !== 0 && op !== EPOLL_CTL_DEL) {
        if (op === EPOLL_CTL_MOD) fail("EINVAL", "EPOLLEXCLUSIVE with EPOLL_CTL_MOD");
        if (op === EPOLL_CTL_ADD && (target instanceof Epoll || (events & ~EXCLUSIVE_OK) !== 0)) fail("EINVAL", "EPOLLEXCLUSIVE with these events");
      }
      const interest = ep.find(fd, target);
      switch (op) {
        case EPOLL_CTL_ADD:
          if (interest !== undefined) fail("EEXIST");
          ep.add(fd, target, events, data);
          return 0;
        case EPOLL_CTL_DEL:
          if (interest === undefined) fail("ENOENT");
          ep.remove(interest);
          return 0;
        case EPOLL_CTL_MOD:
          if (interest === undefined) fail("ENOENT");
          if ((interest.events & EPOLLEXCLUSIVE) !== 0) fail("EINVAL", "an EPOLLEXCLUSIVE interest cannot be modified");
          ep.modify(interest, events, data);
          return 0;
        default:
          fail("EINVAL", `op ${op}`);
      }
    },
    epoll_wait: ([epfd, events, maxevents, timeout]) => wait(epfd! | 0, events!, maxevents! | 0, timeout! | 0),
    epoll_pwait: ([epfd, events, maxevents, timeout, sigmask, sigsetsize]) => {
      applyCallSigmask(scheduler, memory, sigmask!, sigsetsize!);
      return wait(epfd! | 0, events!, maxevents! | 0, timeout! | 0);
    },
  };
}

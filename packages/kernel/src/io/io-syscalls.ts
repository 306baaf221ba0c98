// pipe, eventfd and epoll: the pollable descriptions, blocking through the scheduler.
import { decodePollfds, encodePollfds, FdTable, fail, POLLFD_SIZE, type SyscallHandler, type UserMemory } from "@nanots/syscalls";
import type { Scheduler } from "../threads/scheduler.js";
import { timespecMs } from "../threads/thread-syscalls.js";
import { waitAndRestart } from "./blocking.js";
import { Epoll } from "./epoll.js";
import { EFD_SEMAPHORE, EventFd } from "./eventfd.js";
import { Pipe, PipeEnd } from "./pipe.js";
import { isPollable, Ready, type Readiness } from "./readiness.js";
import { timerFdSyscalls } from "./timerfd-syscalls.js";

const O_NONBLOCK = 0o4000;
const O_CLOEXEC = 0o2000000;
const EPOLL_CTL_ADD = 1;
const EPOLL_CTL_DEL = 2;
const EPOLL_CTL_MOD = 3;
const EPOLL_EVENT_SIZE = 12;

/** What the I/O syscalls act on. */
export interface IoContext {
  scheduler: Scheduler;
  memory: UserMemory;
  fds: FdTable;
}

/** Overrides for `createSyscalls`. */
export function ioSyscalls(ctx: IoContext): Record<string, SyscallHandler> {
  const { scheduler, memory, fds } = ctx;
  const pipe2: SyscallHandler = ([fildes, flags = 0]) => {
    const f = flags | 0;
    if ((f & ~(O_NONBLOCK | O_CLOEXEC)) !== 0) fail("EINVAL");
    const pipe = new Pipe();
    const r = fds.install(new PipeEnd(pipe, true, f, scheduler), (f & O_CLOEXEC) !== 0);
    const w = fds.install(new PipeEnd(pipe, false, f, scheduler), (f & O_CLOEXEC) !== 0);
    const out = new Uint8Array(8);
    new DataView(out.buffer).setInt32(0, r, true);
    new DataView(out.buffer).setInt32(4, w, true);
    if (!memory.write(fildes!, out)) {
      fds.close(r);
      fds.close(w);
      fail("EFAULT");
    }
    return 0;
  };
  const eventfd2: SyscallHandler = ([initval, flags = 0]) => {
    const f = flags | 0;
    if ((f & ~(O_NONBLOCK | O_CLOEXEC | EFD_SEMAPHORE)) !== 0) fail("EINVAL");
    return fds.install(new EventFd(initval!, (f & EFD_SEMAPHORE) !== 0, f, scheduler), (f & O_CLOEXEC) !== 0);
  };
  const epollOf = (epfd: number): Epoll => {
    const d = fds.get(epfd);
    if (!(d instanceof Epoll)) fail("EINVAL", "not an epoll fd");
    return d;
  };
  const epollWait: SyscallHandler = ([epfd, events, maxevents, timeout]) => {
    const max = maxevents! | 0;
    if (max <= 0 || max > 0x7fffffff / EPOLL_EVENT_SIZE) fail("EINVAL");
    const ep = epollOf(epfd!);
    const ready = ep.collect(max);
    if (ready.length === 0) {
      const ms = timeout! | 0;
      if (ms === 0) return 0;
      waitAndRestart(scheduler, ep.readiness, ms < 0 ? Infinity : performance.now() + ms, 0);
    }
    const out = new Uint8Array(ready.length * EPOLL_EVENT_SIZE);
    const v = new DataView(out.buffer);
    ready.forEach(([bits, data], k) => {
      v.setUint32(k * EPOLL_EVENT_SIZE, bits >>> 0, true);
      v.setBigUint64(k * EPOLL_EVENT_SIZE + 4, data, true);
    });
    if (!memory.write(events!, out)) fail("EFAULT");
    return ready.length;
  };
  /** poll and ppoll: readiness of each fd; blocks (restarting) until one is ready or the timeout. */
  const poll = (fdsAddr: number, nfds: number, timeoutMs: number): number => {
    if (nfds < 0 || nfds > 65536) fail("EINVAL");
    const bytes = memory.read(fdsAddr, nfds * POLLFD_SIZE);
    if (bytes === undefined) fail("EFAULT");
    const entries = decodePollfds(bytes);
    let ready = 0;
    const watched: Readiness[] = [];
    for (const e of entries) {
      e.revents = 0;
      if (e.fd < 0) continue;
      if (!fds.has(e.fd)) {
        e.revents = 0x20; // POLLNVAL
      } else {
        const d = fds.get(e.fd);
        const bits = isPollable(d) ? d.poll() : Ready.IN | Ready.OUT;
        if (isPollable(d)) watched.push(d.readiness);
        // poll's IN/OUT/ERR/HUP bits are epoll's; ERR and HUP are reported whether asked or not.
        e.revents = bits & (e.events | Ready.ERR | Ready.HUP);
      }
      if (e.revents !== 0) ready++;
    }
    if (ready === 0 && timeoutMs !== 0) waitAndRestart(scheduler, watched, timeoutMs < 0 ? Infinity : performance.now() + timeoutMs, 0);
    if (!memory.write(fdsAddr, encodePollfds(entries))) fail("EFAULT");
    return ready;
  };
  /** A timeout argument: -1 (wait forever) for NULL, else milliseconds of a timespec or timeval. */
  const timeoutMs = (addr: number, perSecond = 1e9): number => {
    if (addr === 0) return -1;
    const ms = timespecMs(memory, addr, perSecond);
    if (ms === undefined) fail("EFAULT");
    if (Number.isNaN(ms)) fail("EINVAL");
    return ms;
  };
  /** select and pselect6: fd_set bitmaps for reading, writing and exceptions. */
  const select = (nfds: number, readAddr: number, writeAddr: number, exceptAddr: number, timeoutMs: number): number => {
    if (nfds < 0 || nfds > 65536) fail("EINVAL");
    const words = Math.ceil(nfds / 64);
    const load = (addr: number): Uint8Array | undefined => {
      if (addr === 0) return undefined;
      const b = memory.read(addr, words * 8);
      if (b === undefined) fail("EFAULT");
      return b;
    };
    const sets = [load(readAddr), load(writeAddr), load(exceptAddr)];
    const wanted = [Ready.IN | Ready.HUP | Ready.ERR, Ready.OUT | Ready.ERR, 0];
    const out = sets.map((b) => (b === undefined ? undefined : new Uint8Array(b.length)));
    const watched: Readiness[] = [];
    let ready = 0;
    for (let fd = 0; fd < nfds; fd++) {
      const asked = sets.some((b) => b !== undefined && (b[fd >> 3]! & (1 << (fd & 7))) !== 0);
      if (!asked) continue;
      if (!fds.has(fd)) fail("EBADF");
      const d = fds.get(fd);
      const bits = isPollable(d) ? d.poll() : Ready.IN | Ready.OUT;
      if (isPollable(d)) watched.push(d.readiness);
      sets.forEach((b, k) => {
        if (b === undefined || (b[fd >> 3]! & (1 << (fd & 7))) === 0 || (bits & wanted[k]!) === 0) return;
        out[k]![fd >> 3]! |= 1 << (fd & 7);
        ready++;
      });
    }
    if (ready === 0 && timeoutMs !== 0) waitAndRestart(scheduler, watched, timeoutMs < 0 ? Infinity : performance.now() + timeoutMs, 0);
    [readAddr, writeAddr, exceptAddr].forEach((addr, k) => {
      if (addr !== 0 && !memory.write(addr, out[k]!)) fail("EFAULT");
    });
    return ready;
  };
  return {
    ...timerFdSyscalls(ctx),
    select: ([nfds, r, w, e, timeout]) => select(nfds! | 0, r!, w!, e!, timeoutMs(timeout!, 1e6)),
    pselect6: ([nfds, r, w, e, timeout]) => select(nfds! | 0, r!, w!, e!, timeoutMs(timeout!)),
    poll: ([fdsAddr, nfds, timeout]) => poll(fdsAddr!, nfds! | 0, timeout! | 0),
    ppoll: ([fdsAddr, nfds, timeout]) => poll(fdsAddr!, nfds! | 0, timeoutMs(timeout!)),
    pipe: ([fildes]) => pipe2([fildes!, 0]),
    pipe2,
    eventfd: ([initval]) => eventfd2([initval!, 0]),
    eventfd2,
    epoll_create: ([size]) => {
      if ((size! | 0) <= 0) fail("EINVAL");
      return fds.install(new Epoll(0), false);
    },
    epoll_create1: ([flags]) => {
      if (((flags! | 0) & ~O_CLOEXEC) !== 0) fail("EINVAL");
      return fds.install(new Epoll(0), ((flags! | 0) & O_CLOEXEC) !== 0);
    },
    epoll_ctl: ([epfd, op, fd, event]) => {
      const ep = epollOf(epfd!);
      const target = fds.get(fd!);
      if (fd === epfd) fail("EINVAL");
      if (!isPollable(target) && !(target instanceof Epoll)) fail("EPERM", "regular files and directories are always ready");
      if (op === EPOLL_CTL_DEL) {
        if (!ep.interests.has(fd!)) fail("ENOENT");
        ep.remove(fd!);
        return 0;
      }
      const bytes = memory.read(event!, EPOLL_EVENT_SIZE);
      if (bytes === undefined) fail("EFAULT");
      const v = new DataView(bytes.buffer, bytes.byteOffset, EPOLL_EVENT_SIZE);
      const bits = v.getUint32(0, true) | 0;
      const data = v.getBigUint64(4, true);
      if (op === EPOLL_CTL_ADD) {
        if (ep.interests.has(fd!)) fail("EEXIST");
        ep.add(fd!, target, bits, data);
        ep.readiness.notify();
        return 0;
      }
      if (op === EPOLL_CTL_MOD) {
        if (!ep.interests.has(fd!)) fail("ENOENT");
        ep.modify(fd!, bits, data);
        ep.readiness.notify();
        return 0;
      }
      fail("EINVAL");
    },
    epoll_wait: epollWait,
    epoll_pwait: ([epfd, events, maxevents, timeout]) => epollWait([epfd!, events!, maxevents!, timeout!]),
  };
}


// The kernel's fd-based I/O: pipes and eventfd here, with epoll, poll/select and timerfd from
// their own tables, all blocking through the scheduler.
import { FdTable, fail, type SyscallHandler, type UserMemory } from "@nanots/syscalls";
import type { Scheduler } from "../threads/scheduler.js";
import { epollSyscalls } from "./epoll-syscalls.js";
import { EFD_SEMAPHORE, EventFd } from "./eventfd.js";
import { writeFdPair } from "./fd-pair.js";
import { Pipe, PipeEnd } from "./pipe.js";
import { pollSyscalls } from "./poll-syscalls.js";
import { timerFdSyscalls } from "./timerfd-syscalls.js";

const O_NONBLOCK = 0o4000;
const O_CLOEXEC = 0o2000000;
const O_DIRECT = 0o40000;

/** What the I/O syscalls act on. */
export interface IoContext {
  scheduler: Scheduler;
  memory: UserMemory;
  fds: FdTable;
  /** Sends a signal to the calling thread (SIGPIPE); default: none is sent. */
  raise?: (signal: number) => void;
}

/**
 * The fd-based I/O syscalls as overrides for `createSyscalls` (`boot` registers them): pipe,
 * pipe2, eventfd, eventfd2, timerfd_create/settime/gettime, epoll_create/create1/ctl/wait/pwait,
 * poll, ppoll, select, pselect6.
 *
 * @example
 * ```ts
 * createSyscalls({ ...ctx, overrides: { ...ioSyscalls({ scheduler, memory, fds, raise }) } });
 * ```
 */
export function ioSyscalls(ctx: IoContext): Record<string, SyscallHandler> {
  const { scheduler, memory, fds } = ctx;
  const pipe2: SyscallHandler = ([fildes, flags = 0]) => {
    const f = flags | 0;
    // O_DIRECT (packet mode) is accepted as Linux does; its pipes keep byte-stream semantics.
    if ((f & ~(O_NONBLOCK | O_CLOEXEC | O_DIRECT)) !== 0) fail("EINVAL", "flags");
    const pipe = new Pipe();
    const cloexec = (f & O_CLOEXEC) !== 0;
    const r = fds.install(new PipeEnd(pipe, true, f, scheduler), cloexec);
    const w = fds.install(new PipeEnd(pipe, false, f, scheduler, ctx.raise), cloexec);
    writeFdPair(memory, fds, fildes!, r, w);
    return 0;
  };
  const eventfd2: SyscallHandler = ([initval, flags = 0]) => {
    const f = flags | 0;
    if ((f & ~(O_NONBLOCK | O_CLOEXEC | EFD_SEMAPHORE)) !== 0) fail("EINVAL", "flags");
    return fds.install(new EventFd(initval!, (f & EFD_SEMAPHORE) !== 0, f, scheduler), (f & O_CLOEXEC) !== 0);
  };
  return {
    ...timerFdSyscalls(ctx),
    ...epollSyscalls(ctx),
    ...pollSyscalls(ctx),
    pipe: ([fildes]) => pipe2([fildes!, 0]),
    pipe2,
    eventfd: ([initval]) => eventfd2([initval!, 0]),
    eventfd2,
  };
}

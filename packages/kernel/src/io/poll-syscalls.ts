// poll, ppoll, select and pselect6 over the readiness mechanism: each fd's readiness now, and
// when none is ready a wait (restarting the call) until one of them has an event or the timeout.
import { decodePollfds, decodeTimespec, encodePollfds, fail, FdTable, POLLFD_SIZE, TIMESPEC_SIZE, type SyscallHandler, type UserMemory } from "@nanots/syscalls";
import { ThreadState } from "../threads/guest-thread.js";
import type { Scheduler } from "../threads/scheduler.js";
import { timespecMs } from "../threads/thread-syscalls.js";
import { waitAndRestart } from "./blocking.js";
import { applyCallSigmask } from "./call-sigmask.js";
import { isPollable, Ready, type Readiness } from "./readiness.js";

const POLLNVAL = 0x20;
/** poll's limit on nfds: RLIMIT_NOFILE as Nanos reports it. */
const MAX_POLL_FDS = 65536;
/** select's sets: readable, writable, exceptional conditions (Linux's POLLIN_SET…). */
const SELECT_WANTS = [Ready.IN | Ready.RDNORM | 0x80 | Ready.HUP | Ready.ERR, Ready.OUT | Ready.WRNORM | 0x200 | Ready.ERR, Ready.PRI];

/** What the polling syscalls act on. */
export interface PollContext {
  scheduler: Scheduler;
  memory: UserMemory;
  fds: FdTable;
}

/**
 * The size of Linux's fd table holding these fds: 64 slots, then at least 256, doubling
 * (select ignores set bits beyond it; measured on Linux 6.18).
 */
function fdTableSize(fds: FdTable): number {
  const open = fds.fds();
  const highest = open[open.length - 1] ?? 0;
  if (highest < 64) return 64;
  let size = 256;
  while (highest >= size) size *= 2;
  return size;
}

/** Overrides for `createSyscalls`. */
export function pollSyscalls(ctx: PollContext): Record<string, SyscallHandler> {
  const { scheduler, memory, fds } = ctx;
  /** An fd's readiness; files, directories and the console are always readable and writable. */
  const readinessOf = (fd: number, watched: Readiness[]): number => {
    const d = fds.get(fd);
    if (!isPollable(d)) return Ready.IN | Ready.OUT | Ready.RDNORM | Ready.WRNORM;
    watched.push(d.readiness);
    return d.poll();
  };
  const block = (watched: Readiness[], timeoutMs: number): never =>
    waitAndRestart(scheduler, watched, timeoutMs < 0 ? Infinity : performance.now() + timeoutMs, 0);

  const poll = (fdsAddr: number, nfds: number, timeoutMs: number): number => {
    if (nfds < 0 || nfds > MAX_POLL_FDS) fail("EINVAL", "nfds");
    const bytes = memory.read(fdsAddr, nfds * POLLFD_SIZE);
    if (bytes === undefined) fail("EFAULT");
    const entries = decodePollfds(bytes);
    let ready = 0;
    const watched: Readiness[] = [];
    for (const e of entries) {
      e.revents = 0;
      if (e.fd < 0) continue; // ignored, as poll(2) documents
      // POLLERR and POLLHUP are reported whether asked for or not.
      e.revents = fds.has(e.fd) ? readinessOf(e.fd, watched) & ((e.events & 0xffff) | Ready.ERR | Ready.HUP) : POLLNVAL;
      if (e.revents !== 0) ready++;
    }
    // Written before a wait too: a timeout returns with every revents cleared.
    if (!memory.write(fdsAddr, encodePollfds(entries))) fail("EFAULT");
    if (ready === 0 && timeoutMs !== 0) block(watched, timeoutMs);
    return ready;
  };

  /** A timespec timeout argument: -1 (wait forever) for NULL, else milliseconds. */
  const timeoutArg = (addr: number): number => {
    if (addr === 0) return -1;
    const ms = timespecMs(memory, addr);
    if (ms === undefined) fail("EFAULT");
    if (Number.isNaN(ms)) fail("EINVAL", "timeout out of range");
    return ms;
  };
  /** select's timeval: microseconds past a second carry over, as Linux normalises them. */
  const timevalArg = (addr: number): number => {
    if (addr === 0) return -1;
    const b = memory.read(addr, TIMESPEC_SIZE);
    if (b === undefined) fail("EFAULT");
    const { sec, nsec: usec } = decodeTimespec(b);
    const whole = sec + Math.trunc(usec / 1e6);
    if (whole < 0 || usec % 1e6 < 0) fail("EINVAL", "timeout out of range");
    return whole * 1000 + (usec % 1e6) / 1000;
  };
  const select = (nfdsArg: number, sets: number[], timeoutMs: number): number => {
    if (nfdsArg < 0) fail("EINVAL", "nfds");
    const nfds = Math.min(nfdsArg, fdTableSize(fds));
    const bytes = Math.ceil(nfds / 64) * 8;
    const inputs = sets.map((addr) => {
      if (addr === 0) return undefined;
      const b = memory.read(addr, bytes);
      if (b === undefined) fail("EFAULT");
      return b;
    });
    const outputs = inputs.map((b) => (b === undefined ? undefined : new Uint8Array(b.length)));
    const isSet = (b: Uint8Array | undefined, fd: number): boolean => b !== undefined && (b[fd >> 3]! & (1 << (fd & 7))) !== 0;
    const watched: Readiness[] = [];
    let ready = 0;
    for (let fd = 0; fd < nfds; fd++) {
      if (!inputs.some((b) => isSet(b, fd))) continue;
      if (!fds.has(fd)) fail("EBADF", `fd ${fd} is not open`);
      const bits = readinessOf(fd, watched);
      inputs.forEach((b, k) => {
        if (!isSet(b, fd) || (bits & SELECT_WANTS[k]!) === 0) return;
        outputs[k]![fd >> 3]! |= 1 << (fd & 7);
        ready++;
      });
    }
    const writeSets = (): boolean => sets.every((addr, k) => addr === 0 || memory.write(addr, outputs[k]!));
    if (ready === 0 && timeoutMs !== 0) {
      // The sets are the call's input until it returns: cleared only if the timeout ends it.
      if (timeoutMs > 0) {
        const thread = scheduler.current;
        const deadline = performance.now() + timeoutMs;
        scheduler.timers.add(deadline, () => {
          if (thread.state === ThreadState.Blocked && thread.wait?.deadline === deadline) writeSets();
        });
        waitAndRestart(scheduler, watched, deadline, 0);
      }
      block(watched, timeoutMs);
    }
    if (!writeSets()) fail("EFAULT");
    return ready;
  };

  return {
    poll: ([fdsAddr, nfds, timeout]) => poll(fdsAddr!, nfds! | 0, timeout! | 0),
    ppoll: ([fdsAddr, nfds, timeout, sigmask, sigsetsize]) => {
      const ms = timeoutArg(timeout!);
      applyCallSigmask(scheduler, memory, sigmask!, sigsetsize!);
      return poll(fdsAddr!, nfds! | 0, ms);
    },
    select: ([nfds, r, w, e, timeout]) => select(nfds! | 0, [r!, w!, e!], timevalArg(timeout!)),
    pselect6: ([nfds, r, w, e, timeout, sigmaskArg]) => {
      const ms = timeoutArg(timeout!);
      if (sigmaskArg !== 0) {
        // The sixth argument points at { const sigset_t *ss; size_t ss_len; }.
        const b = memory.read(sigmaskArg!, 16);
        if (b === undefined) fail("EFAULT");
        const v = new DataView(b.buffer, b.byteOffset, 16);
        applyCallSigmask(scheduler, memory, Number(v.getBigUint64(0, true)), Number(v.getBigUint64(8, true)));
      }
      return select(nfds! | 0, [r!, w!, e!], ms);
    },
  };
}

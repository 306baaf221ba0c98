// The syscalls that send, wait for and return from signals: kill, tkill, tgkill,
// rt_sigqueueinfo, rt_tgsigqueueinfo (to this process, the only one), rt_sigsuspend, pause,
// rt_sigtimedwait, signalfd/signalfd4 and rt_sigreturn. @nanots/syscalls records actions and
// masks; these act on them.
import { checkSigsetSize, fail, FdTable, readSigset, SIGINFO_SIZE, UNBLOCKABLE_SIGNALS as UNBLOCKABLE, type SyscallHandler } from "@nanots/syscalls";
import type { Machine } from "../run/machine.js";
import { timespecMs } from "../threads/thread-syscalls.js";
import { ThreadState, type GuestThread } from "../threads/guest-thread.js";
import type { SignalDelivery } from "./signal-delivery.js";
import { PID, senderInfo, SiCode } from "./siginfo.js";
import { SignalFd } from "./signalfd.js";

const SFD_NONBLOCK = 0o4000;
const SFD_CLOEXEC = 0o2000000;

/** Overrides for `createSyscalls`. */
export function signalSyscalls(machine: Machine, signals: SignalDelivery, fds: FdTable): Record<string, SyscallHandler> {
  const scheduler = machine.scheduler;
  const memory = machine.space;
  const validSignal = (sig: number): boolean => Number.isInteger(sig) && sig >= 0 && sig <= 64;
  const threadOf = (tid: number): GuestThread | undefined => scheduler.threads.find((t) => t.tid === tid && t.state !== ThreadState.Exited);
  /** Queues `info` (EAGAIN when the queue is full); signal 0 only checks that the target exists. */
  const send = (target: GuestThread | undefined, info: Uint8Array): number => {
    const signo = new DataView(info.buffer, info.byteOffset).getInt32(0, true);
    if (signo !== 0 && !signals.send(target, info)) fail("EAGAIN", "too many signals queued");
    return 0;
  };
  /** A thread of this process (tgid 1), or ESRCH. */
  const member = (tgid: number, tid: number): GuestThread => {
    if ((tgid | 0) <= 0 || (tid | 0) <= 0) fail("EINVAL");
    const t = tgid === PID ? threadOf(tid) : undefined;
    if (t === undefined) fail("ESRCH");
    return t;
  };
  /** The siginfo a program passes to rt_(tg)sigqueueinfo, with si_signo set to `sig`. */
  const userInfo = (addr: number, sig: number): Uint8Array => {
    const info = memory.read(addr, SIGINFO_SIZE);
    if (info === undefined) fail("EFAULT");
    const copy = info.slice();
    new DataView(copy.buffer).setInt32(0, sig, true);
    return copy;
  };
  /** Only the kernel sends si_code >= 0 or SI_TKILL to another process or thread (Linux: EPERM). */
  const checkCode = (info: Uint8Array, toSelf: boolean): void => {
    const code = new DataView(info.buffer).getInt32(8, true);
    if ((code >= 0 || code === SiCode.TKILL) && !toSelf) fail("EPERM", "si_code reserved to the kernel");
  };
  /** Waits on nothing: only a signal ends it (EINTR). */
  const suspend = (): number => {
    scheduler.block({ futex: -1, bitset: 0, deadline: Infinity, timeoutResult: 0 });
    return 0;
  };
  const signalfd4: SyscallHandler = ([fd, maskAddr, size, flags]) => {
    const f = flags! | 0;
    if ((f & ~(SFD_NONBLOCK | SFD_CLOEXEC)) !== 0) fail("EINVAL", "signalfd flags");
    checkSigsetSize(size!);
    const mask = readSigset(memory, maskAddr!);
    if ((fd! | 0) === -1) return fds.install(new SignalFd(mask, f, signals, scheduler), (f & SFD_CLOEXEC) !== 0);
    const existing = fds.get(fd!);
    if (!(existing instanceof SignalFd)) fail("EINVAL", "not a signalfd");
    existing.mask = mask;
    return fd!;
  };

  return {
    kill: ([pid, sig]) => {
      // Only this process exists: pid 1, or 0 (its process group); -1 finds nobody else to signal.
      const p = pid! | 0;
      if (p !== PID && p !== 0 && p !== -PID) fail("ESRCH");
      if (!validSignal(sig!)) fail("EINVAL");
      return send(undefined, senderInfo(sig!, SiCode.USER));
    },
    tkill: ([tid, sig]) => {
      if ((tid! | 0) <= 0) fail("EINVAL");
      const t = threadOf(tid!);
      if (t === undefined) fail("ESRCH");
      if (!validSignal(sig!)) fail("EINVAL");
      return send(t, senderInfo(sig!, SiCode.TKILL));
    },
    tgkill: ([tgid, tid, sig]) => {
      const t = member(tgid!, tid!);
      if (!validSignal(sig!)) fail("EINVAL");
      return send(t, senderInfo(sig!, SiCode.TKILL));
    },
    rt_sigqueueinfo: ([pid, sig, uinfo]) => {
      const info = userInfo(uinfo!, sig!);
      checkCode(info, (pid! | 0) === PID);
      if ((pid! | 0) !== PID) fail("ESRCH");
      if (!validSignal(sig!)) fail("EINVAL");
      return send(undefined, info);
    },
    rt_tgsigqueueinfo: ([tgid, tid, sig, uinfo]) => {
      const info = userInfo(uinfo!, sig!);
      if ((tgid! | 0) <= 0 || (tid! | 0) <= 0) fail("EINVAL");
      checkCode(info, tid === scheduler.current.tid);
      const t = member(tgid!, tid!);
      if (!validSignal(sig!)) fail("EINVAL");
      return send(t, info);
    },
    rt_sigsuspend: ([maskAddr, size]) => {
      checkSigsetSize(size!);
      const mask = readSigset(memory, maskAddr!);
      // The handler's frame saves the old mask: it comes back when the handler returns.
      scheduler.current.setCallMask(mask);
      return suspend();
    },
    pause: () => suspend(),
    rt_sigtimedwait: ([setAddr, infoAddr, timeout, size]) => {
      checkSigsetSize(size!);
      const wanted = readSigset(memory, setAddr!) & ~UNBLOCKABLE;
      let ms = Infinity;
      if (timeout !== 0) {
        const t = timespecMs(memory, timeout!);
        if (t === undefined) fail("EFAULT");
        if (Number.isNaN(t)) fail("EINVAL");
        ms = t;
      }
      const info = signals.take(scheduler.current, wanted);
      if (info !== undefined) {
        if (infoAddr !== 0 && !memory.write(infoAddr!, info)) fail("EFAULT");
        return new DataView(info.buffer, info.byteOffset).getInt32(0, true);
      }
      if (ms === 0) fail("EAGAIN");
      // Woken when a signal is queued, the call runs again and takes it; EAGAIN at the deadline.
      const t = scheduler.current;
      const arrived = (): boolean => ((t.pending.mask | signals.processPending.mask) & wanted) !== 0n;
      scheduler.blockUntil(signals.readiness, performance.now() + ms, -11, wanted, arrived);
      fail("EAGAIN", "restarted when a signal arrives");
    },
    signalfd: ([fd, mask, size]) => signalfd4([fd!, mask!, size!, 0]),
    signalfd4,
    rt_sigreturn: () => {
      if (!signals.sigreturn()) {
        machine.terminate(11, "segmentation fault: rt_sigreturn found no signal frame");
        return 0;
      }
      machine.registersRestored = true;
      return 0;
    },
  };
}

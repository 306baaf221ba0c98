// The signal mask argument of ppoll, pselect6 and epoll_pwait: checked, then in force for the
// call. The thread's own mask is kept as rt_sigsuspend keeps it (GuestThread.savedMask), so it
// comes back when the call returns, or after the handler of a signal that interrupted it.
import { fail, type UserMemory } from "@nanots/syscalls";
import type { Scheduler } from "../threads/scheduler.js";

/** SIGKILL and SIGSTOP: no mask blocks them. */
const UNBLOCKABLE = (1n << 8n) | (1n << 18n);

/** Applies the sigset at `addr` (NULL: none) of `size` bytes to the current thread for this call. */
export function applyCallSigmask(scheduler: Scheduler, memory: UserMemory, addr: number, size: number): void {
  if (addr === 0) return;
  if (size !== 8) fail("EINVAL", "sigsetsize must be 8");
  const b = memory.read(addr, 8);
  if (b === undefined) fail("EFAULT");
  const mask = new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true) & ~UNBLOCKABLE;
  const t = scheduler.current;
  // A restarted call finds the thread's own mask saved already.
  if (t.savedMask === undefined) t.savedMask = t.sigmask;
  t.sigmask = mask;
}

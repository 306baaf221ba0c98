// The signal mask argument of ppoll, pselect6 and epoll_pwait: checked, then in force for the
// call as rt_sigsuspend's is (GuestThread.setCallMask).
import { checkSigsetSize, readSigset, type UserMemory } from "@nanots/syscalls";
import type { Scheduler } from "../threads/scheduler.js";

/** Applies the sigset at `addr` (NULL: none) of `size` bytes to the current thread for this call. */
export function applyCallSigmask(scheduler: Scheduler, memory: UserMemory, addr: number, size: number): void {
  if (addr === 0) return;
  checkSigsetSize(size);
  scheduler.current.setCallMask(readSigset(memory, addr));
}

// How a file operation waits: it asks the scheduler to block the thread until an object's
// readiness changes, and to run the system call again then (as Linux restarts a sleeping call).
// Every wait, this one and the scheduler's futex and sleep waits alike, ends early when a signal
// with a handler arrives (Scheduler.interrupt): the call returns EINTR, or runs again after the
// handler when it has SA_RESTART and signal(7) lets the call restart. A call woken to run again
// keeps its first deadline, so spurious wake-ups do not stretch a timeout.
import { fail } from "@nanots/syscalls";
import type { Scheduler } from "../threads/scheduler.js";
import type { Readiness } from "./readiness.js";

/** Blocks the current thread until `readiness` (any of them) changes, then re-executes its syscall. */
export function waitAndRestart(scheduler: Scheduler, readiness: Readiness | readonly Readiness[], deadline = Infinity, timeoutResult = 0): never {
  scheduler.blockUntil(readiness, deadline, timeoutResult);
  // Unwinds the syscall layer; the result is discarded because the call will run again.
  fail("EAGAIN", "restarted when ready");
}

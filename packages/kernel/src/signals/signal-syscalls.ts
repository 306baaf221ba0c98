// The syscalls that send and return from signals: kill, tkill, tgkill (to this process) and
// rt_sigreturn. @nanots/syscalls records actions and masks; these act on them.
import type { SyscallHandler } from "@nanots/syscalls";
import type { Machine } from "../run/machine.js";
import type { SignalDelivery } from "./signal-delivery.js";

const EINVAL = 22;
const ESRCH = 3;
const SI_USER = 0;
const SI_TKILL = -6;
const PID = 1;

/** Overrides for `createSyscalls`. */
export function signalSyscalls(machine: Machine, signals: SignalDelivery): Record<string, SyscallHandler> {
  const valid = (sig: number): boolean => Number.isInteger(sig) && sig >= 0 && sig <= 64;
  const toThread = (tid: number, sig: number, code: number): number => {
    if (!valid(sig)) return -EINVAL;
    if (!machine.scheduler.threads.some((t) => t.tid === tid && t.state !== 2)) return -ESRCH;
    if (sig !== 0) signals.send(tid, { signo: sig, code, value: PID });
    return 0;
  };
  return {
    kill: ([pid, sig]) => {
      // Only this process exists: pid 1, 0 (its group) or -1 (everyone it may signal).
      if (pid !== PID && pid !== 0 && pid !== -1) return -ESRCH;
      return toThread(machine.scheduler.current.tid, sig!, SI_USER);
    },
    tkill: ([tid, sig]) => toThread(tid!, sig!, SI_TKILL),
    tgkill: ([tgid, tid, sig]) => (tgid !== PID ? -ESRCH : toThread(tid!, sig!, SI_TKILL)),
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

// siginfo_t as the kernel fills it for the signals it sends: who sent it (kill, tgkill,
// sigqueue), what faulted, which timer expired.
import { encodeSiginfo, SIGINFO_SIZE } from "@nanots/syscalls";

/** si_code values (Linux). */
export const SiCode = { USER: 0, KERNEL: 0x80, QUEUE: -1, TIMER: -2, TKILL: -6 } as const;

/** The process id every signal of this machine comes from: Nanos has one process, pid 1. */
export const PID = 1;

/** siginfo of a signal a process sends with kill, tkill or tgkill (si_pid, si_uid 0). */
export function senderInfo(signo: number, code: number): Uint8Array {
  return encodeSiginfo({ signo, errno: 0, code, pid: PID, uid: 0 });
}

/** siginfo of a fault (si_addr). */
export function faultInfo(signo: number, code: number, addr: number): Uint8Array {
  return encodeSiginfo({ signo, errno: 0, code, addr });
}

/** siginfo of a POSIX timer's expiry: si_timerid, si_overrun, si_value. */
export function timerInfo(signo: number, timerId: number, value: bigint): Uint8Array {
  const b = encodeSiginfo({ signo, errno: 0, code: SiCode.TIMER, pid: timerId, uid: 0 });
  new DataView(b.buffer).setBigUint64(24, value, true);
  return b;
}

/** A siginfo's field views: si_code and the 32-bit words of its union. */
export function infoView(info: Uint8Array): DataView {
  return new DataView(info.buffer, info.byteOffset, SIGINFO_SIZE);
}

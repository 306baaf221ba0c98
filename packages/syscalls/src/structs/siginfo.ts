import { getU64, le, set64 } from "./bytes-view.js";

/**
 * `siginfo_t` (128 bytes). The union after the first three ints is given by what the signal
 * carries: the sender (`pid`, `uid`) and `value` for kill/sigqueue, `addr` for faults, the
 * timer (`timerid`, `overrun`, `value`) for POSIX timers, `status` for SIGCHLD.
 */
export interface SiginfoData {
  /** `si_signo`. */
  signo: number;
  /** `si_errno`. */
  errno: number;
  /** `si_code`. */
  code: number;
  /** Sender pid (`si_pid`, offset 16) — or, for timers, `si_timerid`. */
  pid?: number;
  /** Sender uid (`si_uid`, offset 20) — or, for timers, `si_overrun`. */
  uid?: number;
  /** Faulting address (`si_addr`, offset 16). */
  addr?: number;
  /** `si_value` / `si_status` / `si_fd` (offset 24, 64 bits). */
  value?: number;
}

/** Size of `siginfo_t`. */
export const SIGINFO_SIZE = 128;

/** Encodes `siginfo_t`; fields not given stay zero. */
export function encodeSiginfo(s: SiginfoData): Uint8Array {
  const b = new Uint8Array(SIGINFO_SIZE);
  const v = le(b);
  v.setInt32(0, s.signo, true);
  v.setInt32(4, s.errno, true);
  v.setInt32(8, s.code, true);
  if (s.addr !== undefined) set64(v, 16, s.addr);
  if (s.pid !== undefined) v.setInt32(16, s.pid, true);
  if (s.uid !== undefined) v.setUint32(20, s.uid >>> 0, true);
  if (s.value !== undefined) set64(v, 24, s.value);
  return b;
}

/** Decodes `siginfo_t` into every view of its union (the reader picks the one that applies). */
export function decodeSiginfo(b: Uint8Array): Required<SiginfoData> {
  const v = le(b);
  return {
    signo: v.getInt32(0, true),
    errno: v.getInt32(4, true),
    code: v.getInt32(8, true),
    pid: v.getInt32(16, true),
    uid: v.getUint32(20, true),
    addr: getU64(v, 16),
    value: getU64(v, 24),
  };
}

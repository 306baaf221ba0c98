// signalfd: a descriptor that reads the reading thread's pending signals (and the process's)
// from a mask, as 128-byte struct signalfd_siginfo records, instead of running handlers.
import { FileDescription, fail, OpenFlag, UNBLOCKABLE_SIGNALS, type StatData } from "@nanots/syscalls";
import { waitAndRestart } from "../io/blocking.js";
import { anonymousStat } from "../io/pipe.js";
import { Ready, type Pollable, type Readiness } from "../io/readiness.js";
import type { Scheduler } from "../threads/scheduler.js";
import type { SignalDelivery } from "./signal-delivery.js";
import { SiCode } from "./siginfo.js";

/** Size of struct signalfd_siginfo. */
export const SIGNALFD_SIGINFO_SIZE = 128;

/**
 * struct signalfd_siginfo from a siginfo_t, field by field as Linux's signalfd_copyinfo picks
 * them from the siginfo's layout: the sender for kill and sigqueue, the timer, the fault address.
 */
export function signalfdSiginfo(info: Uint8Array): Uint8Array {
  const i = new DataView(info.buffer, info.byteOffset, info.byteLength);
  const out = new Uint8Array(SIGNALFD_SIGINFO_SIZE);
  const o = new DataView(out.buffer);
  const signo = i.getInt32(0, true);
  const code = i.getInt32(8, true);
  o.setUint32(0, signo, true);
  o.setInt32(4, i.getInt32(4, true), true);
  o.setInt32(8, code, true);
  const fault = code > 0 && code < SiCode.KERNEL && [4, 5, 7, 8, 11].includes(signo);
  if (fault) {
    o.setBigUint64(72, i.getBigUint64(16, true), true); // ssi_addr
  } else if (code === SiCode.TIMER) {
    o.setUint32(24, i.getInt32(16, true), true); // ssi_tid
    o.setUint32(32, i.getInt32(20, true), true); // ssi_overrun
    o.setBigUint64(48, i.getBigUint64(24, true), true); // ssi_ptr
    o.setInt32(44, i.getInt32(24, true), true); // ssi_int
  } else {
    o.setUint32(12, i.getInt32(16, true), true); // ssi_pid
    o.setUint32(16, i.getUint32(20, true), true); // ssi_uid
    if (code < 0) {
      // sigqueue and the other negative codes carry a value.
      o.setBigUint64(48, i.getBigUint64(24, true), true);
      o.setInt32(44, i.getInt32(24, true), true);
    }
  }
  return out;
}

/** An open signalfd. */
export class SignalFd extends FileDescription implements Pollable {
  /** The signals it reads: never SIGKILL or SIGSTOP (Linux drops them from the mask). */
  private wanted: bigint;

  constructor(mask: bigint, flags: number, private readonly signals: SignalDelivery, private readonly scheduler: Scheduler) {
    super(2 /* O_RDWR */ | (flags & OpenFlag.O_NONBLOCK), "anon_inode:[signalfd]");
    this.wanted = mask & ~UNBLOCKABLE_SIGNALS;
  }

  /** The signals it reads (signalfd on an existing descriptor replaces them). */
  get mask(): bigint {
    return this.wanted;
  }

  set mask(mask: bigint) {
    this.wanted = mask & ~UNBLOCKABLE_SIGNALS;
    this.signals.readiness.notify();
  }

  get readiness(): Readiness {
    return this.signals.readiness;
  }

  /** Readable while a signal of the mask is pending for the polling thread or the process. */
  poll(): number {
    const pending = this.scheduler.current.pending.mask | this.signals.processPending.mask;
    return (pending & this.wanted) !== 0n ? Ready.IN : 0;
  }

  protected override seekable(): boolean {
    return false;
  }

  override read(length: number): Uint8Array {
    if (length < SIGNALFD_SIGINFO_SIZE) fail("EINVAL", "a signalfd read takes at least 128 bytes");
    const records: Uint8Array[] = [];
    while (records.length < Math.floor(length / SIGNALFD_SIGINFO_SIZE)) {
      const info = this.signals.take(this.scheduler.current, this.wanted);
      if (info === undefined) break;
      records.push(signalfdSiginfo(info));
    }
    if (records.length === 0) {
      if ((this.flags & OpenFlag.O_NONBLOCK) !== 0) fail("EAGAIN");
      waitAndRestart(this.scheduler, this.signals.readiness);
    }
    const out = new Uint8Array(records.length * SIGNALFD_SIGINFO_SIZE);
    records.forEach((r, k) => out.set(r, k * SIGNALFD_SIGINFO_SIZE));
    return out;
  }

  override write(): number {
    fail("EINVAL", "a signalfd cannot be written");
  }

  stat(): StatData {
    return anonymousStat(0o600);
  }
}

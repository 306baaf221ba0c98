// Signals waiting for delivery, of one thread or of the whole process. A standard signal
// (1–31) is pending at most once — a second one sent before delivery is lost, as on Linux —
// while real-time signals (32–64) queue, each instance with its own siginfo.

/** The first real-time signal. */
export const SIGRTMIN = 32;
/** How many signals one queue holds before sigqueue reports EAGAIN (Linux: RLIMIT_SIGPENDING). */
export const MAX_QUEUED = 4096;

/** The bit of signal `signo` in a mask. */
export const sigbit = (signo: number): bigint => 1n << BigInt(signo - 1);

/** Faults the program's own instructions raise: Linux takes them before any other signal. */
const SYNCHRONOUS = [4, 5, 7, 8, 11, 31].reduce((m, s) => m | sigbit(s), 0n); // ILL TRAP BUS FPE SEGV SYS

/** The signal number of a siginfo. */
export const signoOf = (info: Uint8Array): number => new DataView(info.buffer, info.byteOffset, 4).getInt32(0, true);

/** The lowest signal number in a non-empty mask. */
function lowest(mask: bigint): number {
  let signo = 1;
  while ((mask & 1n) === 0n) {
    mask >>= 1n;
    signo++;
  }
  return signo;
}

/** A set of pending signals with their siginfo (128 bytes each). */
export class SignalQueue {
  private readonly queued: Uint8Array[] = [];
  /** Bit `n - 1` is set while signal `n` is pending. */
  mask = 0n;

  /**
   * Adds a signal. Returns "coalesced" when a standard signal of the same number was already
   * pending (this one is lost), "full" when the queue is at {@link MAX_QUEUED}.
   */
  add(info: Uint8Array): "queued" | "coalesced" | "full" {
    const signo = signoOf(info);
    if (signo < SIGRTMIN && (this.mask & sigbit(signo)) !== 0n) return "coalesced";
    if (this.queued.length >= MAX_QUEUED) return "full";
    this.queued.push(info);
    this.mask |= sigbit(signo);
    return "queued";
  }

  /** Takes the signal Linux delivers next among `allowed`: a pending fault first, else the lowest number. */
  take(allowed: bigint): Uint8Array | undefined {
    const ready = this.mask & allowed;
    if (ready === 0n) return undefined;
    const signo = lowest((ready & SYNCHRONOUS) !== 0n ? ready & SYNCHRONOUS : ready);
    const index = this.queued.findIndex((info) => signoOf(info) === signo);
    const [info] = this.queued.splice(index, 1);
    if (!this.queued.some((i) => signoOf(i) === signo)) this.mask &= ~sigbit(signo);
    return info;
  }

  /** The first pending instance of `signo` (to update its siginfo in place), if any. */
  find(predicate: (info: Uint8Array) => boolean): Uint8Array | undefined {
    return this.queued.find(predicate);
  }

  /** Forgets every pending instance of `signo` (its action became "ignore"). */
  discard(signo: number): void {
    for (let k = this.queued.length - 1; k >= 0; k--) if (signoOf(this.queued[k]!) === signo) this.queued.splice(k, 1);
    this.mask &= ~sigbit(signo);
  }

  /** Pending instances. */
  get length(): number {
    return this.queued.length;
  }
}

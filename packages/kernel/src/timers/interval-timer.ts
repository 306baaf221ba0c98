// A timer that expires once at a deadline and then every interval, over the scheduler's kernel
// timers (host performance.now() milliseconds). When the host runs it late, the periods it
// missed are counted as overruns, as Linux counts them for POSIX timers.
import type { KernelTimer, KernelTimers } from "../io/kernel-timers.js";

/** One interval timer: what alarm, setitimer and timer_create arm. */
export class IntervalTimer {
  private pending: KernelTimer | undefined = undefined;
  /** performance.now() of the next expiry; undefined while disarmed. */
  deadline: number | undefined = undefined;
  /** Milliseconds between expiries after the first (0: once). */
  interval = 0;

  constructor(
    private readonly timers: KernelTimers,
    /** Called at each expiry with the number of further periods that passed unnoticed. */
    private readonly expire: (overruns: number) => void,
  ) {}

  /** Arms the timer for `deadline` (performance.now() milliseconds), then every `interval` ms. */
  arm(deadline: number, interval: number): void {
    this.disarm();
    this.deadline = deadline;
    this.interval = interval;
    this.pending = this.timers.add(deadline, (now) => this.fire(now));
  }

  /** Stops the timer. */
  disarm(): void {
    if (this.pending !== undefined) this.timers.cancel(this.pending);
    this.pending = undefined;
    this.deadline = undefined;
    this.interval = 0;
  }

  /** Milliseconds until the next expiry (0 when disarmed). */
  remaining(now: number): number {
    return this.deadline === undefined ? 0 : Math.max(0, this.deadline - now);
  }

  private fire(now: number): void {
    const due = this.deadline!;
    let overruns = 0;
    if (this.interval > 0) {
      overruns = Math.floor((now - due) / this.interval);
      this.deadline = due + (overruns + 1) * this.interval;
      this.pending = this.timers.add(this.deadline, (t) => this.fire(t));
    } else {
      this.deadline = undefined;
      this.pending = undefined;
    }
    this.expire(overruns);
  }
}

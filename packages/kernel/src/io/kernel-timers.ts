// Kernel timers: callbacks that run when a host-clock deadline passes (timerfd expirations).
// The scheduler fires them as it expires its sleepers' deadlines, and waits on the host for
// the earliest one when no thread can run, so a thread blocked on a timer is never a deadlock.
import { PriorityQueue } from "@nanots/pqueue";

/** The longest delay setTimeout takes (2^31 - 1 ms). */
const MAX_HOST_DELAY = 2 ** 31 - 1;

/** One pending timer; cancel it with {@link KernelTimers.cancel}. */
export interface KernelTimer {
  /** performance.now() milliseconds at which it fires. */
  readonly deadline: number;
  readonly fire: (now: number) => void;
}

/** A queue of kernel timers ordered by deadline. */
export class KernelTimers {
  private readonly queue = new PriorityQueue<KernelTimer>((a, b) => a.deadline - b.deadline);

  /** Runs `fire` once at `deadline` (performance.now() milliseconds). */
  add(deadline: number, fire: (now: number) => void): KernelTimer {
    const timer = { deadline, fire };
    this.queue.push(timer);
    return timer;
  }

  /** Forgets a timer that has not fired (no effect on one that has). */
  cancel(timer: KernelTimer): void {
    this.queue.remove(timer);
  }

  /**
   * The earliest deadline (Infinity when no timer is pending), at most ~24 days away: the host
   * waits with setTimeout, which takes no longer delay, and simply waits again then.
   */
  next(): number {
    const head = this.queue.peek();
    return head === undefined ? Infinity : Math.min(head.deadline, performance.now() + MAX_HOST_DELAY);
  }

  /** Fires, in deadline order, every timer due at `now`; returns how many fired. */
  expire(now: number): number {
    let fired = 0;
    for (let t = this.queue.peek(); t !== undefined && t.deadline <= now; t = this.queue.peek()) {
      this.queue.pop();
      t.fire(now);
      fired++;
    }
    return fired;
  }

  /** Pending timers. */
  get length(): number {
    return this.queue.length;
  }
}

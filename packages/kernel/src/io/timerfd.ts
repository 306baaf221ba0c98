// timerfd: a timer that counts its expirations; read returns and resets the count. Deadlines are
// kept on the host's monotonic clock (performance.now(), the guest's CLOCK_MONOTONIC) and the
// scheduler's kernel timers announce each expiration to the waiters.
import { FileDescription, fail, OpenFlag, type StatData } from "@nanots/syscalls";
import type { Scheduler } from "../threads/scheduler.js";
import type { KernelTimer } from "./kernel-timers.js";
import { waitAndRestart } from "./blocking.js";
import { anonymousStat } from "./pipe.js";
import { Readiness, Ready, type Pollable } from "./readiness.js";

/** The clocks timerfd_create accepts (as Linux and Nanos). */
export const TimerClock = { REALTIME: 0, MONOTONIC: 1, BOOTTIME: 7, REALTIME_ALARM: 8, BOOTTIME_ALARM: 9 } as const;

/** Whether `clock` counts wall-clock time (absolute deadlines are then Date.now() based). */
function isRealtime(clock: number): boolean {
  return clock === TimerClock.REALTIME || clock === TimerClock.REALTIME_ALARM;
}

/** A timer setting in milliseconds: first expiration and period (0: disarmed / one-shot). */
export interface TimerSetting {
  value: number;
  interval: number;
}

/** A timerfd: its setting, the expirations not yet read, and the kernel timer that announces them. */
export class TimerFd extends FileDescription implements Pollable {
  readonly readiness = new Readiness();
  /** Expirations not yet read. */
  private ticks = 0n;
  /** Next expiration (performance.now() ms); Infinity when disarmed. */
  private next = Infinity;
  private interval = 0;
  private pending: KernelTimer | undefined;

  constructor(
    readonly clock: number,
    flags: number,
    private readonly scheduler: Scheduler,
  ) {
    super(2 | (flags & OpenFlag.O_NONBLOCK), "anon_inode:[timerfd]");
  }

  /** Counts the expirations up to `now`: one per period missed, or one for a one-shot timer. */
  private advance(now: number): void {
    if (now < this.next) return;
    if (this.interval > 0) {
      const n = 1 + Math.floor((now - this.next) / this.interval);
      this.ticks += BigInt(n);
      this.next += n * this.interval;
    } else {
      this.ticks += 1n;
      this.next = Infinity;
    }
  }

  /** Keeps one kernel timer at the next expiration, to wake whoever waits for it. */
  private schedule(): void {
    if (this.pending !== undefined) this.scheduler.timers.cancel(this.pending);
    this.pending = undefined;
    if (this.next === Infinity) return;
    this.pending = this.scheduler.timers.add(this.next, (now) => {
      this.pending = undefined;
      this.advance(now);
      this.schedule();
      this.readiness.notify();
    });
  }

  /** The time left to the next expiration and the period, in ms (timerfd_gettime). */
  get(now = performance.now()): TimerSetting {
    this.advance(now);
    return { value: this.next === Infinity ? 0 : Math.max(this.next - now, 0), interval: this.interval };
  }

  /**
   * Arms (or with a zero value disarms) the timer; `absolute` values are times on the
   * timer's clock. Unread expirations are dropped, as on Linux. Returns the old setting.
   */
  set(setting: TimerSetting, absolute: boolean): TimerSetting {
    const now = performance.now();
    const old = this.get(now);
    this.ticks = 0n;
    this.interval = setting.interval;
    if (setting.value === 0) this.next = Infinity;
    else if (!absolute) this.next = now + setting.value;
    else this.next = now + (setting.value - (isRealtime(this.clock) ? Date.now() : now));
    this.schedule();
    this.readiness.notify();
    return old;
  }

  poll(): number {
    this.advance(performance.now());
    return this.ticks > 0n ? Ready.IN : 0;
  }

  protected override seekable(): boolean {
    return false;
  }

  /** The 8-byte expiration count; blocks (or EAGAIN) until the timer has expired. */
  override read(length: number): Uint8Array {
    if (length < 8) fail("EINVAL", "a timerfd read needs 8 bytes");
    this.advance(performance.now());
    if (this.ticks === 0n) {
      if ((this.flags & OpenFlag.O_NONBLOCK) !== 0) fail("EAGAIN");
      waitAndRestart(this.scheduler, this.readiness);
    }
    const out = new Uint8Array(8);
    new DataView(out.buffer).setBigUint64(0, this.ticks, true);
    this.ticks = 0n;
    return out;
  }

  override write(): number {
    fail("EINVAL", "a timerfd cannot be written");
  }

  stat(): StatData {
    return anonymousStat(0o600);
  }

  protected override release(): void {
    this.next = Infinity;
    this.schedule();
  }
}

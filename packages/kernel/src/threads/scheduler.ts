// Guest threads multiplexed on the one vCPU: round-robin time slices, futex wait queues and
// timed sleeps. A thread that blocks leaves the vCPU; when none can run, the machine waits for
// the earliest deadline on the host's event loop.
import { copyX87State, type Cpu } from "@nanots/x86";
import type { Readiness } from "../io/readiness.js";
import { KernelTimers } from "../io/kernel-timers.js";
import { busyMs } from "./busy-time.js";
import { GuestThread, ThreadState, type Wait } from "./guest-thread.js";

const ETIMEDOUT = 110;
const EINTR = 4;
/**
 * Calls a signal handler never restarts, SA_RESTART or not (signal(7)): the sleeps, the
 * multiplexers, the signal waits, io_getevents, semtimedop.
 */
const NEVER_RESTARTED = new Set([35, 230, 7, 271, 23, 270, 232, 281, 441, 128, 130, 34, 208, 333, 220]);

/** The thread table and the switching between threads. */
export class Scheduler {
  readonly threads: GuestThread[] = [];
  /** The thread on the vCPU. */
  current: GuestThread;
  /** Kernel timers (timerfd…): fired with the deadlines, waited for when no thread can run. */
  readonly timers = new KernelTimers();
  private nextTid = 2;
  /** Set when the current thread gave up the vCPU (blocked, yielded, exited). */
  private switchRequested = false;
  /** No thread is on the vCPU: every one, the current included, has its state saved. */
  private parked = false;
  /** When the machine started, in host busy time: the process's CPU time runs from there. */
  private readonly startedBusy = busyMs();
  /** When the current thread got the vCPU, in host busy time (its CPU time runs from there). */
  private sliceStart = this.startedBusy;

  constructor(private readonly cpu: Cpu) {
    // The main thread's tid is the pid: 1, as on Nanos.
    this.current = new GuestThread(1, cpu.x87);
    this.threads.push(this.current);
  }

  /** Threads not yet exited. */
  get live(): number {
    return this.threads.filter((t) => t.state !== ThreadState.Exited).length;
  }

  /** Runs when a thread is about to run on the vCPU (signal delivery hooks in here). */
  onRun: (() => void) | undefined = undefined;
  /** Runs when the current thread exits, before it leaves the thread table (robust futexes). */
  readonly onExit: ((t: GuestThread) => void)[] = [];

  /**
   * Creates a thread whose state is the vCPU's now, adjusted by `setup`; returns it. As on
   * Linux, it inherits the creator's x87/SSE state and signal mask, not its alternate stack.
   */
  spawn(setup: (t: GuestThread) => void): GuestThread {
    const t = new GuestThread(this.nextTid++);
    t.save(this.cpu);
    t.x87 = copyX87State(this.cpu.x87);
    t.sigmask = this.current.sigmask;
    t.affinity = this.current.affinity;
    setup(t);
    this.threads.push(t);
    return t;
  }

  /** Blocks the current thread; the syscall's result comes from {@link wake} or the deadline. */
  block(wait: Wait): void {
    this.current.state = ThreadState.Blocked;
    // rax still holds the syscall number while its handler runs.
    wait.nr ??= this.cpu.regNumber(0);
    this.current.wait = wait;
    this.switchRequested = true;
  }

  /**
   * Blocks the current thread until `readiness` changes (or the deadline passes, when the call
   * returns `timeoutResult`); on a change the syscall runs again. Machine.syscall rewinds rip.
   */
  blockUntil(readiness: Readiness | readonly Readiness[], deadline: number, timeoutResult: number, consumes = 0n, ready?: () => boolean): void {
    const t = this.current;
    const wake = (): void => {
      if (t.state === ThreadState.Blocked && t.wait?.restart !== undefined && (ready?.() ?? true)) this.resume(t, 0);
    };
    const unwatchAll = (Array.isArray(readiness) ? readiness : [readiness]).map((r: Readiness) => r.watch(wake));
    const unwatch = (): void => unwatchAll.forEach((u) => u());
    const nr = this.cpu.regNumber(0);
    const at = this.cpu.rip - 2;
    // The same call run again after a wake-up keeps its first deadline, not a new one.
    const carried = t.carriedDeadline;
    t.carriedDeadline = undefined;
    if (carried !== undefined && carried.at === at && carried.nr === nr) deadline = carried.deadline;
    this.block({ futex: -1, bitset: 0, deadline, timeoutResult, consumes, restart: { nr, at, unwatch } });
    this.restartPending = true;
  }

  /**
   * Blocks the current thread after its syscall has completed (its result already in rax),
   * until `done()` holds at an event on `readiness`: a blocking pipe write that put more than
   * the pipe holds returns only when its data fits.
   */
  blockAfter(readiness: Readiness, done: () => boolean): void {
    const t = this.current;
    const result = (): number => (t === this.current && !this.parked ? this.cpu.regNumber(0) : t.gpr[1]! * 4294967296 + (t.gpr[0]! >>> 0));
    // The call's work is done: a signal ends the wait with its result, never EINTR or a restart.
    this.block({ futex: -1, bitset: 0, deadline: Infinity, timeoutResult: 0, onInterrupt: result });
    const wait = t.wait;
    const unwatch = readiness.watch(() => {
      if (t.wait !== wait) return void unwatch(); // woken otherwise (a signal, the exit)
      if (!done()) return;
      unwatch();
      this.resume(t, result());
    });
  }

  /** Set by {@link blockUntil} for the machine: rewind the current syscall so it runs again. */
  restartPending = false;

  /** Lets another thread run after this syscall (sched_yield). */
  yield(): void {
    this.switchRequested = true;
  }

  /** Ends the current thread. */
  exitCurrent(): void {
    for (const hook of this.onExit) hook(this.current);
    this.current.state = ThreadState.Exited;
    this.switchRequested = true;
  }

  /** Wakes up to `count` threads waiting on futex word `address` whose bitset meets `mask`. */
  wake(address: number, count: number, mask = -1): number {
    let woken = 0;
    for (const t of this.threads) {
      if (woken >= count) break;
      if (t.state === ThreadState.Blocked && t.wait?.futex === address && (t.wait.bitset & mask) !== 0) {
        this.resume(t, 0);
        woken++;
      }
    }
    return woken;
  }

  /** Moves up to `count` waiters of `from` to wait on `to` instead (FUTEX_REQUEUE). */
  requeue(from: number, to: number, count: number): number {
    let moved = 0;
    for (const t of this.threads) {
      if (moved >= count) break;
      if (t.state === ThreadState.Blocked && t.wait?.futex === from) {
        t.wait.futex = to;
        moved++;
      }
    }
    return moved;
  }

  private resume(t: GuestThread, result: number, timedOut = false): void {
    const restart = t.wait?.restart;
    const deadline = t.wait?.deadline ?? Infinity;
    t.state = ThreadState.Runnable;
    t.wait = undefined;
    restart?.unwatch();
    if (restart !== undefined && !timedOut) {
      // rip and rax already point at the syscall again; it keeps its deadline.
      if (deadline !== Infinity) t.carriedDeadline = { at: restart.at, nr: restart.nr, deadline };
      return;
    }
    // A restartable call that times out returns instead: step past the SYSCALL again.
    this.setReturn(t, result, restart !== undefined ? 2 : 0);
  }

  /** Sets a thread's rax to `result` and moves its rip by `step` bytes (±2: over the SYSCALL). */
  setReturn(t: GuestThread, result: number, step = 0): void {
    // The thread's registers are on the vCPU only while it is current and not parked.
    if (t === this.current && !this.parked) {
      this.cpu.rip += step;
      this.cpu.setRegNumber(0, result);
    } else {
      t.rip += step;
      t.setResult(result);
    }
  }

  /**
   * Ends a blocked thread's wait because a signal arrived: the call returns EINTR unless the
   * delivery finds a handler with SA_RESTART (or none at all) and restarts it (see `Interrupted`).
   */
  interrupt(t: GuestThread): void {
    const wait = t.wait;
    if (t.state !== ThreadState.Blocked || wait === undefined) return;
    const done = wait.onInterrupt?.();
    const nr = wait.restart?.nr ?? wait.nr ?? -1;
    t.state = ThreadState.Runnable;
    t.wait = undefined;
    wait.restart?.unwatch();
    // A call that already did part of its work returns that instead (a pipe write: the bytes written).
    if (typeof done === "number") return this.setReturn(t, done, wait.restart !== undefined ? 2 : 0);
    this.setReturn(t, -EINTR, wait.restart !== undefined ? 2 : 0);
    // A futex wait with a timeout is not restarted either (Linux: ERESTART_RESTARTBLOCK).
    const timedFutex = wait.futex >= 0 && wait.deadline !== Infinity;
    t.interrupted = { nr, restartable: !NEVER_RESTARTED.has(nr) && !timedFutex };
  }

  /** Wakes every thread whose deadline has passed. */
  expireDeadlines(now: number): void {
    this.timers.expire(now);
    for (const t of this.threads) {
      if (t.state === ThreadState.Blocked && t.wait !== undefined && t.wait.deadline <= now) this.resume(t, t.wait.timeoutResult, true);
    }
  }

  /** The earliest deadline of a blocked thread (Infinity when none has one). */
  nextDeadline(): number {
    let earliest = this.timers.next();
    for (const t of this.threads) if (t.state === ThreadState.Blocked && t.wait !== undefined) earliest = Math.min(earliest, t.wait.deadline);
    return earliest;
  }

  /**
   * Picks the thread to run next (round robin) when the current one gave up the vCPU or its
   * slice ended with others waiting. Returns false when no thread can run now.
   */
  schedule(sliceEnded: boolean): boolean {
    const now = performance.now();
    // A woken call that ran to completion (rip moved on) has no deadline to carry any more.
    const carried = this.current.carriedDeadline;
    if (carried !== undefined && this.cpu.rip !== carried.at && !this.parked) this.current.carriedDeadline = undefined;
    this.expireDeadlines(now);
    const runnable = (t: GuestThread): boolean => t.state === ThreadState.Runnable;
    if (!this.switchRequested && !sliceEnded && runnable(this.current)) {
      this.onRun?.(); // a timer that just fired may have sent it a signal
      return true;
    }
    this.switchRequested = false;
    const start = this.threads.indexOf(this.current);
    for (let k = 1; k <= this.threads.length; k++) {
      const t = this.threads[(start + k) % this.threads.length]!;
      if (!runnable(t)) continue;
      if (t !== this.current) {
        if (this.current.state !== ThreadState.Exited) this.current.save(this.cpu);
        this.switchTo(t);
      } else this.reap();
      this.onRun?.();
      return true;
    }
    // Nobody can run: keep the current thread's state saved for when one wakes.
    if (this.current.state !== ThreadState.Exited) this.current.save(this.cpu);
    this.parked = true;
    return false;
  }

  /** Resumes a thread after a wait on the host: puts the next runnable one on the vCPU. */
  resumeAfterWait(): boolean {
    this.expireDeadlines(performance.now());
    const t = this.threads.find((x) => x.state === ThreadState.Runnable);
    if (t === undefined) return false;
    this.switchTo(t);
    this.onRun?.();
    return true;
  }

  /** The process's CPU time in milliseconds: host busy time since the machine started. */
  processCpuMs(): number {
    return busyMs() - this.startedBusy;
  }

  /** The current thread's CPU time in milliseconds: the host busy time of its slices. */
  currentCpuMs(): number {
    return this.current.cpuMs + busyMs() - this.sliceStart;
  }

  /** Puts `t` on the vCPU (the previous thread's state is already saved). */
  private switchTo(t: GuestThread): void {
    const now = busyMs();
    this.current.cpuMs += now - this.sliceStart;
    this.sliceStart = now;
    t.restore(this.cpu);
    this.current = t;
    this.parked = false;
    this.reap();
  }

  /** Forgets exited threads other than the current one. */
  private reap(): void {
    for (let k = this.threads.length - 1; k >= 0; k--) {
      const t = this.threads[k]!;
      if (t.state === ThreadState.Exited && t !== this.current) this.threads.splice(k, 1);
    }
  }

  /** ETIMEDOUT as a syscall result. */
  static readonly TIMED_OUT = -ETIMEDOUT;
}

// One guest thread: the CPU state it had when it last left the vCPU, and what it waits for.
import { UNBLOCKABLE_SIGNALS, type ThreadSignalState } from "@nanots/syscalls";
import { X87State, type Cpu } from "@nanots/x86";
import { SignalQueue } from "../signals/signal-queue.js";

/** Where a thread is. */
export const ThreadState = { Runnable: 0, Blocked: 1, Exited: 2 } as const;

/** Why a blocked thread waits, and how it learns the outcome. */
export interface Wait {
  /** Futex word address, or -1 for a plain sleep. */
  futex: number;
  /** FUTEX_WAIT_BITSET mask (all ones for FUTEX_WAIT). */
  bitset: number;
  /** Host time (performance.now() milliseconds) to give up at, or Infinity. */
  deadline: number;
  /** The syscall result when the deadline passes (sleeps: 0; futex waits: -ETIMEDOUT). */
  timeoutResult: number;
  /**
   * Set for a call that runs again when woken (a read of an empty pipe, epoll_wait): the
   * syscall number to put back in rax, and the watcher to drop.
   */
  restart?: { nr: number; at: number; unwatch: () => void };
  /** The waiting syscall's number (rax when it blocked): a signal handler may restart it. */
  nr?: number;
  /** Signals the wait takes itself (rt_sigtimedwait): their arrival wakes it without interrupting. */
  consumes?: bigint;
  /**
   * Runs when a signal interrupts the wait (nanosleep writes the time left). A number it returns
   * is the call's result instead of EINTR: the call had done part of its work.
   */
  onInterrupt?: () => number | void;
}

/** A blocking call a signal ended with EINTR: a handler with SA_RESTART may run it again. */
export interface Interrupted {
  /** The syscall number. */
  nr: number;
  /** Whether SA_RESTART (or the absence of a handler) restarts it; signal(7) lists the calls that never restart. */
  restartable: boolean;
}

/** A thread of the guest process, multiplexed on the one vCPU. */
export class GuestThread implements ThreadSignalState {
  /** CPU time of its finished slices, in milliseconds of host busy time. */
  cpuMs = 0;
  state: number = ThreadState.Runnable;
  wait: Wait | undefined = undefined;
  /** CLONE_CHILD_CLEARTID / set_tid_address: zeroed and futex-woken when the thread exits. */
  clearChildTid = 0;
  /** set_robust_list: the head of the thread's list of held robust mutexes (0: none). */
  robustList = 0;
  /** sched_setaffinity: the CPUs the thread may run on (bit n: CPU n). */
  affinity = -1n;
  /** Signals the thread blocks: bit `n - 1` is signal `n`. */
  sigmask = 0n;
  /** The mask to put back after rt_sigsuspend (and after the handler it waited for returns). */
  savedMask: bigint | undefined = undefined;
  /** sigaltstack. */
  altstack = { sp: 0, flags: 2 /* SS_DISABLE */, size: 0 };
  /** Signals sent to this thread (tgkill, faults, SIGEV_THREAD_ID timers). */
  readonly pending = new SignalQueue();
  /** A woken call's deadline, kept for when it runs again at `at` (poll's timeout does not restart). */
  carriedDeadline: { at: number; nr: number; deadline: number } | undefined = undefined;
  /** Set when a signal ended the thread's blocking call, until the signal is delivered. */
  interrupted: Interrupted | undefined = undefined;
  // Saved CPU state (valid while the thread is off the vCPU).
  readonly gpr = new Int32Array(32);
  rip = 0;
  rflags = 0x202;
  fsBase = 0;
  gsBase = 0;
  readonly xmm = new Uint8Array(256);
  mxcsr = 0x1f80;
  x87: X87State;

  constructor(readonly tid: number, x87: X87State = new X87State()) {
    this.x87 = x87;
  }

  /** Copies the vCPU's state into this thread. */
  save(cpu: Cpu): void {
    this.gpr.set(cpu.gpr);
    this.rip = cpu.rip;
    this.rflags = cpu.rflags;
    this.fsBase = cpu.fsBase;
    this.gsBase = cpu.gsBase;
    this.xmm.set(cpu.xmm);
    this.mxcsr = cpu.mxcsr;
    this.x87 = cpu.x87;
  }

  /** Puts this thread's state on the vCPU. */
  restore(cpu: Cpu): void {
    cpu.gpr.set(this.gpr);
    cpu.rip = this.rip;
    cpu.rflags = this.rflags;
    cpu.fsBase = this.fsBase;
    cpu.gsBase = this.gsBase;
    cpu.xmm.set(this.xmm);
    cpu.mxcsr = this.mxcsr;
    cpu.x87 = this.x87;
  }

  /**
   * Blocks `mask` instead of the thread's mask for the rest of the current call, as
   * rt_sigsuspend, ppoll, pselect6 and epoll_pwait do: a signal it lets through interrupts the
   * call, its handler's frame keeps the thread's own mask, and the mask comes back when the call
   * returns. A call that runs again after a wake-up keeps the mask it first replaced.
   */
  setCallMask(mask: bigint): void {
    this.savedMask ??= this.sigmask;
    this.sigmask = mask & ~UNBLOCKABLE_SIGNALS;
  }

  /** The saved rax as a signed number. */
  result(): number {
    return this.gpr[1]! * 4294967296 + (this.gpr[0]! >>> 0);
  }

  /** Sets the saved rax: the result a blocked syscall returns when the thread wakes. */
  setResult(value: number): void {
    const hi = Math.floor(value / 4294967296);
    this.gpr[0] = value - hi * 4294967296;
    this.gpr[1] = hi;
  }
}

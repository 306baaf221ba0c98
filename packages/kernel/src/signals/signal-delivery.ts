// Signal delivery as Linux does it on x86-64. Signals wait in a thread's queue (tgkill, faults,
// SIGEV_THREAD_ID timers) or the process's (kill, sigqueue, alarm) until a thread that does not
// block them runs; a thread blocked in a syscall is interrupted (EINTR, or a restart with
// SA_RESTART). A handler runs on the thread's stack (or its alternate stack) above an
// rt_sigframe that holds the interrupted registers, the FXSAVE image of the x87/SSE state and
// the mask; rt_sigreturn puts them back.
import { UNBLOCKABLE_SIGNALS as UNBLOCKABLE, type ProcessState } from "@nanots/syscalls";
import type { Machine } from "../run/machine.js";
import { Readiness } from "../io/readiness.js";
import { ThreadState, type GuestThread } from "../threads/guest-thread.js";
import { FXSAVE_IMAGE_BYTES, loadFpuImage, saveFpuImage } from "@nanots/x86";
import { faultInfo, senderInfo, SiCode } from "./siginfo.js";
import { sigbit, signoOf, SignalQueue } from "./signal-queue.js";

const SA_ONSTACK = 0x08000000n;
const SA_RESTART = 0x10000000n;
const SA_NODEFER = 0x40000000n;
const SA_RESETHAND = 0x80000000n;
const SA_SIGINFO = 4n;
const SIG_DFL = 0n;
const SIG_IGN = 1n;
const SS_ONSTACK = 1;
const SS_DISABLE = 2;
const SS_AUTODISARM = 0x80000000;
const MINSIGSTKSZ = 2048;

/** Signals whose default action is to do nothing (the stop signals too: Nanos has no job control). */
const IGNORED_BY_DEFAULT = new Set([17, 18, 23, 28, 19, 20, 21, 22]); // CHLD CONT URG WINCH STOP TSTP TTIN TTOU
/** SIGKILL and SIGSTOP: never blocked, caught or ignored. */

// struct rt_sigframe: pretcode (8), ucontext (304: flags, link, stack_t, sigcontext, sigmask), siginfo (128).
const UC = 8;
const MCONTEXT = UC + 40;
const SIGMASK = UC + 296;
const INFO = UC + 304;
const FRAME_SIZE = INFO + 128;
/** sigcontext order of the general registers (our register numbers). */
const GREGS = [8, 9, 10, 11, 12, 13, 14, 15, 7, 6, 5, 3, 2, 0, 1, 4];

/** A synchronous fault's signal. */
export interface PendingSignal {
  signo: number;
  code: number;
  /** si_addr. */
  value: number;
}

/** Delivers signals to the machine's threads. */
export class SignalDelivery {
  /** Signals sent to the process: the first thread that does not block one takes it. */
  readonly processPending = new SignalQueue();
  /** Announces every signal queued: rt_sigtimedwait and signalfd readers wait on it. */
  readonly readiness = new Readiness();
  private state!: ProcessState;

  constructor(private readonly machine: Machine) {
    machine.scheduler.onRun = () => this.deliverPending();
  }

  /** Connects the syscall layer's record of actions; masks and alternate stacks become the threads'. */
  attach(state: ProcessState): void {
    this.state = state;
    const scheduler = this.machine.scheduler;
    state.threadSignals = () => scheduler.current;
    state.pendingSignals = () => scheduler.current.pending.mask | this.processPending.mask;
    state.stackPointer = () => this.machine.cpu.regNumber(4);
    state.discardPending = (signo) => {
      this.processPending.discard(signo);
      for (const t of scheduler.threads) t.pending.discard(signo);
    };
  }

  private get current(): GuestThread {
    return this.machine.scheduler.current;
  }

  /** Whether the action for `signo` discards it (SIG_IGN, or a default of "ignore"). */
  private ignored(signo: number): boolean {
    const handler = this.state.sigactions.get(signo)?.handler ?? SIG_DFL;
    return (UNBLOCKABLE & sigbit(signo)) === 0n && (handler === SIG_IGN || (handler === SIG_DFL && IGNORED_BY_DEFAULT.has(signo)));
  }

  /** Signals `t` accepts now. */
  private allowed(t: GuestThread): bigint {
    return ~t.sigmask | UNBLOCKABLE;
  }

  /**
   * Sends a signal (its siginfo) to thread `target`, or to the process when undefined. Returns
   * false when the queue is full (sigqueue's EAGAIN). An ignored signal that is not blocked is
   * discarded, as on Linux; a blocked one stays pending.
   */
  send(target: GuestThread | undefined, info: Uint8Array): boolean {
    const signo = signoOf(info);
    const bit = sigbit(signo);
    const receiver = target ?? this.current;
    if (this.ignored(signo) && (receiver.sigmask & bit) === 0n) return true;
    if ((target?.pending ?? this.processPending).add(info) === "full") return false;
    const taker = target ?? this.choose(bit);
    if (taker !== undefined && taker.state === ThreadState.Blocked && ((taker.wait?.consumes ?? 0n) & bit) === 0n && (this.allowed(taker) & bit) !== 0n) {
      this.machine.scheduler.interrupt(taker);
    }
    this.readiness.notify();
    return true;
  }

  /** Sends the current thread a signal its own call caused (SIGPIPE for a write to a pipe without readers). */
  raise(signo: number): void {
    this.send(this.current, senderInfo(signo, SiCode.USER));
  }

  /** The thread a process signal goes to: the current one if it accepts it, else the first that does. */
  private choose(bit: bigint): GuestThread | undefined {
    const wants = (t: GuestThread): boolean => t.state !== ThreadState.Exited && ((this.allowed(t) | (t.wait?.consumes ?? 0n)) & bit) !== 0n;
    if (wants(this.current)) return this.current;
    return this.machine.scheduler.threads.find(wants);
  }

  /** Takes the next signal `t` accepts among `allowed` from its queue, then the process's. */
  take(t: GuestThread, allowed: bigint): Uint8Array | undefined {
    return t.pending.take(allowed) ?? this.processPending.take(allowed);
  }

  /** Whether a signal `t` accepts is pending. */
  private deliverable(t: GuestThread): boolean {
    return ((t.pending.mask | this.processPending.mask) & this.allowed(t)) !== 0n;
  }

  /**
   * Acts on the current thread's pending signals before it returns to the program: runs the
   * first handler (or the default action), restarts or ends an interrupted call, and puts back
   * the mask rt_sigsuspend replaced.
   */
  deliverPending(): void {
    const t = this.current;
    // The common case, after every syscall and time slice: nothing to do (no bigint arithmetic).
    if (t.pending.mask === 0n && this.processPending.mask === 0n && t.interrupted === undefined && t.savedMask === undefined) return;
    if (t.state === ThreadState.Blocked) {
      // The call that blocked changed the mask (rt_sigsuspend) and a signal is already waiting.
      if (((t.pending.mask | this.processPending.mask) & this.allowed(t) & ~(t.wait?.consumes ?? 0n)) === 0n) return;
      this.machine.scheduler.interrupt(t);
    }
    if (t.state !== ThreadState.Runnable) return;
    if (!this.deliverable(t) && t.interrupted === undefined && t.savedMask === undefined) return;
    let handled = false;
    // Each handler's frame goes on top of the last: with several signals deliverable at once,
    // Linux sets them all up before returning, so the last one's handler runs first.
    for (let info = this.take(t, this.allowed(t)); info !== undefined; info = this.take(t, this.allowed(t))) {
      const signo = signoOf(info);
      if (this.ignored(signo)) continue;
      const action = this.state.sigactions.get(signo);
      if (action === undefined || action.handler === SIG_DFL || (UNBLOCKABLE & sigbit(signo)) !== 0n) {
        this.machine.terminate(signo, `killed by signal ${signo}`);
        return;
      }
      this.enterHandler(t, info);
      if (this.machine.exitCode !== undefined) return;
      handled = true;
    }
    if (handled) return;
    // Nothing to run: an interrupted call starts again (Linux restarts when no handler ran).
    if (t.interrupted !== undefined) this.restartInterrupted(t);
    if (t.savedMask !== undefined) {
      t.sigmask = t.savedMask;
      t.savedMask = undefined;
    }
  }

  /** Points the current thread back at the syscall a signal interrupted. */
  private restartInterrupted(t: GuestThread): void {
    const nr = t.interrupted!.nr;
    t.interrupted = undefined;
    this.machine.scheduler.setReturn(t, nr, -2);
  }

  /**
   * Delivers a synchronous fault's signal when the program handles it; false when it does not
   * (or blocks it): the machine then ends the program.
   */
  deliverFault(signal: PendingSignal): boolean {
    const t = this.current;
    const action = this.state.sigactions.get(signal.signo);
    if (action === undefined || action.handler === SIG_DFL || action.handler === SIG_IGN) return false;
    if ((t.sigmask & sigbit(signal.signo)) !== 0n) return false;
    this.enterHandler(t, faultInfo(signal.signo, signal.code, signal.value), signal.value);
    return true;
  }

  /** Sets up the frame and enters the handler of the signal `info` describes. */
  private enterHandler(t: GuestThread, info: Uint8Array, faultAddress?: number): void {
    const machine = this.machine;
    const cpu = machine.cpu;
    const signo = signoOf(info);
    const action = this.state.sigactions.get(signo)!;
    if (t.interrupted !== undefined) {
      if ((action.flags & SA_RESTART) !== 0n && t.interrupted.restartable) this.restartInterrupted(t);
      t.interrupted = undefined; // else rax holds -EINTR
    }
    const mask = t.savedMask ?? t.sigmask;
    t.savedMask = undefined;
    // The stack: the alternate one for SA_ONSTACK when set up and not already on it.
    let sp = cpu.regNumber(4);
    const alt = t.altstack;
    const onAlt = alt.size > 0 && sp > alt.sp && sp <= alt.sp + alt.size;
    const toAlt = (action.flags & SA_ONSTACK) !== 0n && (alt.flags & SS_DISABLE) === 0 && !onAlt;
    if (toAlt) sp = alt.sp + alt.size;
    else sp -= 128; // the red zone
    const fpstate = Math.floor((sp - FXSAVE_IMAGE_BYTES) / 64) * 64;
    const frame = Math.floor((fpstate - FRAME_SIZE) / 16) * 16 - 8;
    const bytes = new Uint8Array(fpstate + FXSAVE_IMAGE_BYTES - frame);
    const v = new DataView(bytes.buffer);
    const u64 = (at: number, value: bigint | number): void => v.setBigUint64(at, BigInt.asUintN(64, BigInt(value)), true);
    u64(0, action.restorer);
    // uc_stack records the alternate stack as set up; rt_sigreturn puts it back.
    u64(UC + 16, alt.sp);
    v.setInt32(UC + 24, alt.flags, true);
    u64(UC + 32, alt.size);
    GREGS.forEach((r, k) => u64(MCONTEXT + 8 * k, cpu.getReg(r)));
    u64(MCONTEXT + 128, cpu.rip);
    u64(MCONTEXT + 136, cpu.rflags);
    v.setUint16(MCONTEXT + 144, 0x33, true); // cs
    v.setUint16(MCONTEXT + 150, 0x2b, true); // ss
    if (faultAddress !== undefined) {
      u64(MCONTEXT + 160, 14); // trapno: the fault's vector is not tracked per signal; #PF is typical
      u64(MCONTEXT + 176, faultAddress); // cr2
    }
    u64(MCONTEXT + 168, mask & 0xffffffffn);
    u64(MCONTEXT + 184, fpstate);
    u64(SIGMASK, mask);
    bytes.set(info, INFO);
    saveFpuImage(cpu, bytes.subarray(fpstate - frame));
    if (!machine.space.write(frame, bytes)) {
      // No room for the frame: Linux kills the process with SIGSEGV.
      machine.terminate(11, "segmentation fault: no room on the stack for a signal frame");
      return;
    }
    // SS_AUTODISARM: the alternate stack is off while a handler runs on it; rt_sigreturn restores it.
    if (toAlt && (alt.flags & SS_AUTODISARM) !== 0) t.altstack = { sp: 0, flags: SS_DISABLE, size: 0 };
    // Enter the handler as if called: rdi = signal, rsi = &info, rdx = &ucontext.
    cpu.setRegNumber(7, signo);
    cpu.setRegNumber(6, (action.flags & SA_SIGINFO) !== 0n ? frame + INFO : 0);
    cpu.setRegNumber(2, (action.flags & SA_SIGINFO) !== 0n ? frame + UC : 0);
    cpu.setRegNumber(0, 0);
    cpu.setRegNumber(4, frame);
    cpu.rip = Number(action.handler);
    cpu.setFlagBits(0, 0x400 | 0x100); // DF and TF clear in the handler
    // A handler starts with a clean x87 unit and default MXCSR, as Linux hands it over.
    cpu.x87.reset();
    cpu.mxcsr = 0x1f80;
    cpu.xmm.fill(0);
    t.sigmask = (mask | action.mask | ((action.flags & SA_NODEFER) === 0n ? sigbit(signo) : 0n)) & ~UNBLOCKABLE;
    if ((action.flags & SA_RESETHAND) !== 0n) this.state.sigactions.delete(signo);
  }

  /**
   * rt_sigreturn's sigaltstack(uc_stack): ignored while running on the current alternate stack
   * (EPERM) or when the saved one is invalid, as Linux ignores its error.
   */
  private restoreAltstack(t: GuestThread, sp: number, base: number, flags: number, size: number): void {
    const alt = t.altstack;
    if (alt.size > 0 && sp > alt.sp && sp <= alt.sp + alt.size) return;
    const mode = flags & ~SS_AUTODISARM;
    if (mode === SS_DISABLE) t.altstack = { sp: 0, flags: SS_DISABLE, size: 0 };
    else if ((mode === 0 || mode === SS_ONSTACK) && size >= MINSIGSTKSZ) t.altstack = { sp: base, flags: flags & ~SS_ONSTACK, size };
  }

  /** rt_sigreturn: restores what the frame at rsp - 8 saved. Returns false on a bad frame. */
  sigreturn(): boolean {
    const cpu = this.machine.cpu;
    const t = this.current;
    const sp = cpu.regNumber(4);
    const frame = sp - 8;
    const bytes = this.machine.space.read(frame, FRAME_SIZE);
    if (bytes === undefined) return false;
    const v = new DataView(bytes.buffer);
    const u64 = (at: number): bigint => v.getBigUint64(at, true);
    const fpstate = Number(u64(MCONTEXT + 184));
    const fpu = fpstate !== 0 ? this.machine.space.read(fpstate, FXSAVE_IMAGE_BYTES) : undefined;
    GREGS.forEach((r, k) => cpu.setReg(r, u64(MCONTEXT + 8 * k)));
    cpu.rip = Number(u64(MCONTEXT + 128));
    cpu.setFlagBits(Number(u64(MCONTEXT + 136) & 0xffffffffn), 0x8d5 | 0x400 | 0x100 | 0x40000);
    t.sigmask = u64(SIGMASK) & ~UNBLOCKABLE;
    this.restoreAltstack(t, sp, Number(u64(UC + 16)), v.getUint32(UC + 24, true), Number(u64(UC + 32)));
    if (fpu !== undefined) loadFpuImage(cpu, fpu);
    else {
      cpu.x87.reset();
      cpu.mxcsr = 0x1f80;
    }
    return true;
  }
}

// Signal delivery as Linux does it on x86-64: a handler runs on the thread's stack (or its
// alternate stack) above an rt_sigframe that holds the interrupted registers, the x87/SSE state
// and the mask; rt_sigreturn puts them back. Faults the program handles (SIGSEGV, SIGFPE…) and
// signals it sends itself (kill, tgkill) go through here.
import type { ProcessState } from "@nanots/syscalls";
import type { Cpu } from "@nanots/x86";
import type { Machine } from "../run/machine.js";
import type { GuestThread } from "../threads/guest-thread.js";

const SA_ONSTACK = 0x08000000n;
const SA_NODEFER = 0x40000000n;
const SA_RESETHAND = 0x80000000n;
const SA_SIGINFO = 4n;
const SIG_DFL = 0n;
const SIG_IGN = 1n;
const SS_ONSTACK = 1;
const SS_DISABLE = 2;

/** Signals whose default action is to do nothing. */
const IGNORED_BY_DEFAULT = new Set([17, 18, 23, 28]); // SIGCHLD, SIGCONT, SIGURG, SIGWINCH
/** Signals that cannot be caught or ignored. */
const UNCATCHABLE = new Set([9, 19]); // SIGKILL, SIGSTOP

// struct rt_sigframe: pretcode (8), ucontext (304: flags, link, stack_t, sigcontext, sigmask), siginfo (128).
const UC = 8;
const MCONTEXT = UC + 40;
const SIGMASK = UC + 296;
const INFO = UC + 304;
const FRAME_SIZE = INFO + 128;
const FXSAVE_SIZE = 512;
/** sigcontext order of the general registers (our register numbers). */
const GREGS = [8, 9, 10, 11, 12, 13, 14, 15, 7, 6, 5, 3, 2, 0, 1, 4];

/** A signal waiting for delivery. */
export interface PendingSignal {
  signo: number;
  code: number;
  /** si_addr for faults, or the sender's pid. */
  value: number;
}

/** Delivers signals to the machine's threads. */
export class SignalDelivery {
  /** Pending signals per thread id. */
  private readonly pending = new Map<number, PendingSignal[]>();

  constructor(
    private readonly machine: Machine,
    /** The syscall layer's record of actions, mask and alternate stack. */
    private readonly process: () => ProcessState,
  ) {}

  private get state(): ProcessState {
    return this.process();
  }

  /** Queues a signal for thread `tid`; the default action (termination) applies if unhandled. */
  send(tid: number, signal: PendingSignal): void {
    const action = this.state.sigactions.get(signal.signo);
    if (action?.handler === SIG_IGN && !UNCATCHABLE.has(signal.signo)) return;
    if ((action === undefined || action.handler === SIG_DFL) && IGNORED_BY_DEFAULT.has(signal.signo)) return;
    const list = this.pending.get(tid) ?? [];
    list.push(signal);
    this.pending.set(tid, list);
  }

  /** Delivers the current thread's first unblocked pending signal, if any. */
  deliverPending(): void {
    const thread = this.machine.scheduler.current;
    const list = this.pending.get(thread.tid);
    if (list === undefined) return;
    const index = list.findIndex((s) => UNCATCHABLE.has(s.signo) || (this.state.sigmask & (1n << BigInt(s.signo - 1))) === 0n);
    if (index < 0) return;
    const [signal] = list.splice(index, 1);
    this.deliver(thread, signal!);
  }

  /**
   * Delivers a synchronous fault's signal when the program handles it; false when it does not
   * (or blocks it): the machine then ends the program.
   */
  deliverFault(signal: PendingSignal): boolean {
    const action = this.state.sigactions.get(signal.signo);
    if (action === undefined || action.handler === SIG_DFL || action.handler === SIG_IGN) return false;
    if ((this.state.sigmask & (1n << BigInt(signal.signo - 1))) !== 0n) return false;
    return this.deliver(this.machine.scheduler.current, signal);
  }

  /** Sets up the frame and enters the handler; false when the default action applies. */
  private deliver(_thread: GuestThread, signal: PendingSignal): boolean {
    const machine = this.machine;
    const cpu = machine.cpu;
    const action = this.state.sigactions.get(signal.signo);
    if (action === undefined || action.handler === SIG_DFL || UNCATCHABLE.has(signal.signo)) {
      machine.terminate(signal.signo, `killed by signal ${signal.signo}`);
      return true;
    }
    if (action.handler === SIG_IGN) return true;
    // The stack: the alternate one for SA_ONSTACK when set up and not already on it.
    let sp = cpu.regNumber(4);
    const alt = this.state.altstack;
    const onAlt = alt.size > 0 && sp > alt.sp && sp <= alt.sp + alt.size;
    if ((action.flags & SA_ONSTACK) !== 0n && (alt.flags & SS_DISABLE) === 0 && !onAlt) sp = alt.sp + alt.size;
    else sp -= 128; // the red zone
    const fpstate = Math.floor((sp - FXSAVE_SIZE) / 64) * 64;
    const frame = Math.floor((fpstate - FRAME_SIZE) / 16) * 16 - 8;
    const bytes = new Uint8Array(fpstate + FXSAVE_SIZE - frame);
    const v = new DataView(bytes.buffer);
    const u64 = (at: number, value: bigint | number): void => v.setBigUint64(at, BigInt.asUintN(64, BigInt(value)), true);
    u64(0, action.restorer);
    // uc_stack describes the alternate stack, as Linux saves it.
    u64(UC + 16, alt.sp);
    v.setInt32(UC + 24, onAlt ? SS_ONSTACK : alt.flags, true);
    u64(UC + 32, alt.size);
    GREGS.forEach((r, k) => u64(MCONTEXT + 8 * k, cpu.getReg(r)));
    u64(MCONTEXT + 128, cpu.rip);
    u64(MCONTEXT + 136, cpu.rflags);
    v.setUint16(MCONTEXT + 144, 0x33, true); // cs
    v.setUint16(MCONTEXT + 150, 0x2b, true); // ss
    u64(MCONTEXT + 160, 14); // trapno: the fault's vector is not tracked per signal; #PF is typical
    u64(MCONTEXT + 168, this.state.sigmask & 0xffffffffn);
    u64(MCONTEXT + 176, signal.value); // cr2
    u64(MCONTEXT + 184, fpstate);
    u64(SIGMASK, this.state.sigmask);
    v.setInt32(INFO, signal.signo, true);
    v.setInt32(INFO + 8, signal.code, true);
    u64(INFO + 16, signal.value); // si_addr, or si_pid for kill
    saveFpu(cpu, bytes.subarray(fpstate - frame));
    if (!machine.space.write(frame, bytes)) {
      // No room for the frame: Linux kills the process with SIGSEGV.
      machine.terminate(11, "segmentation fault: no room on the stack for a signal frame");
      return true;
    }
    // Enter the handler as if called: rdi = signal, rsi = &info, rdx = &ucontext.
    cpu.setRegNumber(7, signal.signo);
    cpu.setRegNumber(6, (action.flags & SA_SIGINFO) !== 0n ? frame + INFO : 0);
    cpu.setRegNumber(2, (action.flags & SA_SIGINFO) !== 0n ? frame + UC : 0);
    cpu.setRegNumber(0, 0);
    cpu.setRegNumber(4, frame);
    cpu.rip = Number(action.handler);
    cpu.setFlagBits(0, 0x400 | 0x100); // DF and TF clear in the handler
    if ((action.flags & SA_NODEFER) === 0n) this.state.sigmask |= 1n << BigInt(signal.signo - 1);
    this.state.sigmask |= action.mask;
    if ((action.flags & SA_RESETHAND) !== 0n) this.state.sigactions.delete(signal.signo);
    return true;
  }

  /** rt_sigreturn: restores what the frame at rsp - 8 saved. Returns false on a bad frame. */
  sigreturn(): boolean {
    const cpu = this.machine.cpu;
    const frame = cpu.regNumber(4) - 8;
    const bytes = this.machine.space.read(frame, FRAME_SIZE);
    if (bytes === undefined) return false;
    const v = new DataView(bytes.buffer);
    const u64 = (at: number): bigint => v.getBigUint64(at, true);
    const fpstate = Number(u64(MCONTEXT + 184));
    const fpu = fpstate !== 0 ? this.machine.space.read(fpstate, FXSAVE_SIZE) : undefined;
    GREGS.forEach((r, k) => cpu.setReg(r, u64(MCONTEXT + 8 * k)));
    cpu.rip = Number(u64(MCONTEXT + 128));
    cpu.setFlagBits(Number(u64(MCONTEXT + 136) & 0xffffffffn), 0x8d5 | 0x400 | 0x100 | 0x40000);
    this.state.sigmask = u64(SIGMASK) & ~((1n << 8n) | (1n << 18n)); // SIGKILL and SIGSTOP stay unblocked
    if (fpu !== undefined) restoreFpu(cpu, fpu);
    return true;
  }
}

/** The x87/SSE state in FXSAVE layout: control/status words, MXCSR and the XMM registers. */
function saveFpu(cpu: Cpu, out: Uint8Array): void {
  const v = new DataView(out.buffer, out.byteOffset, out.byteLength);
  v.setUint32(24, cpu.mxcsr, true);
  v.setUint32(28, 0xffff, true);
  out.set(cpu.xmm, 160);
}

function restoreFpu(cpu: Cpu, bytes: Uint8Array): void {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  cpu.mxcsr = v.getUint32(24, true) & 0xffff;
  cpu.xmm.set(bytes.subarray(160, 160 + 256));
}

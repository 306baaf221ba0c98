// The machine: guest RAM, one vCPU, the address space and the run loop that turns CPU exits
// into system calls, demand paging and fatal signals.
import { Cpu, cpuid, Exit, Vector } from "@nanots/x86";
import { parseElf } from "../elf/parse-elf.js";
import { ElfError } from "../elf/elf-error.js";
import { planInterpreterLoad, planProgramLoad } from "../elf/load-plan.js";
import { buildInitialStack } from "../process/build-initial-stack.js";
import { AddressSpace } from "../mm/address-space.js";
import { FrameAllocator } from "../mm/frames.js";
import { MemoryManager } from "../mm/memory-manager.js";
import { Prot } from "../mm/vmap.js";
import { loadSegments } from "./load-program.js";
import { buildVdso } from "../vdso/build-vdso.js";
import { Scheduler } from "../threads/scheduler.js";
import { fatalSignal, Signal, type PageFaultKind } from "./fatal-signal.js";
import type { SignalDelivery } from "../signals/signal-delivery.js";

const GIB = 2 ** 30;
/** Nanos keeps the program below 3 GiB and its stack just below 4 GiB; mmap goes above 4 GiB. */
const STACK_TOP = 4 * GIB;
const STACK_SIZE = 8 * 1024 * 1024;
const MMAP_MIN = 4 * GIB + 0x10000000;
const MMAP_TOP = 0x7f0000000000;
/** The vDSO image, built once: every machine maps the same bytes. */
const VDSO = buildVdso();
/** Instructions per run slice before the loop checks on the host. */
const SLICE = 1 << 20;
/** The slice when several threads share the vCPU. */
const THREAD_SLICE = 1 << 16;

/** Lets the host's event loop run (timers, I/O) between slices; setImmediate where there is one. */
function yieldToHost(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: (f: () => void) => void }).setImmediate;
  return new Promise((resolve) => (immediate !== undefined ? immediate(resolve) : setTimeout(resolve, 0)));
}


/** How the machine reports a fatal signal. */
export interface Crash {
  signal: number;
  /** Faulting address for SIGSEGV/SIGBUS. */
  address: number;
  rip: number;
  /** One line for a person. */
  message: string;
}

/** Options of {@link Machine}. */
export interface MachineOptions {
  /** Guest RAM in bytes (default 256 MiB). */
  memoryBytes?: number;
  /** Randomise the layout (default true). */
  aslr?: boolean;
  /** Source of randomness for AT_RANDOM and ASLR. */
  random?: (bytes: Uint8Array) => void;
  /** The syscall layer (set later with {@link Machine.syscalls}). Returns the result or -errno. */
  syscalls?: SyscallHandler;
}

/** Handles one system call: number and six arguments; returns the result or -errno. */
export type SyscallHandler = (nr: number, args: readonly number[], machine: Machine) => number;

/** What to start. */
export interface ProgramSpec {
  /** The ELF file. */
  file: Uint8Array;
  /** Path the program has in the image (AT_EXECFN, /proc/self/exe). */
  path: string;
  argv: string[];
  env: string[];
  /** The interpreter (ld.so) of a dynamic program, from the image. */
  interpreter?: { file: Uint8Array; path: string };
}

/** One VM running one Linux program. */
export class Machine {
  readonly cpu: Cpu;
  readonly frames: FrameAllocator;
  readonly space: AddressSpace;
  mm!: MemoryManager;
  /** Exit status once the program has exited. */
  exitCode: number | undefined = undefined;
  /** Set when a fatal signal ended the program. */
  crash: Crash | undefined = undefined;
  /** The guest's threads on the one vCPU. */
  readonly scheduler: Scheduler;
  /** The kernel's randomness (AT_RANDOM, ASLR); boot points it at the virtio-rng device. */
  random: (bytes: Uint8Array) => void;
  /** Randomise the layout at the next {@link load} (the `noaslr` manifest flag clears it). */
  aslr: boolean;
  /** Signal delivery, once the syscall layer that records the actions is installed. */
  signals: SignalDelivery | undefined = undefined;
  /** Set by rt_sigreturn: the syscall restored every register, rax included. */
  registersRestored = false;
  /** The syscall layer; ENOSYS for everything until one is installed. */
  syscalls: SyscallHandler;

  constructor(options: MachineOptions = {}) {
    this.syscalls = options.syscalls ?? (() => -38);
    this.aslr = options.aslr !== false;
    this.random = options.random ?? ((b) => void globalThis.crypto.getRandomValues(b));
    const bytes = options.memoryBytes ?? 256 * 1024 * 1024;
    this.cpu = new Cpu({ memoryBytes: bytes });
    // Frame 0 stays unused so a zero physical address is never handed out.
    this.frames = new FrameAllocator(4096, Math.floor(this.cpu.mem.length / 4096) * 4096);
    this.space = new AddressSpace(this.cpu, this.frames);
    this.scheduler = new Scheduler(this.cpu);
  }

  /** Ends the program with an exit status (exit and exit_group). */
  exit(code: number): void {
    // Shared file mappings reach their files, as the kernel does when the process goes away.
    this.space.writeBack(0, 2 ** 47);
    this.exitCode = code;
  }

  private randomBytes(n: number): Uint8Array {
    const b = new Uint8Array(n);
    this.random(b);
    return b;
  }

  /** A random page-aligned offset below `range` (0 without ASLR). */
  private aslrOffset(range: number): number {
    if (!this.aslr) return 0;
    const r = new DataView(this.randomBytes(4).buffer).getUint32(0, true);
    return Math.floor((r / 2 ** 32) * (range / 4096)) * 4096;
  }

  /** Loads a static or static-PIE program and prepares the CPU to run it. Throws ElfError on a bad file. */
  load(program: ProgramSpec): void {
    const image = parseElf(program.file);
    if (image.interpreter !== undefined && program.interpreter === undefined) {
      throw new ElfError("unsupported", `${program.path} is dynamically linked but its interpreter ${image.interpreter} is not in the image`);
    }
    const plan = planProgramLoad(image, this.aslrOffset(4 * 1024 * 1024));
    loadSegments(this.space, program.file, plan, program.path);
    const brkStart = plan.end + this.aslrOffset(32 * 1024 * 1024);
    this.mm = new MemoryManager(this.space, {
      mmapMin: MMAP_MIN,
      mmapTop: MMAP_TOP - this.aslrOffset(GIB),
      brkStart,
      brkLimit: 3 * GIB,
    });
    let entry = plan.entry;
    let base = 0;
    if (program.interpreter !== undefined) {
      // ld.so goes in the mmap area, as Nanos places it above 4 GiB.
      const interp = parseElf(program.interpreter.file);
      const size = Math.ceil((interp.loadEnd - interp.loadStart) / 4096) * 4096;
      const at = this.space.findFree(size, MMAP_MIN, this.mm.layout.mmapTop);
      if (at < 0) throw new ElfError("placement", "no room for the program interpreter");
      const interpPlan = planInterpreterLoad(interp, at);
      loadSegments(this.space, program.interpreter.file, interpPlan, program.interpreter.path);
      entry = interpPlan.entry;
      base = interpPlan.start;
    }
    // The vDSO (clock_gettime and friends), where AT_SYSINFO_EHDR tells the C library.
    const vdso = VDSO;
    const vdsoAt = this.space.findFree(vdso.mapSize, MMAP_MIN, this.mm.layout.mmapTop);
    if (vdsoAt < 0) throw new ElfError("placement", "no room for the vDSO");
    this.space.map(vdsoAt, vdsoAt + vdso.mapSize, Prot.Read | Prot.Exec, {
      name: "[vdso]",
      source: { fill: (offset, dst) => dst.set(vdso.bytes.subarray(offset, offset + dst.length)) },
    });
    const stackTop = STACK_TOP - this.aslrOffset(16 * 1024 * 1024);
    this.space.map(stackTop - STACK_SIZE, stackTop, Prot.Read | Prot.Write, { name: "[stack]" });
    const stack = buildInitialStack({
      argv: program.argv,
      envp: program.env,
      stackTop,
      auxv: {
        phdr: plan.phdrAddress ?? 0,
        phent: image.phent,
        phnum: image.phnum,
        entry: plan.entry,
        base,
        random: this.randomBytes(16),
        // AT_HWCAP is CPUID.1:EDX of the emulated processor, as Linux reports it.
        hwcap: cpuid(1, 0)[3] >>> 0,
        hwcap2: 0,
        execfn: program.path,
        sysinfoEhdr: vdsoAt,
      },
    });
    if (!this.space.write(stack.base, stack.bytes)) throw new Error("the initial stack does not fit its mapping");
    // At entry every register is zero but rsp (glibc's _start passes rdx to atexit).
    this.cpu.gpr.fill(0);
    this.cpu.rflags = 0x202;
    this.cpu.setRegNumber(4, stack.rsp);
    this.cpu.rip = entry;
  }

  /**
   * Runs until the program exits or dies. Returns the exit status (128 + signal for a crash,
   * as a shell reports it). Yields to the event loop between slices.
   */
  async run(): Promise<number> {
    const cpu = this.cpu;
    const scheduler = this.scheduler;
    let slices = 0;
    while (this.exitCode === undefined) {
      // With several threads, shorter slices keep a spinning thread from starving the others.
      const exit = cpu.run(scheduler.live > 1 ? THREAD_SLICE : SLICE);
      if (exit === Exit.Syscall) this.syscall();
      else if (exit === Exit.Fault) this.fault();
      if (this.exitCode !== undefined) break;
      this.signals?.deliverPending();
      if (this.exitCode !== undefined) break;
      if (!scheduler.schedule(exit === Exit.Budget && scheduler.live > 1)) {
        // No thread can run: wait on the host for the earliest deadline.
        for (;;) {
          const deadline = scheduler.nextDeadline();
          if (deadline === Infinity) {
            this.crash = { signal: Signal.SIGABRT, address: 0, rip: cpu.rip, message: "deadlock: every thread waits and nothing can wake them" };
            this.exitCode = 128 + Signal.SIGABRT;
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - performance.now())));
          if (scheduler.resumeAfterWait()) break;
        }
      } else if (exit === Exit.Budget && ++slices % 16 === 0) await yieldToHost();
    }
    return this.exitCode;
  }

  /** Ends the program as a fatal signal does (128 + signal). */
  terminate(signal: number, message: string): void {
    this.crash = { signal, address: 0, rip: this.cpu.rip, message };
    this.exitCode = 128 + signal;
  }

  /** Ends the current thread (exit); the process ends with the last one. */
  exitThread(code: number): void {
    const t = this.scheduler.current;
    if (t.clearChildTid !== 0) {
      // CLONE_CHILD_CLEARTID: zero the tid word and wake a joiner (pthread_join, Go's notes).
      this.space.write(t.clearChildTid, new Uint8Array(4));
      this.scheduler.wake(t.clearChildTid, 1);
    }
    this.scheduler.exitCurrent();
    if (this.scheduler.live === 0) this.exit(code);
  }

  private syscall(): void {
    const cpu = this.cpu;
    const nr = cpu.regNumber(0);
    const args = [cpu.regNumber(7), cpu.regNumber(6), cpu.regNumber(2), cpu.regNumber(10), cpu.regNumber(8), cpu.regNumber(9)];
    const result = this.syscalls(nr, args, this);
    if (this.registersRestored) {
      this.registersRestored = false;
      return;
    }
    if (this.scheduler.restartPending) {
      // The call waits and runs again when woken: back to the SYSCALL with rax = its number.
      this.scheduler.restartPending = false;
      cpu.rip -= 2;
      cpu.setRegNumber(0, nr);
      return;
    }
    cpu.setRegNumber(0, result);
  }

  /** What a page fault the address space could not resolve hit. */
  private pageFaultKind(address: number): PageFaultKind {
    if (!this.space.covers(address, address + 1)) return "not mapped";
    return this.space.pastEndOfFile(address) ? "past the end of the mapped file" : "protection";
  }

  private fault(): void {
    const cpu = this.cpu;
    const f = cpu.fault;
    if (f.vector === Vector.PF && this.space.handleFault(f.address, f.errorCode)) return;
    const { signal, code, address, what } = fatalSignal(f, cpu.rip, cpu.lastUnimplemented, f.vector === Vector.PF ? this.pageFaultKind(f.address) : undefined);
    cpu.lastUnimplemented = "";
    // A handler the program installed takes the fault.
    if (this.signals?.deliverFault({ signo: signal, code, value: address }) === true) return;
    this.crash = { signal, address: f.address, rip: cpu.rip, message: `${what} at rip 0x${cpu.rip.toString(16)}` };
    this.exitCode = 128 + signal;
  }
}

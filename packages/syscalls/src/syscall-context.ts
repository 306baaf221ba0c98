import type { FdTable } from "./fd-table.js";
import type { Utsname } from "./structs/utsname.js";
import type { UserMemory } from "./user-memory.js";
import type { ConsoleIo } from "./vfs/devices.js";
import type { FileDescription } from "./vfs/file-description.js";
import type { Vfs } from "./vfs/vfs.js";

/** The six argument registers (rdi, rsi, rdx, r10, r8, r9) as signed 64-bit values. */
export type SyscallArgs = readonly number[];

/** A syscall implementation: returns the result, or a negative errno. May throw `LinuxError`. */
export type SyscallHandler = (args: SyscallArgs) => number;

/**
 * What the kernel owns and the syscall layer asks it for: the address space, the thread
 * registers, the end of the process. Each returns the syscall result (negative errno on
 * failure). Missing memory hooks make those calls fail with `ENOMEM`.
 */
export interface KernelHooks {
  /** `exit` (one thread, `group` false) or `exit_group`. The kernel stops the thread or process. */
  exit(code: number, group: boolean): void;
  /** `brk`: the new break (or the current one when refused), as Linux returns it. */
  brk?(addr: number): number;
  /** `mmap`; `file` is the description for a file mapping (the fd is checked already). */
  mmap?(addr: number, length: number, prot: number, flags: number, file: FileDescription | undefined, offset: number): number;
  /** `munmap`. */
  munmap?(addr: number, length: number): number;
  /** `mprotect`. */
  mprotect?(addr: number, length: number, prot: number): number;
  /** `mremap`. */
  mremap?(oldAddr: number, oldLength: number, newLength: number, flags: number, newAddr: number): number;
  /** `madvise`. */
  madvise?(addr: number, length: number, advice: number): number;
  /** `msync`. */
  msync?(addr: number, length: number, flags: number): number;
  /** `mincore`. */
  mincore?(addr: number, length: number, vec: number): number;
  /** `arch_prctl`: sets or reads FS/GS base. */
  archPrctl?(code: number, addr: number): number;
}

/** Clocks in nanoseconds. */
export interface Clocks {
  /** `CLOCK_REALTIME`: since the Unix epoch. */
  realtime(): bigint;
  /** `CLOCK_MONOTONIC`: since boot. */
  monotonic(): bigint;
  /**
   * CPU time used (`CLOCK_PROCESS_CPUTIME_ID`, `CLOCK_THREAD_CPUTIME_ID`, getrusage, times) by
   * the process or by the calling thread. Default: `monotonic` for both (the process owns its
   * vCPU from boot on).
   */
  cpuTime?(scope: "process" | "thread"): bigint;
}

/** One traced syscall. */
export interface TraceEvent {
  /** The syscall number. */
  readonly nr: number;
  /** Its argument registers. */
  readonly args: SyscallArgs;
  /** The result, or undefined for a call that did not return (exit). */
  readonly result: number | undefined;
  /** The strace-style line (`openat(AT_FDCWD, "/x", O_RDONLY) = 3`). */
  readonly text: string;
}

/** Everything {@link createSyscalls} works with. */
export interface SyscallContext {
  /** The guest's memory. */
  memory: UserMemory;
  /** The file layer. */
  vfs: Vfs;
  /** The fd table (fds 0–2 are installed on the console by {@link createSyscalls} when free). */
  fds: FdTable;
  /** Where fd 1 and fd 2 write, and fd 0 reads. */
  console: { stdin?: ConsoleIo["read"]; stdout: (bytes: Uint8Array) => void; stderr: (bytes: Uint8Array) => void };
  /** The kernel's half. */
  kernel: KernelHooks;
  /** Random bytes (`getrandom`, `/dev/urandom`). */
  random: (length: number) => Uint8Array;
  /** Clocks; default: the host's high-resolution clock (`performance.timeOrigin + performance.now()`). */
  clocks?: Clocks;
  /** The current thread id (default 1). */
  tid?: () => number;
  /** `uname` fields over Nanos's defaults. */
  uname?: Partial<Utsname>;
  /** Memory sizes `getrlimit`/`sysinfo` report (bytes). Defaults as Nanos: 512 MiB RAM, the 2^47 − 4 GiB mmap area, a 2 MiB stack. */
  limits?: { memory?: number; addressSpace?: number; stack?: number };
  /** Free physical memory in bytes, for `sysinfo` (Nanos: total minus allocated). Default: all of `limits.memory`. */
  freeMemory?: () => number;
  /** The most memory the process has had resident, in bytes (`getrusage`'s `ru_maxrss`). Default 0. */
  peakResidentMemory?: () => number;
  /** Online CPUs (`sched_getaffinity`). Default 1. */
  cpus?: number;
  /** Called with every finished syscall when set (the `-d` / `debugsyscalls` log). */
  trace?: (event: TraceEvent) => void;
  /** Kernel implementations that replace or add syscalls by name (futex with a scheduler, nanosleep…). */
  overrides?: Readonly<Record<string, SyscallHandler>>;
  /** Told about an exception that is not a Linux error (a bug); the guest gets `EIO`. */
  onInternalError?: (error: unknown, nr: number, args: SyscallArgs) => void;
}

// The system calls the kernel itself owns (memory, the CPU's segment bases, process exit):
// everything else goes to @nanots/syscalls.
import type { Cpu } from "@nanots/x86";
import type { MappableFile, MemoryManager } from "../mm/memory-manager.js";

const ARCH_SET_GS = 0x1001;
const ARCH_SET_FS = 0x1002;
const ARCH_GET_FS = 0x1003;
const ARCH_GET_GS = 0x1004;
const EINVAL = 22;
const EFAULT = 14;

/** Syscall numbers handled here. */
export const KernelSyscall = {
  mmap: 9,
  mprotect: 10,
  munmap: 11,
  brk: 12,
  mremap: 25,
  madvise: 28,
  exit: 60,
  archPrctl: 158,
  exitGroup: 231,
} as const;

/** What the kernel syscalls act on. */
export interface KernelSyscallContext {
  cpu: Cpu;
  mm: MemoryManager;
  /** Ends the process (exit and exit_group: one thread for now). */
  exit(code: number): void;
  /** The file behind an fd, for mmap; undefined when the fd is not mappable. */
  mappable(fd: number): MappableFile | undefined;
  /** Writes a u64 to user memory; false on a fault. */
  writeU64(addr: number, value: number): boolean;
}

/**
 * Handles syscall `nr` when the kernel owns it: returns the result (negative errno on error),
 * or undefined when the syscall belongs to the syscall layer.
 */
export function kernelSyscall(ctx: KernelSyscallContext, nr: number, a: readonly number[]): number | undefined {
  const mm = ctx.mm;
  switch (nr) {
    case KernelSyscall.brk:
      return mm.brk(a[0]!);
    case KernelSyscall.mmap: {
      const flags = a[3]! | 0;
      const anonymous = (flags & 0x20) !== 0;
      const file = anonymous ? undefined : ctx.mappable(a[4]! | 0);
      if (!anonymous && file === undefined) return -9; // EBADF
      return mm.mmap(a[0]!, a[1]!, a[2]! | 0, flags, file, a[5]!);
    }
    case KernelSyscall.munmap:
      return mm.munmap(a[0]!, a[1]!);
    case KernelSyscall.mprotect:
      return mm.mprotect(a[0]!, a[1]!, a[2]! | 0);
    case KernelSyscall.mremap:
      return mm.mremap(a[0]!, a[1]!, a[2]!, a[3]! | 0, a[4]!);
    case KernelSyscall.madvise:
      return mm.madvise(a[0]!, a[1]!, a[2]! | 0);
    case KernelSyscall.archPrctl:
      return archPrctl(ctx, a[0]! | 0, a[1]!);
    case KernelSyscall.exit:
    case KernelSyscall.exitGroup:
      ctx.exit(a[0]! & 0xff);
      return 0;
    default:
      return undefined;
  }
}

function archPrctl(ctx: KernelSyscallContext, code: number, addr: number): number {
  const cpu = ctx.cpu;
  switch (code) {
    case ARCH_SET_FS:
    case ARCH_SET_GS:
      if (!(addr >= 0 && addr < 2 ** 47)) return -1; // EPERM for a non-canonical user base
      if (code === ARCH_SET_FS) cpu.fsBase = addr;
      else cpu.gsBase = addr;
      return 0;
    case ARCH_GET_FS:
      return ctx.writeU64(addr, cpu.fsBase) ? 0 : -EFAULT;
    case ARCH_GET_GS:
      return ctx.writeU64(addr, cpu.gsBase) ? 0 : -EFAULT;
    default:
      return -EINVAL;
  }
}

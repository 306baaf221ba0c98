// The kernel's half of the syscall layer (@nanots/syscalls' KernelHooks): memory, the CPU's
// segment bases and process exit. @nanots/syscalls checks the arguments and traces the calls;
// these carry them out.
import { hostClocks, RegularFileDescription, writeU64, type Clocks, type FileDescription, type KernelHooks } from "@nanots/syscalls";
import type { AddressSpace } from "../mm/address-space.js";
import { isKernelMappable } from "../mm/kernel-mappable.js";
import { MapFlag, type MappableFile } from "../mm/memory-manager.js";
import { SharedFilePages } from "../mm/shared-file-pages.js";
import type { Machine } from "./machine.js";
import type { Scheduler } from "../threads/scheduler.js";

const ARCH_SET_GS = 0x1001;
const ARCH_SET_FS = 0x1002;
const ARCH_GET_FS = 0x1003;
const ARCH_GET_GS = 0x1004;
const EINVAL = 22;
const EFAULT = 14;
const EPERM = 1;
const EBADF = 9;

/**
 * A file description's contents as pages for a file mapping: a regular file's mappings map the
 * file's shared pages (coherent with every other mapping and with read/write; a private mapping
 * copies a page at its first store into it); other files' mappings get private copies of the
 * contents at first touch.
 */
function mappable(file: FileDescription, flags: number, space: AddressSpace): MappableFile {
  if (file instanceof RegularFileDescription) {
    const pages = SharedFilePages.of(file.file, space);
    if (file.writable && (flags & 0xf) !== MapFlag.Private) pages.allowStores();
    return { name: file.path, writable: file.writable, source: pages };
  }
  return {
    name: file.path,
    writable: file.writable,
    source: {
      fill(offset: number, dst: Uint8Array): void {
        dst.set(file.pread(dst.length, offset).subarray(0, dst.length));
      },
      // Shared writable mappings reach the file, up to its current size (pages past the end
      // of the file do not grow it, as on Linux).
      writeBack(offset: number, bytes: Uint8Array): void {
        const size = file.size();
        try {
          if (offset < size) file.pwrite(bytes.subarray(0, Math.min(bytes.length, size - offset)), offset);
        } catch {
          // A failed write-back (a full disk) loses the data as a crashed writeback would; the
          // guest already saw its stores succeed.
        }
      },
    },
  };
}

/**
 * The machine's clocks: the host's, and as CPU time the time the host has been busy since the
 * machine was made (running the guest counts, waiting for a sleeping guest does not), split
 * between threads by the scheduler's slices.
 */
export function kernelClocks(scheduler: Scheduler): Clocks {
  const ns = (ms: number) => BigInt(Math.round(ms * 1e6));
  return { ...hostClocks, cpuTime: (scope) => ns(scope === "thread" ? scheduler.currentCpuMs() : scheduler.processCpuMs()) };
}

/** The hooks through which @nanots/syscalls reaches this machine. */
export function kernelHooks(machine: Machine): KernelHooks {
  const mm = () => machine.mm;
  return {
    exit: (code, group) => (group ? machine.exit(code & 0xff) : machine.exitThread(code & 0xff)),
    brk: (addr) => mm().brk(addr),
    mmap: (addr, length, prot, flags, file, offset) => {
      if (file !== undefined && !file.readable) return -EBADF;
      if (isKernelMappable(file)) {
        const mapping = file.kernelMapping(offset, length, prot);
        return typeof mapping === "number" ? mapping : mm().mmap(addr, length, prot, flags, mapping, 0);
      }
      const result = mm().mmap(addr, length, prot, flags, file === undefined ? undefined : mappable(file, flags, machine.space), offset);
      // Pages made for a mapping that failed (bad flags, no room) go again.
      if (result < 0 && file instanceof RegularFileDescription && file.file.pages instanceof SharedFilePages) file.file.pages.releaseIfUnmapped();
      return result;
    },
    munmap: (addr, length) => mm().munmap(addr, length),
    mprotect: (addr, length, prot) => mm().mprotect(addr, length, prot),
    mremap: (oldAddr, oldLength, newLength, flags, newAddr) => mm().mremap(oldAddr, oldLength, newLength, flags, newAddr),
    madvise: (addr, length, advice) => mm().madvise(addr, length, advice),
    msync: (addr, length) => mm().msync(addr, length),
    mincore: (addr, length, vec) => {
      const pages = mm().mincore(addr, length);
      if (typeof pages === "number") return pages;
      return machine.space.write(vec, pages) ? 0 : -EFAULT;
    },
    archPrctl: (code, addr) => archPrctl(machine, code, addr),
  };
}

function archPrctl(machine: Machine, code: number, addr: number): number {
  const cpu = machine.cpu;
  switch (code) {
    case ARCH_SET_FS:
    case ARCH_SET_GS:
      if (!(addr >= 0 && addr < 2 ** 47)) return -EPERM;
      if (code === ARCH_SET_FS) cpu.fsBase = addr;
      else cpu.gsBase = addr;
      return 0;
    case ARCH_GET_FS:
      return writeU64(machine.space, addr, cpu.fsBase) ? 0 : -EFAULT;
    case ARCH_GET_GS:
      return writeU64(machine.space, addr, cpu.gsBase) ? 0 : -EFAULT;
    default:
      return -EINVAL;
  }
}

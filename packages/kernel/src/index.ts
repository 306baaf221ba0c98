// Public API of @nanots/kernel: re-exports only.

export { ElfError, type ElfErrorKind } from "./elf/elf-error.js";
export * from "./elf/elf-constants.js";
export type { ElfImage, LoadSegment, SegmentProtection, TlsTemplate } from "./elf/elf-image.js";
export { parseElf } from "./elf/parse-elf.js";
export {
  PIE_ASLR_RANGE,
  PIE_BASE,
  PROGRAM_LOAD_LIMIT,
  planInterpreterLoad,
  planLoad,
  planProgramLoad,
  type LoadPlan,
  type SegmentMapping,
} from "./elf/load-plan.js";

export * from "./process/auxv-type.js";
export { StackLayoutError } from "./process/stack-layout-error.js";
export {
  buildInitialStack,
  type AuxvValues,
  type InitialStack,
  type InitialStackInput,
} from "./process/build-initial-stack.js";
export { readInitialStack, type ParsedInitialStack, type StackString } from "./process/read-initial-stack.js";
export { dynamicNeeds, type DynamicNeeds } from "./elf/dynamic-section.js";

export { AddressSpace, pageDown, pageUp, type MapOptions } from "./mm/address-space.js";
export { FrameAllocator, PAGE_SIZE } from "./mm/frames.js";
export { MapFlag, MemoryManager, type MappableFile, type MemoryLayout } from "./mm/memory-manager.js";
export { Prot, Vmap, type PageSource } from "./mm/vmap.js";

export { DiskError, VirtioDisk, type VirtioDiskOptions } from "./storage/virtio-disk.js";
export { VirtioEntropy } from "./devices/virtio-entropy.js";

export { fatalSignal, Signal, type FaultSignal, type PageFaultKind } from "./run/fatal-signal.js";
export { Machine, type Crash, type MachineOptions, type ProgramSpec, type SyscallHandler } from "./run/machine.js";
export { kernelHooks } from "./run/kernel-syscalls.js";
export { loadSegments } from "./run/load-program.js";

export { boot, BootError, type BootOptions, type Booted } from "./boot/boot.js";

export { Readiness, Ready, isPollable, type Pollable } from "./io/readiness.js";
export { KernelTimers, type KernelTimer } from "./io/kernel-timers.js";
export { ioSyscalls, type IoContext } from "./io/io-syscalls.js";
export { aioSyscalls, type AioContext, type RingMapper } from "./aio/aio-syscalls.js";
export { ioUringSyscalls, type UringContext } from "./aio/io-uring-syscalls.js";

export * from "./vdso/index.js";

// A file description whose mmap shows pages the kernel provides and keeps using itself (the
// rings of an io_uring instance), rather than the contents of a file.
import type { MappableFile } from "./memory-manager.js";

/** A description that maps kernel-owned pages. */
export interface KernelMappable {
  /** What to map for `length` bytes at file offset `offset` with `prot`, or a negative errno. */
  kernelMapping(offset: number, length: number, prot: number): MappableFile | number;
}

/** Whether a description maps kernel-owned pages. */
export function isKernelMappable(x: unknown): x is KernelMappable {
  return typeof x === "object" && x !== null && "kernelMapping" in x;
}

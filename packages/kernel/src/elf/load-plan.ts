import { ElfError } from "./elf-error.js";
import { PAGE_SIZE, USER_SPACE_END } from "./address-limits.js";
import type { ElfImage, SegmentProtection } from "./elf-image.js";

/** Where Nanos places a PIE program: its lowest page goes here plus the ASLR offset. */
export const PIE_BASE = 0x400000;
/** Nanos's PIE ASLR range: the offset is a page multiple below 4 MiB. */
export const PIE_ASLR_RANGE = 4 * 1024 * 1024;
/** Nanos's hard limit for the program's segments (3 GiB): its stack sits just below 4 GiB. */
export const PROGRAM_LOAD_LIMIT = 3 * 1024 * 1024 * 1024;

/**
 * One mapping to create: pages `[start, end)` with `prot`; the first `fileSize` bytes come
 * from the file at `fileOffset`, everything after them is zero (the .bss, and the tail of the
 * last file page past p_filesz, which the file may fill with other data). When one segment
 * ends and the next begins inside the same page, their mappings share that page: create them
 * in order and let the later one win, as Linux's successive mmaps do.
 */
export interface SegmentMapping {
  /** Page-aligned first address (after load bias). */
  readonly start: number;
  /** Page-aligned end address (exclusive). */
  readonly end: number;
  /** Page-aligned file offset of the bytes mapped at `start`. */
  readonly fileOffset: number;
  /** Bytes copied (or mapped) from the file, starting at `start`; 0 for a pure .bss segment. */
  readonly fileSize: number;
  /** Permissions. */
  readonly prot: SegmentProtection;
}

/** Everything needed to place an {@link ElfImage} in memory at a chosen load bias. */
export interface LoadPlan {
  /** Added to every address of the file: 0 for ET_EXEC. */
  readonly bias: number;
  /** Entry point after bias (AT_ENTRY for the program; where to jump for an interpreter). */
  readonly entry: number;
  /** Program headers in memory after bias (AT_PHDR), or `undefined` when no segment holds them. */
  readonly phdrAddress: number | undefined;
  /** First mapped address (page-aligned): AT_BASE when this is the interpreter. */
  readonly start: number;
  /** End of the mappings (page-aligned): where the program break starts before any ASLR gap. */
  readonly end: number;
  /** One mapping per PT_LOAD segment, in address order. */
  readonly mappings: readonly SegmentMapping[];
}

const pageDown = (n: number): number => n - (n % PAGE_SIZE);
const pageUp = (n: number): number => pageDown(n + PAGE_SIZE - 1);
const hex = (n: number): string => `0x${n.toString(16)}`;

/**
 * Lays out `image` at load bias `bias` and checks that it fits below `limit`.
 * Throws {@link ElfError} (kind `"placement"`) when the bias is not page-aligned, an ET_EXEC
 * is given a non-zero bias, or the segments would end above `limit`.
 */
export function planLoad(image: ElfImage, bias: number, limit: number = USER_SPACE_END): LoadPlan {
  if (!Number.isSafeInteger(bias) || bias < 0 || bias % PAGE_SIZE !== 0) {
    throw new ElfError("placement", `load bias ${bias} is not a page-aligned non-negative address`);
  }
  if (!image.pie && bias !== 0) {
    throw new ElfError("placement", `a fixed-address (ET_EXEC) program cannot be moved: load bias must be 0, not ${hex(bias)}`);
  }
  const end = pageUp(image.loadEnd + bias);
  if (end > limit) {
    throw new ElfError(
      "placement",
      `the program's segments ${hex(image.loadStart + bias)}..${hex(image.loadEnd + bias)} end above the load limit ${hex(limit)}`,
    );
  }
  const mappings = image.segments.map((s): SegmentMapping => {
    const start = pageDown(s.vaddr + bias);
    return {
      start,
      end: pageUp(s.vaddr + bias + s.memsz),
      fileOffset: pageDown(s.offset),
      fileSize: s.filesz === 0 ? 0 : s.vaddr + bias + s.filesz - start,
      prot: s.prot,
    };
  });
  return {
    bias,
    entry: image.entry + bias,
    phdrAddress: image.phdrAddress === undefined ? undefined : image.phdrAddress + bias,
    start: image.loadStart + bias,
    end,
    mappings,
  };
}

/**
 * Places the program itself as Nanos does: an ET_EXEC at its own addresses; a PIE moved by
 * {@link PIE_BASE} plus `aslrOffset` (rounded down to a page, taken modulo
 * {@link PIE_ASLR_RANGE}; pass 0 for `noaslr`), so a PIE linked at 0 starts at 0x400000.
 * Either must end below {@link PROGRAM_LOAD_LIMIT}.
 */
export function planProgramLoad(image: ElfImage, aslrOffset = 0): LoadPlan {
  const offset = pageDown(Math.abs(Math.trunc(aslrOffset)) % PIE_ASLR_RANGE);
  return planLoad(image, image.pie ? PIE_BASE + offset : 0, PROGRAM_LOAD_LIMIT);
}

/**
 * Places the interpreter (ld.so, an ET_DYN) with its first page at `base`, a page-aligned
 * address the memory manager reserved for it (Nanos takes one from the mmap area above
 * 4 GiB). `plan.start` is then AT_BASE.
 */
export function planInterpreterLoad(image: ElfImage, base: number): LoadPlan {
  if (!image.pie) throw new ElfError("unsupported", "the program interpreter is a fixed-address (ET_EXEC) file; it must be ET_DYN");
  return planLoad(image, base - image.loadStart);
}

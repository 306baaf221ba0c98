// A virtual memory area: a range of the address space with one protection and one source of
// page contents, kept in an @nanots/rangemap RangeMap as Nanos keeps its vmaps.
import { RangeNode } from "@nanots/rangemap";

/** Protection bits, as mmap's PROT_* values. */
export const Prot = { None: 0, Read: 1, Write: 2, Exec: 4 } as const;

/** Where a page's first contents come from. */
export interface PageSource {
  /** Fills `dst` with the bytes at `offset` of the source (zeros past its end). */
  fill(offset: number, dst: Uint8Array): void;
  /** Writes page contents back at `offset` (MAP_SHARED file mappings); absent when read-only. */
  writeBack?(offset: number, bytes: Uint8Array): void;
  /**
   * A frame of guest RAM the kernel owns to map as the page at `offset`, shared with the kernel
   * and never freed by unmapping (io_uring's rings, a file's shared pages), or -1 when there is
   * no page there (past the end of a file); absent for ordinary sources.
   */
  frame?(offset: number): number;
  /**
   * With `frame`: private mappings map its frames read-only and copy one at the first store
   * (a file's pages); without, they map them as they are (io_uring's rings).
   */
  readonly copyOnWrite?: boolean;
  /** Whether there is a page at `offset` (false past the end of a file: touching it is SIGBUS); absent: always. */
  hasPage?(offset: number): boolean;
  /** Called when no vmap of the address space uses this source any more. */
  lastUnmapped?(): void;
}

/** One vmap. */
export class Vmap extends RangeNode {
  constructor(
    start: number,
    end: number,
    /** PROT_* bits. */
    public prot: number,
    /** Name shown in /proc/self/maps ("[heap]", "[stack]", a path, or ""). */
    public name: string,
    /** Contents of file-backed pages (undefined: anonymous, zero-filled). */
    public source: PageSource | undefined,
    /** Offset into `source` of this vmap's start. */
    public sourceOffset: number,
    /** MAP_SHARED: a file's pages come from its shared pages (the source's `frame`). */
    public shared: boolean,
    /** Whether mprotect may add PROT_WRITE (Linux's VM_MAYWRITE): not for a shared mapping of a read-only file. */
    public mayWrite = true,
  ) {
    super(start, end);
  }

  /** A copy of this vmap moved by `delta` bytes (same source and offset). */
  relocate(delta: number): Vmap {
    return new Vmap(this.start + delta, this.end + delta, this.prot, this.name, this.source, this.sourceOffset, this.shared, this.mayWrite);
  }

  /** A copy of this vmap restricted to [start, end). */
  slice(start: number, end: number): Vmap {
    return new Vmap(start, end, this.prot, this.name, this.source, this.sourceOffset + (start - this.start), this.shared, this.mayWrite);
  }
}

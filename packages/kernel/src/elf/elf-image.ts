/** Memory permissions of a segment, from its PF_R/PF_W/PF_X flags. */
export interface SegmentProtection {
  /** PF_R. */
  readonly read: boolean;
  /** PF_W. */
  readonly write: boolean;
  /** PF_X. */
  readonly execute: boolean;
}

/** One PT_LOAD program header, with addresses as the file states them (before any load bias). */
export interface LoadSegment {
  /** Index of the program header in the table. */
  readonly index: number;
  /** First virtual address of the segment (p_vaddr). */
  readonly vaddr: number;
  /** Bytes in memory (p_memsz); the part past `filesz` is zero-filled (.bss). */
  readonly memsz: number;
  /** Offset of the segment's bytes in the file (p_offset). */
  readonly offset: number;
  /** Bytes taken from the file (p_filesz), never more than `memsz`. */
  readonly filesz: number;
  /** p_align: 0 or a power of two. */
  readonly align: number;
  /** Permissions. */
  readonly prot: SegmentProtection;
}

/** The PT_TLS template: `filesz` initialised bytes (.tdata) then zeros up to `memsz` (.tbss). */
export interface TlsTemplate {
  /** Address of the initialisation image (p_vaddr, before load bias). */
  readonly vaddr: number;
  /** Offset of the initialisation image in the file. */
  readonly offset: number;
  /** Initialised bytes. */
  readonly filesz: number;
  /** Total size of one thread's block. */
  readonly memsz: number;
  /** Required alignment of each thread's block (1 when the header says 0). */
  readonly align: number;
}

/**
 * What the loader needs to know about an x86-64 ELF program, as {@link parseElf} found and
 * validated it. Addresses are the file's own (a PIE is linked at 0; add the load bias).
 */
export interface ElfImage {
  /** `"exec"` for ET_EXEC (fixed addresses), `"dyn"` for ET_DYN (PIE or interpreter). */
  readonly type: "exec" | "dyn";
  /** True for ET_DYN: the image can be placed anywhere and needs a load bias. */
  readonly pie: boolean;
  /** Entry point (e_entry), before load bias. */
  readonly entry: number;
  /** File offset of the program header table (e_phoff). */
  readonly phoff: number;
  /** Size of one program header (e_phentsize, always 56 here). */
  readonly phent: number;
  /** Number of program headers (e_phnum). */
  readonly phnum: number;
  /**
   * Where the program header table is in memory before load bias (what AT_PHDR reports after
   * adding it): PT_PHDR's address, else the address of the file bytes inside a PT_LOAD that
   * holds the table; `undefined` when no loaded segment holds it.
   */
  readonly phdrAddress: number | undefined;
  /** The PT_LOAD segments, sorted by address, never overlapping. */
  readonly segments: readonly LoadSegment[];
  /** Lowest PT_LOAD address rounded down to a page. */
  readonly loadStart: number;
  /** End of the highest PT_LOAD (vaddr + memsz), not rounded. */
  readonly loadEnd: number;
  /** PT_INTERP path (for example `/lib64/ld-linux-x86-64.so.2`), or `undefined` for a static program. */
  readonly interpreter: string | undefined;
  /**
   * Whether the stack must be executable: only when PT_GNU_STACK has PF_X. A program without
   * PT_GNU_STACK gets a non-executable stack, as on x86-64 Linux since 5.8 ("exec-none").
   */
  readonly executableStack: boolean;
  /** The PT_TLS template, when the program has thread-local storage. */
  readonly tls: TlsTemplate | undefined;
}

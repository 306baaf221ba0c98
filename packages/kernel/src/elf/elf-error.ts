/** What kind of problem an {@link ElfError} reports, for callers that branch on it. */
export type ElfErrorKind =
  /** Not an ELF file at all (too short, bad magic). */
  | "not-elf"
  /** A valid ELF that nanots cannot run: 32-bit, big-endian, another machine, not a program. */
  | "unsupported"
  /** A header or table is cut off by the end of the file. */
  | "truncated"
  /** Fields that contradict each other or the file: segments outside the file, overlaps, absurd counts. */
  | "malformed"
  /** The program does not fit where it has to be loaded. */
  | "placement";

/**
 * A file that cannot be loaded as an x86-64 Linux program. The message is one line naming
 * what is wrong and, where it helps, the byte offset or the program header involved.
 *
 * @example
 * ```ts
 * try { parseElf(bytes); } catch (e) { if (e instanceof ElfError) console.error(e.message); }
 * ```
 */
export class ElfError extends Error {
  override readonly name = "ElfError";
  /** The class of problem. */
  readonly kind: ElfErrorKind;
  /** Byte offset in the file where the problem was found, when there is one. */
  readonly offset: number | undefined;

  constructor(kind: ElfErrorKind, message: string, offset?: number) {
    super(message);
    this.kind = kind;
    this.offset = offset;
  }
}

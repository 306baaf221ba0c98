/** Where in an image a {@link TfsError} was detected. */
export interface TfsPosition {
  /** Filesystem-relative sector of the log extension (or data) being read. */
  sector?: number;
  /** Byte offset inside that extension. */
  offset?: number;
}

/**
 * A damaged or unsupported image: bad magic or version, a broken log chain, a malformed record,
 * extents outside the device. The message names what is wrong and where.
 *
 * @example
 * ```ts
 * try { Tfs.mount(device); } catch (e) { if (e instanceof TfsError) console.error(e.message); }
 * ```
 */
export class TfsError extends Error {
  override readonly name = "TfsError";
  /** Where the problem was found, when known. */
  readonly position: TfsPosition;

  constructor(message: string, position: TfsPosition = {}, options?: { cause?: unknown }) {
    const where =
      position.sector === undefined
        ? ""
        : ` (log extension at sector ${position.sector}${position.offset === undefined ? "" : `, byte ${position.offset}`})`;
    super(message + where, options);
    this.position = position;
  }
}

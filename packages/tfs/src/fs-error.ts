/** The Node-style error codes the filesystem API raises, with their Linux errno numbers. */
export const ERRNO = {
  EPERM: 1,
  ENOENT: 2,
  EIO: 5,
  EBADF: 9,
  EEXIST: 17,
  EXDEV: 18,
  ENOTDIR: 20,
  EISDIR: 21,
  EINVAL: 22,
  EFBIG: 27,
  ENOSPC: 28,
  EROFS: 30,
  ENAMETOOLONG: 36,
  ENOTEMPTY: 39,
  ELOOP: 40,
} as const;

/** One of the error codes in {@link ERRNO}. */
export type FsErrorCode = keyof typeof ERRNO;

const DESCRIPTIONS: Record<FsErrorCode, string> = {
  EPERM: "operation not permitted",
  ENOENT: "no such file or directory",
  EIO: "i/o error",
  EBADF: "bad file descriptor",
  EEXIST: "file already exists",
  EXDEV: "cross-device link not permitted",
  ENOTDIR: "not a directory",
  EISDIR: "illegal operation on a directory",
  EINVAL: "invalid argument",
  EFBIG: "file too large",
  ENOSPC: "no space left on device",
  EROFS: "read-only file system",
  ENAMETOOLONG: "name too long",
  ENOTEMPTY: "directory not empty",
  ELOOP: "too many symbolic links encountered",
};

/**
 * An error from a filesystem operation, shaped like Node's `fs` errors: `code` (`ENOENT`…),
 * negative `errno`, `syscall` and `path`, and a message such as
 * `ENOENT: no such file or directory, open '/a/b'`.
 */
export class FsError extends Error {
  override readonly name = "FsError";
  /** Node-style error code. */
  readonly code: FsErrorCode;
  /** Negative Linux errno, as Node reports it. */
  readonly errno: number;
  /** The operation that failed (`open`, `mkdir`, `rename`…). */
  readonly syscall: string;
  /** The path the operation was given. */
  readonly path: string;
  /** The second path of `rename`/`symlink`, when there is one. */
  readonly dest: string | undefined;

  constructor(code: FsErrorCode, syscall: string, path: string, dest?: string) {
    super(`${code}: ${DESCRIPTIONS[code]}, ${syscall} '${path}'${dest === undefined ? "" : ` -> '${dest}'`}`);
    this.code = code;
    this.errno = -ERRNO[code];
    this.syscall = syscall;
    this.path = path;
    this.dest = dest;
  }
}

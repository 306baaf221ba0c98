import { fail } from "../linux-error.js";
import { AccessMode, O_ACCMODE, OpenFlag, Seek } from "../linux-constants.js";
import type { StatData } from "../structs/stat.js";
import type { UserMemory } from "../user-memory.js";

/** The `open` flags that `fcntl(F_SETFL)` may change (Linux: append, async, direct, noatime, nonblock). */
export const SETFL_MASK = OpenFlag.O_APPEND | OpenFlag.O_ASYNC | OpenFlag.O_DIRECT | OpenFlag.O_NOATIME | OpenFlag.O_NONBLOCK;

/**
 * An open-file description: what `open` creates and `dup` shares: the status flags, the
 * offset, and the object behind it. Subclasses implement what their kind supports; the rest
 * fails as Linux fails (`EINVAL` to read a directory, `ESPIPE` to seek a terminal, `ENOTTY`
 * for an unknown ioctl…). Methods throw {@link LinuxError}.
 */
export abstract class FileDescription {
  /** Access mode and status flags (`O_RDWR|O_APPEND`…), as `F_GETFL` reports them. */
  flags: number;
  /** The file position. */
  offset = 0;
  /** The absolute path it was opened by (kept current across renames of it). */
  path: string;

  constructor(flags: number, path: string) {
    this.flags = flags & ~(OpenFlag.O_CLOEXEC | OpenFlag.O_CREAT | OpenFlag.O_EXCL | OpenFlag.O_NOCTTY | OpenFlag.O_TRUNC);
    this.path = path;
  }

  /** Opened with `O_PATH`: usable only as a location (fstat, fchdir, `*at`), not for I/O. */
  get pathOnly(): boolean {
    return (this.flags & OpenFlag.O_PATH) !== 0;
  }

  /** Open for reading. */
  get readable(): boolean {
    const mode = this.flags & O_ACCMODE;
    return !this.pathOnly && (mode === AccessMode.O_RDONLY || mode === AccessMode.O_RDWR);
  }

  /** Open for writing. */
  get writable(): boolean {
    const mode = this.flags & O_ACCMODE;
    return !this.pathOnly && (mode === AccessMode.O_WRONLY || mode === AccessMode.O_RDWR);
  }

  /** True when writes vanish unread (`/dev/null`, `/dev/zero`): Linux never touches the buffer. */
  get discardsWrites(): boolean {
    return false;
  }

  /** True for a directory (the `*at` calls accept only those as `dirfd`). */
  get isDirectory(): boolean {
    return false;
  }

  /** `read`: up to `length` bytes at the offset, which advances. */
  read(length: number): Uint8Array {
    if (!this.readable) fail("EBADF", "not open for reading");
    const data = this.readAt(length, this.offset);
    this.offset += data.length;
    return data;
  }

  /** `write`: bytes at the offset (at the end with `O_APPEND`); the offset advances. */
  write(data: Uint8Array): number {
    if (!this.writable) fail("EBADF", "not open for writing");
    const at = (this.flags & OpenFlag.O_APPEND) !== 0 ? this.size() : this.offset;
    const n = this.writeAt(data, at);
    this.offset = at + n;
    return n;
  }

  /** `pread64`: bytes at `position`, the offset untouched. */
  pread(length: number, position: number): Uint8Array {
    if (!this.readable) fail("EBADF", "not open for reading");
    if (!this.seekable()) fail("ESPIPE");
    return this.readAt(length, position);
  }

  /** `pwrite64`: bytes at `position` (Linux appends anyway with `O_APPEND`), the offset untouched. */
  pwrite(data: Uint8Array, position: number): number {
    if (!this.writable) fail("EBADF", "not open for writing");
    if (!this.seekable()) fail("ESPIPE");
    return this.writeAt(data, (this.flags & OpenFlag.O_APPEND) !== 0 ? this.size() : position);
  }

  /** `lseek`: the new offset. */
  seek(offset: number, whence: number): number {
    if (this.pathOnly) fail("EBADF");
    if (!this.seekable()) fail("ESPIPE");
    let to: number;
    switch (whence) {
      case Seek.SEEK_SET:
        to = offset;
        break;
      case Seek.SEEK_CUR:
        to = this.offset + offset;
        break;
      case Seek.SEEK_END:
        to = this.size() + offset;
        break;
      case Seek.SEEK_DATA:
      case Seek.SEEK_HOLE:
        to = this.seekDataOrHole(offset, whence === Seek.SEEK_DATA);
        break;
      default:
        fail("EINVAL", `whence ${whence}`);
    }
    if (to < 0 || !Number.isSafeInteger(to)) fail("EINVAL", "negative offset");
    this.offset = to;
    return to;
  }

  /** Reads at a position (the readable check is done). */
  protected readAt(_length: number, _position: number): Uint8Array {
    fail("EINVAL");
  }

  /** Writes at a position (the writable check is done); returns the bytes written. */
  protected writeAt(_data: Uint8Array, _position: number): number {
    fail("EINVAL");
  }

  /** True when it has a position (files, directories), false for pipes, sockets, terminals. */
  get positioned(): boolean {
    return this.seekable();
  }

  /** Whether lseek/pread/pwrite apply. */
  protected seekable(): boolean {
    return true;
  }

  /** The size SEEK_END counts from. */
  size(): number {
    return 0;
  }

  /** SEEK_DATA / SEEK_HOLE. The default sees the whole file as data, as Linux's generic code does. */
  protected seekDataOrHole(offset: number, data: boolean): number {
    const size = this.size();
    if (offset < 0 || offset >= size) fail("ENXIO");
    return data ? offset : size;
  }

  /** `fstat`. */
  abstract stat(): StatData;

  /** `ioctl`; the generic requests (FIONBIO, FIOCLEX…) are handled by the dispatcher. */
  ioctl(_request: number, _arg: number, _mem: UserMemory): number {
    fail("ENOTTY");
  }

  /** `getdents64`: directory records that fit in `max` bytes. */
  getdents64(_max: number): Uint8Array {
    fail("ENOTDIR");
  }

  /** `ftruncate`. */
  truncate(_length: number): void {
    fail("EINVAL");
  }

  /** `fsync`/`fdatasync`. */
  sync(): void {}

  /** Bytes readable now without blocking (`FIONREAD`). */
  available(): number {
    return Math.max(0, this.size() - this.offset);
  }

  /** Called by {@link close}: subclasses free what they hold. */
  protected release(): void {}

  /** Run when the file is read (or a directory listed): the VFS moves its access time. */
  onAccess: (() => void) | undefined;

  /** Tells {@link onAccess}, unless opened with `O_NOATIME`. */
  protected accessed(): void {
    if ((this.flags & OpenFlag.O_NOATIME) === 0) this.onAccess?.();
  }

  /** Run once when the description is closed (the VFS forgets it). */
  onClose: (() => void) | undefined;

  /** Called once when the last fd referring to it is closed. */
  close(): void {
    this.release();
    this.onClose?.();
  }
}

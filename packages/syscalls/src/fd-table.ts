import { fail } from "./linux-error.js";
import type { FileDescription } from "./vfs/file-description.js";

interface Slot {
  readonly desc: FileDescription;
  /** `FD_CLOEXEC`: the fd's own flag, not shared by `dup`. */
  cloexec: boolean;
}

/** Nanos's `RLIMIT_NOFILE`: the most fds a process has open at once. */
export const MAX_FDS = 65536;

/**
 * The process's file descriptor table: fds are the lowest free numbers, each refers to an
 * open-file description (shared by `dup`, so the offset and status flags are shared), and
 * carries its own close-on-exec flag. A description is closed when its last fd is.
 */
export class FdTable {
  readonly #slots: Array<Slot | undefined> = [];
  readonly #refs = new Map<FileDescription, number>();
  readonly #limit: number;

  constructor(limit = MAX_FDS) {
    this.#limit = limit;
  }

  /** The description of `fd`; throws `EBADF` when it is not open. */
  get(fd: number): FileDescription {
    const slot = Number.isInteger(fd) && fd >= 0 ? this.#slots[fd] : undefined;
    if (slot === undefined) fail("EBADF", `fd ${fd} is not open`);
    return slot.desc;
  }

  /** True when `fd` is open. */
  has(fd: number): boolean {
    return Number.isInteger(fd) && fd >= 0 && this.#slots[fd] !== undefined;
  }

  /** Installs `desc` at the lowest free fd ≥ `min`; `EMFILE` when none is left (`EINVAL` for a bad `min`). */
  install(desc: FileDescription, cloexec: boolean, min = 0): number {
    if (!Number.isInteger(min) || min < 0 || min >= this.#limit) fail("EINVAL", `fd ${min} out of range`);
    let fd = min;
    while (fd < this.#slots.length && this.#slots[fd] !== undefined) fd++;
    if (fd >= this.#limit) fail("EMFILE");
    this.#put(fd, desc, cloexec);
    return fd;
  }

  #put(fd: number, desc: FileDescription, cloexec: boolean): void {
    this.#slots[fd] = { desc, cloexec };
    this.#refs.set(desc, (this.#refs.get(desc) ?? 0) + 1);
  }

  /** Closes `fd`; the description is closed when no fd refers to it any more. */
  close(fd: number): void {
    const desc = this.get(fd);
    this.#slots[fd] = undefined;
    while (this.#slots.length > 0 && this.#slots[this.#slots.length - 1] === undefined) this.#slots.pop();
    const refs = this.#refs.get(desc)! - 1;
    if (refs > 0) {
      this.#refs.set(desc, refs);
    } else {
      this.#refs.delete(desc);
      desc.close();
    }
  }

  /** `dup`/`F_DUPFD`: a new fd ≥ `min` for the same description (close-on-exec as asked). */
  dup(fd: number, min = 0, cloexec = false): number {
    return this.install(this.get(fd), cloexec, min);
  }

  /**
   * `dup2`/`dup3`: makes `newFd` refer to `oldFd`'s description, closing what `newFd` had.
   * `oldFd === newFd` returns it unchanged (dup3 refuses it with `EINVAL` itself).
   */
  dupTo(oldFd: number, newFd: number, cloexec = false): number {
    const desc = this.get(oldFd);
    if (!Number.isInteger(newFd) || newFd < 0 || newFd >= this.#limit) fail("EBADF", `fd ${newFd} out of range`);
    if (oldFd === newFd) return newFd;
    if (this.has(newFd)) this.close(newFd);
    this.#put(newFd, desc, cloexec);
    return newFd;
  }

  /** The close-on-exec flag of `fd`. */
  getCloexec(fd: number): boolean {
    this.get(fd);
    return this.#slots[fd]!.cloexec;
  }

  /** Sets the close-on-exec flag of `fd`. */
  setCloexec(fd: number, cloexec: boolean): void {
    this.get(fd);
    this.#slots[fd]!.cloexec = cloexec;
  }

  /** The open fds in increasing order. */
  fds(): number[] {
    const out: number[] = [];
    this.#slots.forEach((s, fd) => {
      if (s !== undefined) out.push(fd);
    });
    return out;
  }

  /** How many fds refer to `desc`. */
  references(desc: FileDescription): number {
    return this.#refs.get(desc) ?? 0;
  }
}

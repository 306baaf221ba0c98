// Pipes as Linux keeps them: a ring of 16 page buffers. A write first merges its sub-page tail
// into the last buffer when that fits, then fills fresh pages; a write of at most PIPE_BUF bytes
// is therefore never split. Readers are woken by every write, writers when a full pipe drains.
import { FileDescription, fail, OpenFlag, type StatData } from "@nanots/syscalls";
import { ThreadState } from "../threads/guest-thread.js";
import type { Scheduler } from "../threads/scheduler.js";
import { waitAndRestart } from "./blocking.js";
import { Readiness, Ready, type Pollable } from "./readiness.js";

const PAGE = 4096;
/** Writes up to this size are atomic (POSIX PIPE_BUF on Linux). */
export const PIPE_BUF = 4096;
/** Page buffers in a pipe (Linux's default pipe_max_usage). */
export const PIPE_SLOTS = 16;
/** Linux's default pipe capacity in bytes (F_GETPIPE_SZ). */
export const PIPE_CAPACITY = PIPE_SLOTS * PAGE;

const SIGPIPE = 13;

/** One page of a pipe: bytes [start, end) are unread. */
interface PipeBuffer {
  readonly page: Uint8Array;
  start: number;
  end: number;
}

/** The shared state of a pipe. */
export class Pipe {
  readonly buffers: PipeBuffer[] = [];
  /** Unread bytes. */
  size = 0;
  readers = 1;
  writers = 1;
  readonly readiness = new Readiness();

  get empty(): boolean {
    return this.buffers.length === 0;
  }

  /** Every page buffer is in use (more than that only while a blocking write waits). */
  get full(): boolean {
    return this.buffers.length >= PIPE_SLOTS;
  }

  /** Appends `data` as a write does: the sub-page tail merged into the last page if it fits. */
  append(data: Uint8Array, maxSlots: number): number {
    let done = 0;
    const chars = data.length % PAGE;
    const last = this.buffers[this.buffers.length - 1];
    if (chars !== 0 && last !== undefined && last.end + chars <= PAGE) {
      last.page.set(data.subarray(0, chars), last.end);
      last.end += chars;
      done = chars;
    }
    while (done < data.length && this.buffers.length < maxSlots) {
      const n = Math.min(PAGE, data.length - done);
      const page = new Uint8Array(PAGE);
      page.set(data.subarray(done, done + n));
      this.buffers.push({ page, start: 0, end: n });
      done += n;
    }
    this.size += done;
    return done;
  }

  /** Removes up to `length` bytes from the front. */
  take(length: number): Uint8Array {
    const out = new Uint8Array(Math.min(length, this.size));
    let done = 0;
    while (done < out.length) {
      const b = this.buffers[0]!;
      const n = Math.min(b.end - b.start, out.length - done);
      out.set(b.page.subarray(b.start, b.start + n), done);
      b.start += n;
      done += n;
      if (b.start === b.end) this.buffers.shift();
    }
    this.size -= done;
    return out;
  }
}

/** fstat of a kernel object that has no file: its type bits, nothing else. */
export function anonymousStat(mode: number): StatData {
  const zero = { sec: 0, nsec: 0 };
  return { dev: 0, ino: 0, mode, nlink: 1, uid: 0, gid: 0, rdev: 0, size: 0, blksize: 4096, blocks: 0, atime: zero, mtime: zero, ctime: zero };
}

/** One end of a pipe. */
export class PipeEnd extends FileDescription implements Pollable {
  constructor(
    readonly pipe: Pipe,
    readonly reading: boolean,
    flags: number,
    private readonly scheduler: Scheduler,
    /** Sends a signal to the calling thread (SIGPIPE for a write without readers). */
    private readonly raise: (signal: number) => void = () => {},
  ) {
    super((reading ? 0 : 1) | (flags & OpenFlag.O_NONBLOCK), "pipe:");
  }

  get readiness(): Readiness {
    return this.pipe.readiness;
  }

  poll(): number {
    const p = this.pipe;
    if (this.reading) return (p.empty ? 0 : Ready.IN | Ready.RDNORM) | (p.writers === 0 ? Ready.HUP : 0);
    return (p.full ? 0 : Ready.OUT | Ready.WRNORM) | (p.readers === 0 ? Ready.ERR : 0);
  }

  protected override seekable(): boolean {
    return false;
  }

  override read(length: number): Uint8Array {
    if (!this.reading) fail("EBADF", "the write end of a pipe");
    const p = this.pipe;
    if (length === 0) return new Uint8Array(0);
    if (p.empty) {
      if (p.writers === 0) return new Uint8Array(0);
      if ((this.flags & OpenFlag.O_NONBLOCK) !== 0) fail("EAGAIN");
      waitAndRestart(this.scheduler, p.readiness);
    }
    const wasFull = p.full;
    const out = p.take(length);
    if (wasFull) p.readiness.notify(Ready.OUT | Ready.WRNORM);
    return out;
  }

  /**
   * Nonblocking: what fits (never part of a write of at most PIPE_BUF bytes), else EAGAIN.
   * Blocking: all of it; the thread then waits, after the call so that no byte is written
   * twice, until the data fits in the pipe's pages.
   */
  override write(data: Uint8Array): number {
    if (this.reading) fail("EBADF", "the read end of a pipe");
    const p = this.pipe;
    if (data.length === 0) return 0;
    if (p.readers === 0) {
      this.raise(SIGPIPE);
      fail("EPIPE");
    }
    if ((this.flags & OpenFlag.O_NONBLOCK) !== 0) {
      const n = p.append(data, PIPE_SLOTS);
      if (n === 0) fail("EAGAIN");
      p.readiness.notify(Ready.IN | Ready.RDNORM);
      return n;
    }
    p.append(data, Infinity);
    p.readiness.notify(Ready.IN | Ready.RDNORM);
    // The call returns its full count, once every byte is within the pipe's pages (later
    // chunks of a call already waiting just add theirs).
    if (p.buffers.length > PIPE_SLOTS && this.scheduler.current.state !== ThreadState.Blocked) {
      this.scheduler.blockAfter(p.readiness, () => p.buffers.length <= PIPE_SLOTS || p.readers === 0);
    }
    return data.length;
  }

  override available(): number {
    return this.reading ? this.pipe.size : 0;
  }

  stat(): StatData {
    return anonymousStat(0o010600); // S_IFIFO
  }

  protected override release(): void {
    if (this.reading) this.pipe.readers--;
    else this.pipe.writers--;
    this.pipe.readiness.notify();
  }
}

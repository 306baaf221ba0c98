// Pipes: a byte queue with a read end and a write end, as pipe(2) makes them.
import { FileDescription, fail, OpenFlag, type StatData } from "@nanots/syscalls";
import type { Scheduler } from "../threads/scheduler.js";
import { waitAndRestart } from "./blocking.js";
import { Readiness, Ready, type Pollable } from "./readiness.js";

/** Linux's default pipe capacity. */
export const PIPE_CAPACITY = 65536;

/** The shared state of a pipe. */
export class Pipe {
  readonly chunks: Uint8Array[] = [];
  size = 0;
  readers = 1;
  writers = 1;
  readonly readiness = new Readiness();
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
  ) {
    super((reading ? 0 : 1) | (flags & OpenFlag.O_NONBLOCK), "pipe:");
  }

  get readiness(): Readiness {
    return this.pipe.readiness;
  }

  poll(): number {
    const p = this.pipe;
    if (this.reading) return (p.size > 0 ? Ready.IN : 0) | (p.writers === 0 ? Ready.HUP : 0);
    return (p.size < PIPE_CAPACITY ? Ready.OUT : 0) | (p.readers === 0 ? Ready.ERR : 0);
  }

  protected override seekable(): boolean {
    return false;
  }

  override read(length: number): Uint8Array {
    if (!this.reading) fail("EBADF", "the write end of a pipe");
    const p = this.pipe;
    if (p.size === 0) {
      if (p.writers === 0 || length === 0) return new Uint8Array(0);
      if ((this.flags & OpenFlag.O_NONBLOCK) !== 0) fail("EAGAIN");
      waitAndRestart(this.scheduler, p.readiness);
    }
    const out = new Uint8Array(Math.min(length, p.size));
    let done = 0;
    while (done < out.length) {
      const chunk = p.chunks[0]!;
      const n = Math.min(chunk.length, out.length - done);
      out.set(chunk.subarray(0, n), done);
      if (n === chunk.length) p.chunks.shift();
      else p.chunks[0] = chunk.subarray(n);
      done += n;
    }
    p.size -= out.length;
    p.readiness.notify();
    return out;
  }

  override write(data: Uint8Array): number {
    if (this.reading) fail("EBADF", "the read end of a pipe");
    const p = this.pipe;
    if (p.readers === 0) fail("EPIPE");
    if (data.length === 0) return 0;
    const room = PIPE_CAPACITY - p.size;
    if (room === 0) {
      if ((this.flags & OpenFlag.O_NONBLOCK) !== 0) fail("EAGAIN");
      waitAndRestart(this.scheduler, p.readiness);
    }
    const n = Math.min(room, data.length);
    p.chunks.push(data.slice(0, n));
    p.size += n;
    p.readiness.notify();
    return n;
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

// Reads and writes between a file description and guest buffers for the asynchronous
// interfaces (Linux AIO, io_uring): at a position or at the file offset, over iovecs, and never
// blocking the thread that happens to run them: where a call would wait it fails with EAGAIN,
// and the caller retries when the description is ready.
import { errnoOf, fail, type FileDescription, type Iovec, OpenFlag, type UserMemory } from "@nanots/syscalls";
import { isPollable, Ready } from "../io/readiness.js";

/** The most one read or write moves (Linux's MAX_RW_COUNT). */
export const MAX_RW_COUNT = 0x7ffff000;
const CHUNK = 64 * 1024;

/** Runs `op` with O_NONBLOCK set on `desc`, so it cannot park the current thread. */
function withoutBlocking<T>(desc: FileDescription, op: () => T): T {
  const saved = desc.flags;
  desc.flags |= OpenFlag.O_NONBLOCK;
  try {
    return op();
  } finally {
    desc.flags = (desc.flags & ~OpenFlag.O_NONBLOCK) | (saved & OpenFlag.O_NONBLOCK);
  }
}

/** Streams (pipes, sockets, eventfds) have no position: Linux ignores the offset there. */
function positionFor(desc: FileDescription, position: number | undefined): number | undefined {
  if (position === undefined) return undefined;
  try {
    desc.seek(0, 1 /* SEEK_CUR */);
    return position;
  } catch {
    return undefined;
  }
}

/**
 * Moves data between the buffers and `desc` chunk by chunk: `move(address, length, position)`
 * moves one chunk and returns the bytes moved. Stops at a short chunk; an error after some
 * bytes moved ends the transfer with what was moved, as a partial read or write does.
 */
function transfer(desc: FileDescription, buffers: readonly Iovec[], at: number | undefined, move: (address: number, length: number, position: number | undefined) => number): number {
  const position = positionFor(desc, at);
  let total = 0;
  return withoutBlocking(desc, () => {
    for (const { base, len } of buffers) {
      for (let done = 0; done < len; ) {
        const want = Math.min(CHUNK, len - done, MAX_RW_COUNT - total);
        if (want <= 0) return total;
        let n: number;
        try {
          n = move(base + done, want, position === undefined ? undefined : position + total);
        } catch (e) {
          if (total > 0) return total;
          throw e;
        }
        total += n;
        done += n;
        if (n < want) return total;
      }
    }
    return total;
  });
}

/**
 * Reads into the buffers, at `at` or (undefined) at the file offset. Returns the bytes read;
 * throws a LinuxError when nothing could be (EFAULT for a bad first buffer).
 */
export function readIntoBuffers(memory: UserMemory, desc: FileDescription, buffers: readonly Iovec[], at: number | undefined): number {
  return transfer(desc, buffers, at, (address, length, position) => {
    const data = position === undefined ? desc.read(length) : desc.pread(length, position);
    if (!memory.write(address, data)) fail("EFAULT");
    return data.length;
  });
}

/** Writes from the buffers, at `at` or at the file offset; as {@link readIntoBuffers}. */
export function writeFromBuffers(memory: UserMemory, desc: FileDescription, buffers: readonly Iovec[], at: number | undefined): number {
  return transfer(desc, buffers, at, (address, length, position) => {
    const data = memory.read(address, length);
    if (data === undefined) fail("EFAULT");
    return position === undefined ? desc.write(data) : desc.pwrite(data, position);
  });
}

/** An operation's result: its value, or the negative errno of the LinuxError it threw. */
export function resultOf(op: () => number): number {
  try {
    return op();
  } catch (e) {
    const errno = errnoOf(e);
    if (errno === undefined) throw e;
    return -errno;
  }
}

/**
 * Runs `op` now, or, when it would wait (EAGAIN on a pollable description), again at each
 * event of the description until it completes; `done` receives the result. Returns, for an
 * operation left waiting, the function that abandons it.
 */
export function runWhenReady(desc: FileDescription, op: () => number, done: (result: number) => void): (() => void) | undefined {
  const EAGAIN = -11;
  const first = resultOf(op);
  if (first !== EAGAIN || !isPollable(desc) || (desc.flags & OpenFlag.O_NONBLOCK) !== 0) {
    done(first);
    return undefined;
  }
  const unwatch = desc.readiness.watch(() => {
    if ((desc.poll() & (Ready.IN | Ready.OUT | Ready.ERR | Ready.HUP)) === 0) return;
    const result = resultOf(op);
    if (result === EAGAIN) return;
    unwatch();
    done(result);
  });
  return unwatch;
}

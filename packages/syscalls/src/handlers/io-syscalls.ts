import { fail } from "../linux-error.js";
import { FallocFlag, OpenFlag } from "../linux-constants.js";
import { concatBytes } from "../structs/bytes-view.js";
import { decodeDirents64 } from "../structs/dirent64.js";
import { encodeDirent } from "../structs/dirent.js";
import { readIovecs, readI64, UIO_MAXIOV, writeU64 } from "../user-memory.js";
import type { FileDescription } from "../vfs/file-description.js";
import { RegularFileDescription } from "../vfs/regular-file.js";
import { CHUNK, int, MAX_RW_COUNT, transferIn, transferOut, uint, usize } from "./arg-helpers.js";
import type { HandlerEnv, HandlerGroup } from "./handler-env.js";
import { ioDescription, offsetArg } from "./fd-access.js";

const SSIZE_MAX = 2 ** 63 - 1;
const { FALLOC_FL_KEEP_SIZE: KEEP_SIZE, FALLOC_FL_PUNCH_HOLE: PUNCH_HOLE } = FallocFlag;

/** read, write and their vectored and positioned forms, lseek, getdents, truncate, sync, sendfile over open descriptions. @internal */
export function ioSyscalls(env: HandlerEnv): HandlerGroup {
  const { mem, vfs } = env;
  const io = (fd: number): FileDescription => ioDescription(env, fd);

  const readFrom = (desc: FileDescription, addr: number, count: number, position?: number): number => {
    let at = position;
    return transferIn(
      mem,
      addr,
      count,
      (n) => {
        if (at === undefined) return desc.read(n);
        const data = desc.pread(n, at);
        at += data.length;
        return data;
      },
      (unread) => {
        if (position === undefined) desc.offset -= unread;
      },
    );
  };

  const writeTo = (desc: FileDescription, addr: number, count: number, position?: number): number => {
    if (desc.discardsWrites && desc.writable) return Math.min(count, MAX_RW_COUNT);
    let at = position;
    return transferOut(mem, addr, count, (data) => {
      if (at === undefined) return desc.write(data);
      const n = desc.pwrite(data, at);
      at += n;
      return n;
    });
  };

  const vectored = (fd: number, iovAddr: number, iovcnt: number, write: boolean, position?: number): number => {
    const desc = io(fd);
    const count = int(iovcnt);
    if (count < 0 || count > UIO_MAXIOV) fail("EINVAL", `iovcnt ${count}`);
    if (position !== undefined && position < 0) fail("EINVAL", "negative offset");
    const iovs = readIovecs(mem, iovAddr, count);
    if (iovs === undefined) fail("EFAULT", "iovec array");
    let sum = 0;
    for (const v of iovs) {
      sum += v.len;
      if (sum > SSIZE_MAX) fail("EINVAL", "iovec lengths overflow");
    }
    let total = 0;
    for (const v of iovs) {
      let n: number;
      try {
        const at = position === undefined ? undefined : position + total;
        n = write ? writeTo(desc, v.base, v.len, at) : readFrom(desc, v.base, v.len, at);
      } catch (e) {
        if (total > 0) break; // what was moved stays moved: report it
        throw e;
      }
      total += n;
      if (n < v.len) break;
    }
    return total;
  };

  const getdents = (fd: number, buf: number, count: number, old: boolean): number => {
    const desc = io(fd);
    const before = desc.offset;
    let data = desc.getdents64(uint(count));
    if (old) data = concatBytes(decodeDirents64(data).map(encodeDirent));
    if (!mem.write(buf, data)) {
      desc.offset = before;
      fail("EFAULT");
    }
    return data.length;
  };

  const sync = (): number => {
    vfs.sync();
    return 0;
  };

  /** fsync/fdatasync: files and directories (TFS commits everything); `EINVAL` for pipes and devices, as Nanos and Linux. */
  const fsync = (fd: number): number => {
    const desc = io(fd);
    if (!(desc instanceof RegularFileDescription) && !desc.isDirectory) fail("EINVAL", "nothing to sync");
    return sync();
  };

  /** A file position from a user `loff_t *` (undefined for NULL: use the file offset). */
  const positionAt = (ptr: number): number | undefined => {
    if (ptr === 0) return undefined;
    const off = readI64(mem, ptr);
    if (off === undefined) fail("EFAULT", "offset pointer");
    return offsetArg(off);
  };

  /**
   * sendfile/copy_file_range: up to `count` bytes from `input` to `out`, a chunk at a time; each
   * side reads or writes at `*ptr` (which advances) or at its own offset (which advances) for NULL.
   */
  const copyBetween = (input: FileDescription, inPtr: number, out: FileDescription, outPtr: number, count: number): number => {
    const inAt = positionAt(inPtr);
    const outAt = positionAt(outPtr);
    const total = Math.min(count, MAX_RW_COUNT);
    let done = 0;
    while (done < total) {
      const want = Math.min(CHUNK, total - done);
      const chunk = inAt === undefined ? input.read(want) : input.pread(want, inAt + done);
      if (chunk.length === 0) break;
      const n = outAt === undefined ? out.write(chunk) : out.pwrite(chunk, outAt + done);
      if (inAt === undefined && n < chunk.length) input.offset -= chunk.length - n; // give back what was not written
      done += n;
      if (n < chunk.length) break;
    }
    if (inAt !== undefined && !writeU64(mem, inPtr, inAt + done)) fail("EFAULT");
    if (outAt !== undefined && !writeU64(mem, outPtr, outAt + done)) fail("EFAULT");
    return done;
  };

  /** fallocate: modes 0 and KEEP_SIZE reserve (no-ops for TFS, but for the length); PUNCH_HOLE|KEEP_SIZE zeroes. */
  const fallocate = (fd: number, modeArg: number, offset: number, length: number): number => {
    const mode = int(modeArg);
    // Linux's order (vfs_fallocate): the range, the mode, the access mode, then the file type.
    if (offset < 0 || length <= 0) fail("EINVAL", "fallocate range");
    if (mode !== 0 && mode !== KEEP_SIZE && mode !== (PUNCH_HOLE | KEEP_SIZE)) fail("EOPNOTSUPP", `fallocate mode ${mode}`);
    const desc = io(fd);
    if (!desc.writable) fail("EBADF", "not open for writing");
    if (!desc.positioned) fail("ESPIPE");
    if (!(desc instanceof RegularFileDescription)) fail(desc.isDirectory ? "EISDIR" : "ENODEV");
    const end = Math.min(offset + length, 2 ** 53);
    if (mode === 0 && end > desc.size()) desc.truncate(end);
    if ((mode & PUNCH_HOLE) !== 0) {
      // The range reads as zeros afterwards (TFS keeps the sectors: the data is overwritten).
      const stop = Math.min(end, desc.size());
      for (let at = offset; at < stop; at += CHUNK) desc.file.write(new Uint8Array(Math.min(CHUNK, stop - at)), at);
    }
    return 0;
  };

  return {
    read: ([fd, buf, count]) => readFrom(io(fd!), buf!, usize(count!)),
    write: ([fd, buf, count]) => writeTo(io(fd!), buf!, usize(count!)),
    pread64: ([fd, buf, count, off]) => readFrom(io(fd!), buf!, usize(count!), offsetArg(off!)),
    pwrite64: ([fd, buf, count, off]) => writeTo(io(fd!), buf!, usize(count!), offsetArg(off!)),
    readv: ([fd, iov, cnt]) => vectored(fd!, iov!, cnt!, false),
    writev: ([fd, iov, cnt]) => vectored(fd!, iov!, cnt!, true),
    preadv: ([fd, iov, cnt, off]) => vectored(fd!, iov!, cnt!, false, off!),
    pwritev: ([fd, iov, cnt, off]) => vectored(fd!, iov!, cnt!, true, off!),
    lseek: ([fd, off, whence]) => io(fd!).seek(off!, uint(whence!)),
    getdents64: ([fd, buf, count]) => getdents(fd!, buf!, count!, false),
    getdents: ([fd, buf, count]) => getdents(fd!, buf!, count!, true),
    ftruncate: ([fd, length]) => {
      const to = offsetArg(length!); // checked before the fd, as Linux does
      io(fd!).truncate(to);
      return 0;
    },
    fallocate: ([fd, mode, offset, length]) => fallocate(fd!, mode!, offset!, length!),
    fadvise64: ([fd, , length, advice]) => {
      const desc = io(fd!);
      if (!desc.positioned) fail("ESPIPE");
      if (length! < 0 || int(advice!) < 0 || int(advice!) > 5) fail("EINVAL", "advice");
      return 0; // advice only: the page cache does what it does
    },
    fsync: ([fd]) => fsync(fd!),
    fdatasync: ([fd]) => fsync(fd!),
    syncfs: ([fd]) => (io(fd!), sync()),
    sync: () => sync(),
    sendfile: ([outFd, inFd, offPtr, count]) => {
      const input = io(inFd!);
      const out = io(outFd!);
      if (!input.readable || !out.writable) fail("EBADF");
      if (input.isDirectory) fail("EINVAL", "sendfile from a directory");
      return copyBetween(input, offPtr!, out, 0, usize(count!));
    },
    copy_file_range: ([inFd, inOff, outFd, outOff, count, flags]) => {
      if (uint(flags!) !== 0) fail("EINVAL", "copy_file_range flags");
      const input = io(inFd!);
      const out = io(outFd!);
      if (!input.readable || !out.writable || (out.flags & OpenFlag.O_APPEND) !== 0) fail("EBADF");
      if (input.isDirectory || out.isDirectory) fail("EISDIR");
      if (!(input instanceof RegularFileDescription) || !(out instanceof RegularFileDescription)) fail("EINVAL", "copy_file_range needs regular files");
      return copyBetween(input, inOff!, out, outOff!, usize(count!));
    },
  };
}

import { fail } from "../linux-error.js";
import { AT_FDCWD, AtFlag, AccessMode, FD_CLOEXEC, Fcntl, Ioctl, OpenFlag } from "../linux-constants.js";
import { decodeDirents64 } from "../structs/dirent64.js";
import { encodeDirent } from "../structs/dirent.js";
import { encodeStat, type StatData } from "../structs/stat.js";
import { encodeStatfs } from "../structs/statfs.js";
import { encodeStatx, STATX_BASIC_STATS } from "../structs/statx.js";
import { readIovecs, readI32, readI64, UIO_MAXIOV, writeU32, writeU64 } from "../user-memory.js";
import type { FileDescription } from "../vfs/file-description.js";
import { SETFL_MASK } from "../vfs/file-description.js";
import { RegularFileDescription } from "../vfs/regular-file.js";
import { copyIn, copyOut, int, readPath, transferIn, transferOut, uint, usize } from "./arg-helpers.js";
import type { HandlerEnv, HandlerGroup } from "./handler-env.js";

const SSIZE_MAX = 2 ** 63 - 1;
const UTIME_NOW = 2 ** 30 - 1;
const UTIME_OMIT = 2 ** 30 - 2;
const STATX_RESERVED = 0x80000000;

/** read, write, open, stat, directories, links, fcntl, ioctl… over the VFS and fd table. @internal */
export function fileSyscalls(env: HandlerEnv): HandlerGroup {
  const { mem, vfs, fds, state } = env;

  /** The directory a path is relative to: the cwd, or a directory fd (`ENOTDIR` otherwise). */
  const dirOf = (dirfd: number, path: string): string => {
    if (path.startsWith("/")) return "/";
    const fd = int(dirfd);
    return fd === AT_FDCWD ? vfs.cwd : vfs.directoryOf(fds.get(fd));
  };

  const io = (fd: number): FileDescription => {
    const desc = fds.get(int(fd));
    if (desc.pathOnly) fail("EBADF", "O_PATH descriptor");
    return desc;
  };

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

  const offsetArg = (v: number): number => {
    if (v < 0) fail("EINVAL", "negative offset");
    return v;
  };

  const open = (dirfd: number, pathAddr: number, flags: number): number => {
    const path = readPath(mem, pathAddr);
    const f = int(flags);
    const desc = vfs.open(dirOf(dirfd, path), path, f);
    desc.flags |= OpenFlag.O_LARGEFILE; // x86-64 Linux forces it
    try {
      return fds.install(desc, (f & OpenFlag.O_CLOEXEC) !== 0);
    } catch (e) {
      desc.close();
      throw e;
    }
  };

  const putStat = (addr: number, s: StatData): number => {
    copyOut(mem, addr, encodeStat(s));
    return 0;
  };

  const statAt = (dirfd: number, pathAddr: number, flags: number): StatData => {
    const f = int(flags);
    if ((f & ~(AtFlag.AT_SYMLINK_NOFOLLOW | AtFlag.AT_EMPTY_PATH | AtFlag.AT_NO_AUTOMOUNT | AtFlag.AT_STATX_FORCE_SYNC | AtFlag.AT_STATX_DONT_SYNC)) !== 0) fail("EINVAL", `flags ${f}`);
    const path = readPath(mem, pathAddr);
    if (path === "" && (f & AtFlag.AT_EMPTY_PATH) !== 0) {
      return int(dirfd) === AT_FDCWD ? vfs.stat(vfs.cwd, ".", true) : fds.get(int(dirfd)).stat();
    }
    return vfs.stat(dirOf(dirfd, path), path, (f & AtFlag.AT_SYMLINK_NOFOLLOW) === 0);
  };

  const readlink = (dirfd: number, pathAddr: number, buf: number, size: number): number => {
    const path = readPath(mem, pathAddr);
    const max = int(size);
    if (max <= 0) fail("EINVAL", "buffer size");
    const target = new TextEncoder().encode(vfs.readlink(dirOf(dirfd, path), path));
    const n = Math.min(target.length, max);
    copyOut(mem, buf, target.subarray(0, n));
    return n;
  };

  const access = (dirfd: number, pathAddr: number, mode: number, flags: number): number => {
    if ((int(mode) & ~7) !== 0) fail("EINVAL", `mode ${int(mode)}`);
    if ((int(flags) & ~(AtFlag.AT_SYMLINK_NOFOLLOW | 0x200 /* AT_EACCESS */ | AtFlag.AT_EMPTY_PATH)) !== 0) fail("EINVAL");
    const path = readPath(mem, pathAddr);
    vfs.access(dirOf(dirfd, path), path, (int(flags) & AtFlag.AT_SYMLINK_NOFOLLOW) === 0, int(mode));
    return 0;
  };

  const rename = (oldDir: number, oldAddr: number, newDir: number, newAddr: number, flags: number): number => {
    const from = readPath(mem, oldAddr);
    const to = readPath(mem, newAddr);
    vfs.rename(dirOf(oldDir, from), from, dirOf(newDir, to), to, uint(flags));
    return 0;
  };

  const mkdir = (dirfd: number, pathAddr: number): number => {
    const path = readPath(mem, pathAddr);
    vfs.mkdir(dirOf(dirfd, path), path);
    return 0;
  };

  const unlink = (dirfd: number, pathAddr: number, flags: number): number => {
    const f = int(flags);
    if ((f & ~AtFlag.AT_REMOVEDIR) !== 0) fail("EINVAL", `flags ${f}`);
    const path = readPath(mem, pathAddr);
    if (f & AtFlag.AT_REMOVEDIR) vfs.rmdir(dirOf(dirfd, path), path);
    else vfs.unlink(dirOf(dirfd, path), path);
    return 0;
  };

  const symlink = (targetAddr: number, dirfd: number, pathAddr: number): number => {
    const target = readPath(mem, targetAddr);
    const path = readPath(mem, pathAddr);
    vfs.symlink(target, dirOf(dirfd, path), path);
    return 0;
  };

  const getdents = (fd: number, buf: number, count: number, old: boolean): number => {
    const desc = io(fd);
    const before = desc.offset;
    let data = desc.getdents64(uint(count));
    if (old) {
      const records = decodeDirents64(data).map(encodeDirent);
      data = new Uint8Array(data.length);
      let at = 0;
      for (const r of records) {
        data.set(r, at);
        at += r.length;
      }
    }
    if (!mem.write(buf, data)) {
      desc.offset = before;
      fail("EFAULT");
    }
    return data.length;
  };

  const setTimes = (dirfd: number, pathAddr: number, times: [number, number] | undefined, flags: number): number => {
    const now = Number(env.realtime() / 1_000_000n);
    const f = int(flags);
    if ((f & ~(AtFlag.AT_SYMLINK_NOFOLLOW | AtFlag.AT_EMPTY_PATH)) !== 0) fail("EINVAL");
    let dir: string;
    let path: string;
    if (pathAddr === 0) {
      // utimensat(fd, NULL, …) is futimens(fd).
      const desc = fds.get(int(dirfd));
      dir = "/";
      path = desc.path;
    } else {
      path = readPath(mem, pathAddr);
      dir = dirOf(dirfd, path);
    }
    const follow = (f & AtFlag.AT_SYMLINK_NOFOLLOW) === 0;
    const current = vfs.stat(dir, path, follow);
    const ms = (t: number | undefined, was: { sec: number; nsec: number }): number => (t === undefined ? now : t === -2 ? was.sec * 1000 + was.nsec / 1e6 : t);
    vfs.utimes(dir, path, ms(times?.[0], current.atime), ms(times?.[1], current.mtime), follow);
    return 0;
  };

  /** Reads a pair of timespecs (nanoseconds) or timevals (microseconds) as milliseconds; -2 = omit. */
  const timePair = (addr: number, unitNs: number, allowSpecial: boolean): [number, number] | undefined => {
    if (addr === 0) return undefined;
    const out: number[] = [];
    for (let i = 0; i < 2; i++) {
      const sec = readI64(mem, addr + 16 * i);
      const frac = readI64(mem, addr + 16 * i + 8);
      if (sec === undefined || frac === undefined) fail("EFAULT");
      if (allowSpecial && frac === UTIME_OMIT) out.push(-2);
      else if (allowSpecial && frac === UTIME_NOW) out.push(Number(env.realtime() / 1_000_000n));
      else if (frac < 0 || frac * unitNs >= 1e9) fail("EINVAL", "bad time");
      else out.push(sec * 1000 + (frac * unitNs) / 1e6);
    }
    return [out[0]!, out[1]!];
  };

  const fcntl = (fdArg: number, cmdArg: number, arg: number): number => {
    const fd = int(fdArg);
    const desc = fds.get(fd);
    const cmd = int(cmdArg);
    switch (cmd) {
      case Fcntl.F_DUPFD:
      case Fcntl.F_DUPFD_CLOEXEC:
        return fds.dup(fd, int(arg), cmd === Fcntl.F_DUPFD_CLOEXEC);
      case Fcntl.F_GETFD:
        return fds.getCloexec(fd) ? FD_CLOEXEC : 0;
      case Fcntl.F_SETFD:
        fds.setCloexec(fd, (int(arg) & FD_CLOEXEC) !== 0);
        return 0;
      case Fcntl.F_GETFL:
        return desc.flags;
      case Fcntl.F_SETFL:
        desc.flags = (desc.flags & ~SETFL_MASK) | (int(arg) & SETFL_MASK);
        return 0;
      case Fcntl.F_GETLK:
      case Fcntl.F_OFD_GETLK: {
        // No other process can hold a lock: report the range unlocked (l_type = F_UNLCK).
        copyIn(mem, arg, 32);
        const unlocked = new Uint8Array(2);
        unlocked[0] = 2;
        copyOut(mem, arg, unlocked);
        return 0;
      }
      case Fcntl.F_SETLK:
      case Fcntl.F_SETLKW:
      case Fcntl.F_OFD_SETLK:
      case Fcntl.F_OFD_SETLKW:
        copyIn(mem, arg, 32);
        return 0; // locks are accepted: one process, nobody to conflict with
      case Fcntl.F_GETOWN:
      case Fcntl.F_SETOWN:
        return 0;
      default:
        fail("EINVAL", `fcntl command ${cmd}`);
    }
  };

  const ioctl = (fdArg: number, reqArg: number, arg: number): number => {
    const fd = int(fdArg);
    const desc = fds.get(fd);
    const request = uint(reqArg);
    switch (request) {
      case Ioctl.FIOCLEX:
      case Ioctl.FIONCLEX:
        fds.setCloexec(fd, request === Ioctl.FIOCLEX);
        return 0;
      case Ioctl.FIONBIO: {
        const on = readI32(mem, arg);
        if (on === undefined) fail("EFAULT");
        desc.flags = on !== 0 ? desc.flags | OpenFlag.O_NONBLOCK : desc.flags & ~OpenFlag.O_NONBLOCK;
        return 0;
      }
      case Ioctl.FIOASYNC:
        copyIn(mem, arg, 4);
        return 0;
      case Ioctl.FIONREAD:
        if (desc.isDirectory) fail("ENOTTY");
        if (!writeU32(mem, arg, Math.min(desc.available(), 0x7fffffff))) fail("EFAULT");
        return 0;
      default:
        return desc.ioctl(request, arg, mem);
    }
  };

  const sync = (): number => {
    vfs.fs.sync();
    return 0;
  };

  const regularWritable = (fd: number): RegularFileDescription => {
    const desc = fds.get(int(fd));
    if (!desc.writable) fail("EBADF", "not open for writing");
    if (!(desc instanceof RegularFileDescription)) fail(desc.isDirectory ? "EISDIR" : "ENODEV");
    return desc;
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
    lseek: ([fd, off, whence]) => fds.get(int(fd!)).seek(off!, uint(whence!)),
    open: ([path, flags]) => open(AT_FDCWD, path!, flags!),
    openat: ([dirfd, path, flags]) => open(dirfd!, path!, flags!),
    creat: ([path]) => open(AT_FDCWD, path!, OpenFlag.O_CREAT | AccessMode.O_WRONLY | OpenFlag.O_TRUNC),
    close: ([fd]) => {
      fds.close(int(fd!));
      return 0;
    },
    stat: ([path, buf]) => putStat(buf!, statAt(AT_FDCWD, path!, 0)),
    lstat: ([path, buf]) => putStat(buf!, statAt(AT_FDCWD, path!, AtFlag.AT_SYMLINK_NOFOLLOW)),
    fstat: ([fd, buf]) => putStat(buf!, fds.get(int(fd!)).stat()),
    newfstatat: ([dirfd, path, buf, flags]) => putStat(buf!, statAt(dirfd!, path!, flags!)),
    statx: ([dirfd, path, flags, mask, buf]) => {
      if ((uint(mask!) & STATX_RESERVED) !== 0) fail("EINVAL", "reserved statx mask bit");
      copyOut(mem, buf!, encodeStatx({ ...statAt(dirfd!, path!, flags!), mask: STATX_BASIC_STATS }));
      return 0;
    },
    access: ([path, mode]) => access(AT_FDCWD, path!, mode!, 0),
    faccessat: ([dirfd, path, mode]) => access(dirfd!, path!, mode!, 0),
    faccessat2: ([dirfd, path, mode, flags]) => access(dirfd!, path!, mode!, flags!),
    dup: ([fd]) => fds.dup(int(fd!)),
    dup2: ([oldFd, newFd]) => fds.dupTo(int(oldFd!), int(newFd!)),
    dup3: ([oldFd, newFd, flags]) => {
      if (int(oldFd!) === int(newFd!)) fail("EINVAL", "dup3 to the same fd");
      if ((int(flags!) & ~OpenFlag.O_CLOEXEC) !== 0) fail("EINVAL", "dup3 flags");
      return fds.dupTo(int(oldFd!), int(newFd!), (int(flags!) & OpenFlag.O_CLOEXEC) !== 0);
    },
    fcntl: ([fd, cmd, arg]) => fcntl(fd!, cmd!, arg!),
    ioctl: ([fd, req, arg]) => ioctl(fd!, req!, arg!),
    getdents64: ([fd, buf, count]) => getdents(fd!, buf!, count!, false),
    getdents: ([fd, buf, count]) => getdents(fd!, buf!, count!, true),
    getcwd: ([buf, size]) => {
      const path = new TextEncoder().encode(`${vfs.getcwd()}\0`);
      if (usize(size!) < path.length) fail("ERANGE");
      copyOut(mem, buf!, path);
      return path.length;
    },
    chdir: ([path]) => {
      const p = readPath(mem, path!);
      vfs.chdir(vfs.cwd, p);
      return 0;
    },
    fchdir: ([fd]) => {
      vfs.chdir("/", vfs.directoryOf(fds.get(int(fd!))));
      return 0;
    },
    rename: ([from, to]) => rename(AT_FDCWD, from!, AT_FDCWD, to!, 0),
    renameat: ([od, from, nd, to]) => rename(od!, from!, nd!, to!, 0),
    renameat2: ([od, from, nd, to, flags]) => rename(od!, from!, nd!, to!, flags!),
    mkdir: ([path]) => mkdir(AT_FDCWD, path!),
    mkdirat: ([dirfd, path]) => mkdir(dirfd!, path!),
    rmdir: ([path]) => unlink(AT_FDCWD, path!, AtFlag.AT_REMOVEDIR),
    unlink: ([path]) => unlink(AT_FDCWD, path!, 0),
    unlinkat: ([dirfd, path, flags]) => unlink(dirfd!, path!, flags!),
    symlink: ([target, path]) => symlink(target!, AT_FDCWD, path!),
    symlinkat: ([target, dirfd, path]) => symlink(target!, dirfd!, path!),
    readlink: ([path, buf, size]) => readlink(AT_FDCWD, path!, buf!, size!),
    readlinkat: ([dirfd, path, buf, size]) => readlink(dirfd!, path!, buf!, size!),
    truncate: ([path, length]) => {
      const p = readPath(mem, path!);
      vfs.truncate(dirOf(AT_FDCWD, p), p, offsetArg(length!));
      return 0;
    },
    ftruncate: ([fd, length]) => {
      const desc = fds.get(int(fd!));
      desc.truncate(offsetArg(length!));
      return 0;
    },
    fallocate: ([fd, mode, offset, length]) => {
      const desc = regularWritable(fd!);
      if (int(mode!) !== 0) fail("EOPNOTSUPP", "fallocate modes");
      if (offset! < 0 || length! <= 0) fail("EINVAL");
      if (offset! + length! > desc.size()) desc.truncate(offset! + length!);
      return 0;
    },
    fadvise64: ([fd, , , advice]) => {
      fds.get(int(fd!));
      if (int(advice!) < 0 || int(advice!) > 5) fail("EINVAL", "advice");
      return 0;
    },
    fsync: ([fd]) => (fds.get(int(fd!)), sync()),
    fdatasync: ([fd]) => (fds.get(int(fd!)), sync()),
    syncfs: ([fd]) => (fds.get(int(fd!)), sync()),
    sync: () => sync(),
    sendfile: ([outFd, inFd, offPtr, count]) => {
      const out = io(outFd!);
      const input = io(inFd!);
      if (!out.writable || !input.readable) fail("EBADF");
      let position: number | undefined;
      if (offPtr !== 0) {
        const off = readI64(mem, offPtr!);
        if (off === undefined) fail("EFAULT");
        position = offsetArg(off);
      }
      const total = Math.min(usize(count!), 0x7ffff000);
      let done = 0;
      while (done < total) {
        const chunk = position === undefined ? input.read(Math.min(65536, total - done)) : input.pread(Math.min(65536, total - done), position + done);
        if (chunk.length === 0) break;
        const n = out.write(chunk);
        done += n;
        if (n < chunk.length) break;
      }
      if (position !== undefined && !writeU64(mem, offPtr!, position + done)) fail("EFAULT");
      return done;
    },
    umask: ([mask]) => {
      const old = state.umask;
      state.umask = int(mask!) & 0o777;
      return old;
    },
    statfs: ([path, buf]) => {
      const p = readPath(mem, path!);
      copyOut(mem, buf!, encodeStatfs(vfs.statfs(dirOf(AT_FDCWD, p), p)));
      return 0;
    },
    fstatfs: ([fd, buf]) => {
      copyOut(mem, buf!, encodeStatfs(vfs.fstatfs(fds.get(int(fd!)))));
      return 0;
    },
    utime: ([path, times]) => {
      let pair: [number, number] | undefined;
      if (times !== 0) {
        const a = readI64(mem, times!);
        const m = readI64(mem, times! + 8);
        if (a === undefined || m === undefined) fail("EFAULT");
        pair = [a * 1000, m * 1000];
      }
      return setTimes(AT_FDCWD, path!, pair, 0);
    },
    utimes: ([path, times]) => setTimes(AT_FDCWD, path!, timePair(times!, 1000, false), 0),
    utimensat: ([dirfd, path, times, flags]) => setTimes(dirfd!, path!, timePair(times!, 1, true), flags!),
  };
}

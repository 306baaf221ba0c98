import { fail } from "../linux-error.js";
import { AT_FDCWD, AtFlag, AccessMode, FileType, OpenFlag, S_IFMT } from "../linux-constants.js";
import { encodeStat, type StatData } from "../structs/stat.js";
import { encodeStatfs } from "../structs/statfs.js";
import { encodeStatx, STATX_BASIC_STATS } from "../structs/statx.js";
import { readI64 } from "../user-memory.js";
import { copyOut, int, readPath, uint, usize } from "./arg-helpers.js";
import type { HandlerEnv, HandlerGroup } from "./handler-env.js";
import { RegularFileDescription } from "../vfs/regular-file.js";
import { offsetArg, startDirectory } from "./fd-access.js";

const UTIME_NOW = 2 ** 30 - 1;
const UTIME_OMIT = 2 ** 30 - 2;
const STATX_RESERVED = 0x80000000;

/** open, stat, access, directories, links, renames, times, cwd and statfs by path. @internal */
export function pathSyscalls(env: HandlerEnv): HandlerGroup {
  const { mem, vfs, fds, state } = env;
  const dirOf = (dirfd: number, path: string): string => startDirectory(env, dirfd, path);

  const open = (dirfd: number, pathAddr: number, flags: number): number => {
    const path = readPath(mem, pathAddr);
    const f = int(flags);
    const desc = vfs.open(dirOf(dirfd, path), path, f);
    if (!desc.pathOnly) desc.flags |= OpenFlag.O_LARGEFILE; // x86-64 Linux forces it (O_PATH keeps only its own flags)
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
    let link: string;
    if (path === "" && int(dirfd) !== AT_FDCWD) {
      // An empty path reads the link an O_PATH|O_NOFOLLOW fd refers to (Linux 2.6.39+).
      const desc = fds.get(int(dirfd));
      if ((desc.stat().mode & S_IFMT) !== FileType.S_IFLNK) fail("ENOENT", "empty path");
      link = vfs.readlink("/", desc.path);
    } else {
      link = vfs.readlink(dirOf(dirfd, path), path);
    }
    const target = new TextEncoder().encode(link);
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

  const link = (oldDir: number, oldAddr: number, newDir: number, newAddr: number, flags: number): number => {
    const f = int(flags);
    if ((f & ~(AtFlag.AT_SYMLINK_FOLLOW | AtFlag.AT_EMPTY_PATH)) !== 0) fail("EINVAL", `flags ${f}`);
    const from = readPath(mem, oldAddr);
    const to = readPath(mem, newAddr);
    if (from === "" && (f & AtFlag.AT_EMPTY_PATH) !== 0) {
      // AT_EMPTY_PATH links the file olddirfd refers to (the cwd for AT_FDCWD: a directory, EPERM).
      if (int(oldDir) === AT_FDCWD) vfs.link("/", vfs.cwd, dirOf(newDir, to), to, false);
      else vfs.linkDescription(fds.get(int(oldDir)), dirOf(newDir, to), to);
      return 0;
    }
    vfs.link(dirOf(oldDir, from), from, dirOf(newDir, to), to, (f & AtFlag.AT_SYMLINK_FOLLOW) !== 0);
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

  const setTimes = (dirfd: number, pathAddr: number, times: [number, number] | undefined, flags: number): number => {
    const now = Number(env.realtime() / 1_000_000n);
    const f = int(flags);
    if ((f & ~(AtFlag.AT_SYMLINK_NOFOLLOW | AtFlag.AT_EMPTY_PATH)) !== 0) fail("EINVAL");
    let dir: string;
    let path: string;
    // Both omitted: nothing to do, and Linux does not even look the path up.
    if (times?.[0] === -2 && times[1] === -2) return 0;
    if (pathAddr === 0) {
      // utimensat(fd, NULL, …) is futimens(fd); there is no file to name with AT_FDCWD.
      if (int(dirfd) === AT_FDCWD) fail("EFAULT", "NULL path");
      const desc = fds.get(int(dirfd));
      dir = "/";
      // A regular file by its current name; one with no name left keeps no times worth setting.
      const name = desc instanceof RegularFileDescription ? desc.file.path : desc.path;
      if (name === undefined) return 0;
      path = name;
    } else {
      path = readPath(mem, pathAddr);
      dir = dirOf(dirfd, path);
    }
    const follow = (f & AtFlag.AT_SYMLINK_NOFOLLOW) === 0;
    // No times: both now; UTIME_OMIT (-2): left as it is.
    const ms = (t: number | undefined): number | undefined => (t === undefined ? now : t === -2 ? undefined : t);
    vfs.utimes(dir, path, ms(times?.[0]), ms(times?.[1]), follow);
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

  return {
    open: ([path, flags]) => open(AT_FDCWD, path!, flags!),
    openat: ([dirfd, path, flags]) => open(dirfd!, path!, flags!),
    creat: ([path]) => open(AT_FDCWD, path!, OpenFlag.O_CREAT | AccessMode.O_WRONLY | OpenFlag.O_TRUNC),
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
      vfs.fchdir(fds.get(int(fd!)));
      return 0;
    },
    rename: ([from, to]) => rename(AT_FDCWD, from!, AT_FDCWD, to!, 0),
    renameat: ([od, from, nd, to]) => rename(od!, from!, nd!, to!, 0),
    renameat2: ([od, from, nd, to, flags]) => rename(od!, from!, nd!, to!, flags!),
    link: ([from, to]) => link(AT_FDCWD, from!, AT_FDCWD, to!, 0),
    linkat: ([od, from, nd, to, flags]) => link(od!, from!, nd!, to!, flags!),
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

import { formatFlags, formatOpenFlags, hex } from "./flag-names.js";
import { Fcntl, FD_CLOEXEC, FileType, Ioctl, S_IFMT, StatxMask } from "./linux-constants.js";
import { getI64, le } from "./structs/bytes-view.js";
import { decodeStatfs, STATFS_SIZE } from "./structs/statfs.js";
import { decodeStatx, STATX_SIZE } from "./structs/statx.js";
import { readI32, readI64, type UserMemory } from "./user-memory.js";

// How strace shows the structs of the file syscalls (statfs, statx, the time pairs of utime,
// utimes and utimensat). Each reads guest memory and falls back to the address. @internal

const UTIME_NOW = 2 ** 30 - 1;
const UTIME_OMIT = 2 ** 30 - 2;

function modeText(mode: number): string {
  const type = mode & S_IFMT;
  const name = Object.entries(FileType).find(([, v]) => v === type)?.[0] ?? hex(type);
  return `${name}|0${(mode & 0o7777).toString(8).padStart(3, "0")}`;
}

export function formatStatfs(mem: UserMemory, addr: number): string {
  const b = mem.read(addr, STATFS_SIZE);
  if (b === undefined) return hex(addr);
  const s = decodeStatfs(b);
  return (
    `{f_type=${hex(s.type)}, f_bsize=${s.bsize}, f_blocks=${s.blocks}, f_bfree=${s.bfree}, f_bavail=${s.bavail}, ` +
    `f_files=${s.files}, f_ffree=${s.ffree}, f_fsid={val=[${hex(s.fsid[0] >>> 0)}, ${hex(s.fsid[1] >>> 0)}]}, ` +
    `f_namelen=${s.namelen}, f_frsize=${s.frsize}, f_flags=${hex(s.flags)}}`
  );
}

export function formatStatx(mem: UserMemory, addr: number): string {
  const b = mem.read(addr, STATX_SIZE);
  if (b === undefined) return hex(addr);
  const s = decodeStatx(b);
  return `{stx_mask=${formatFlags(s.mask, StatxMask)}, stx_mode=${modeText(s.mode)}, stx_size=${s.size}, ...}`;
}

/** `utime`'s `struct utimbuf`. */
export function formatUtimbuf(mem: UserMemory, addr: number): string {
  if (addr === 0) return "NULL";
  const b = mem.read(addr, 16);
  if (b === undefined) return hex(addr);
  const v = le(b);
  return `{actime=${getI64(v, 0)}, modtime=${getI64(v, 8)}}`;
}

/**
 * The two times of `utimes` (`unit` "usec", timevals) or `utimensat` ("nsec", timespecs, where
 * `UTIME_NOW` and `UTIME_OMIT` stand for themselves).
 */
export function formatTimePair(mem: UserMemory, addr: number, unit: "usec" | "nsec"): string {
  if (addr === 0) return "NULL";
  const b = mem.read(addr, 32);
  if (b === undefined) return hex(addr);
  const v = le(b);
  const one = (at: number): string => {
    const frac = getI64(v, at + 8);
    if (unit === "nsec" && frac === UTIME_NOW) return "UTIME_NOW";
    if (unit === "nsec" && frac === UTIME_OMIT) return "UTIME_OMIT";
    return `{tv_sec=${getI64(v, at)}, tv_${unit}=${frac}}`;
  };
  return `[${one(0)}, ${one(16)}]`;
}

const FD_FLAGS = { FD_CLOEXEC } as const;
/** fcntl commands whose third argument means nothing. */
const FCNTL_NO_ARG: ReadonlySet<number> = new Set([Fcntl.F_GETFD, Fcntl.F_GETFL, Fcntl.F_GETOWN, Fcntl.F_GETSIG, Fcntl.F_GETLEASE, Fcntl.F_GETPIPE_SZ, Fcntl.F_GET_SEALS]);
/** ioctl requests whose argument is a pointer to an int (shown as `[n]`); for FIONREAD it is written. */
const IOCTL_INT: ReadonlySet<number> = new Set([Ioctl.FIONBIO, Ioctl.FIOASYNC, Ioctl.FIONREAD]);

/**
 * The arguments (and result text) of the file calls whose meaning depends on another argument,
 * as strace shows them: fcntl by command (`fcntl(3, F_GETFL) = 0x8002 (flags O_RDWR|O_LARGEFILE)`,
 * `fcntl(3, F_SETFD, FD_CLOEXEC)`), ioctl's int arguments (`ioctl(3, FIONREAD, [7])`, no
 * argument for `FIOCLEX`), and the offsets sendfile and copy_file_range update (`[26]`, the
 * value after the call). Changes `parts` in place; returns the result text to show, if special.
 */
export function formatFileCallArgs(name: string, parts: string[], args: readonly number[], result: number | undefined, failed: boolean, mem: UserMemory): string | undefined {
  const int = (addr: number): string => {
    const v = readI32(mem, addr);
    return v === undefined ? hex(addr) : `[${v}]`;
  };
  const offset = (at: number): void => {
    const addr = args[at] ?? 0;
    const v = addr === 0 ? undefined : readI64(mem, addr);
    if (v !== undefined) parts[at] = `[${v}]`;
  };
  switch (name) {
    case "fcntl": {
      const cmd = (args[1] ?? 0) | 0;
      const arg = args[2] ?? 0;
      if (FCNTL_NO_ARG.has(cmd)) parts.length = 2;
      else if (cmd === Fcntl.F_SETFD) parts[2] = formatFlags(arg >>> 0, FD_FLAGS);
      else if (cmd === Fcntl.F_SETFL) parts[2] = formatOpenFlags(arg >>> 0);
      else if (cmd === Fcntl.F_DUPFD || cmd === Fcntl.F_DUPFD_CLOEXEC || cmd === Fcntl.F_SETOWN) parts[2] = String(arg | 0);
      if (failed || result === undefined) return undefined;
      if (cmd === Fcntl.F_GETFL) return `${hex(result)} (flags ${formatOpenFlags(result)})`;
      if (cmd === Fcntl.F_GETFD) return result === 0 ? "0" : `${hex(result)} (flags ${formatFlags(result, FD_FLAGS)})`;
      return undefined;
    }
    case "ioctl": {
      const request = (args[1] ?? 0) >>> 0;
      if (request === Ioctl.FIOCLEX || request === Ioctl.FIONCLEX) parts.length = 2;
      else if (IOCTL_INT.has(request) && !(request === Ioctl.FIONREAD && failed)) parts[2] = int(args[2] ?? 0);
      return undefined;
    }
    case "sendfile":
      if (!failed) offset(2);
      return undefined;
    case "copy_file_range":
      if (!failed) {
        offset(1);
        offset(3);
      }
      return undefined;
    default:
      return undefined;
  }
}

import { formatFlags, hex } from "./flag-names.js";
import { FileType, S_IFMT, StatxMask } from "./linux-constants.js";
import { getI64, le } from "./structs/bytes-view.js";
import { decodeStatfs, STATFS_SIZE } from "./structs/statfs.js";
import { decodeStatx, STATX_SIZE } from "./structs/statx.js";
import type { UserMemory } from "./user-memory.js";

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

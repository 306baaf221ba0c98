import { getI64, getU64, le, set64 } from "./bytes-view.js";
import type { StatData } from "./stat.js";
import { makedev } from "./makedev.js";

/** Size of `struct statx`. */
export const STATX_SIZE = 256;
/** `STATX_BASIC_STATS`: the fields every filesystem fills (type, mode, nlink, uid, gid, times, ino, size, blocks). */
export const STATX_BASIC_STATS = 0x7ff;

/** `struct statx` fields, as far as a `struct stat` gives them, plus the mask of valid ones. */
export interface StatxData extends StatData {
  /** `stx_mask`: which fields are filled (`STATX_*`). */
  mask: number;
}

const major = (dev: number): number => (dev >>> 8) & 0xfff;
const minor = (dev: number): number => ((dev & 0xff) | ((dev >>> 12) & ~0xff)) >>> 0;

/**
 * Encodes `struct statx` from stat data: mask, blksize, nlink, uid, gid, mode, ino, size,
 * blocks, the four timestamps (birth time = change time, not in the mask) and the device
 * numbers split into major and minor.
 */
export function encodeStatx(s: StatxData): Uint8Array {
  const b = new Uint8Array(STATX_SIZE);
  const v = le(b);
  v.setUint32(0, s.mask >>> 0, true);
  v.setUint32(4, s.blksize >>> 0, true);
  v.setUint32(16, s.nlink >>> 0, true);
  v.setUint32(20, s.uid >>> 0, true);
  v.setUint32(24, s.gid >>> 0, true);
  v.setUint16(28, s.mode & 0xffff, true);
  set64(v, 32, s.ino);
  set64(v, 40, s.size);
  set64(v, 48, s.blocks);
  const times = [s.atime, s.ctime, s.ctime, s.mtime]; // atime, btime, ctime, mtime
  times.forEach((t, i) => {
    set64(v, 64 + 16 * i, t.sec);
    v.setUint32(72 + 16 * i, t.nsec >>> 0, true);
  });
  v.setUint32(128, major(s.rdev), true);
  v.setUint32(132, minor(s.rdev), true);
  v.setUint32(136, major(s.dev), true);
  v.setUint32(140, minor(s.dev), true);
  return b;
}

/** Decodes `struct statx` (device numbers joined back with `makedev`). */
export function decodeStatx(b: Uint8Array): StatxData {
  const v = le(b);
  const time = (i: number) => ({ sec: getI64(v, 64 + 16 * i), nsec: v.getUint32(72 + 16 * i, true) });
  const dev = (at: number): number => makedev(v.getUint32(at, true), v.getUint32(at + 4, true));
  return {
    mask: v.getUint32(0, true),
    blksize: v.getUint32(4, true),
    nlink: v.getUint32(16, true),
    uid: v.getUint32(20, true),
    gid: v.getUint32(24, true),
    mode: v.getUint16(28, true),
    ino: getU64(v, 32),
    size: getU64(v, 40),
    blocks: getU64(v, 48),
    atime: time(0),
    ctime: time(2),
    mtime: time(3),
    rdev: dev(128),
    dev: dev(136),
  };
}

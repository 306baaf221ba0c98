import { getI64, getU64, le, set64 } from "./bytes-view.js";
import type { Timespec } from "./timespec.js";

/** The fields of x86-64 `struct stat` (what `stat`, `fstat`, `lstat`, `newfstatat` fill). */
export interface StatData {
  /** `st_dev`: the device holding the file. */
  dev: number;
  /** `st_ino`: inode number. */
  ino: number;
  /** `st_nlink`: hard links. */
  nlink: number;
  /** `st_mode`: file type and permission bits. */
  mode: number;
  /** `st_uid`: owner. */
  uid: number;
  /** `st_gid`: group. */
  gid: number;
  /** `st_rdev`: device number of a device file. */
  rdev: number;
  /** `st_size`: length in bytes. */
  size: number;
  /** `st_blksize`: preferred I/O size. */
  blksize: number;
  /** `st_blocks`: 512-byte blocks allocated. */
  blocks: number;
  /** `st_atim`: last access. */
  atime: Timespec;
  /** `st_mtim`: last modification. */
  mtime: Timespec;
  /** `st_ctim`: last status change. */
  ctime: Timespec;
}

/** Size of `struct stat` on x86-64. */
export const STAT_SIZE = 144;

/**
 * Encodes `struct stat` as the x86-64 ABI lays it out: dev, ino, nlink (u64), mode, uid, gid
 * (u32), pad, rdev, size, blksize, blocks (64-bit), three timespecs, 24 reserved bytes.
 */
export function encodeStat(s: StatData): Uint8Array {
  const b = new Uint8Array(STAT_SIZE);
  const v = le(b);
  set64(v, 0, s.dev);
  set64(v, 8, s.ino);
  set64(v, 16, s.nlink);
  v.setUint32(24, s.mode >>> 0, true);
  v.setUint32(28, s.uid >>> 0, true);
  v.setUint32(32, s.gid >>> 0, true);
  set64(v, 40, s.rdev);
  set64(v, 48, s.size);
  set64(v, 56, s.blksize);
  set64(v, 64, s.blocks);
  const times = [s.atime, s.mtime, s.ctime];
  times.forEach((t, i) => {
    set64(v, 72 + 16 * i, t.sec);
    set64(v, 80 + 16 * i, t.nsec);
  });
  return b;
}

/** Decodes `struct stat` from its 144 bytes. */
export function decodeStat(b: Uint8Array): StatData {
  const v = le(b);
  const time = (i: number): Timespec => ({ sec: getI64(v, 72 + 16 * i), nsec: getI64(v, 80 + 16 * i) });
  return {
    dev: getU64(v, 0),
    ino: getU64(v, 8),
    nlink: getU64(v, 16),
    mode: v.getUint32(24, true),
    uid: v.getUint32(28, true),
    gid: v.getUint32(32, true),
    rdev: getU64(v, 40),
    size: getI64(v, 48),
    blksize: getI64(v, 56),
    blocks: getI64(v, 64),
    atime: time(0),
    mtime: time(1),
    ctime: time(2),
  };
}

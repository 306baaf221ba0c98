import { getI64, le, set64 } from "./bytes-view.js";

/** x86-64 `struct statfs` (what `statfs` and `fstatfs` fill). */
export interface StatfsData {
  /** `f_type`: filesystem magic (0 on Nanos). */
  type: number;
  /** `f_bsize`: block size. */
  bsize: number;
  /** `f_blocks`: total blocks. */
  blocks: number;
  /** `f_bfree`: free blocks. */
  bfree: number;
  /** `f_bavail`: free blocks for unprivileged users. */
  bavail: number;
  /** `f_files`: inodes. */
  files: number;
  /** `f_ffree`: free inodes. */
  ffree: number;
  /** `f_fsid` as its two 32-bit words. */
  fsid: [number, number];
  /** `f_namelen`: longest name. */
  namelen: number;
  /** `f_frsize`: fragment size. */
  frsize: number;
  /** `f_flags`: mount flags. */
  flags: number;
}

/** Size of `struct statfs` on x86-64. */
export const STATFS_SIZE = 120;

const LONGS = ["type", "bsize", "blocks", "bfree", "bavail", "files", "ffree"] as const;

/** Encodes `struct statfs`: seven longs, `f_fsid`, namelen, frsize, flags, four spare longs. */
export function encodeStatfs(s: StatfsData): Uint8Array {
  const b = new Uint8Array(STATFS_SIZE);
  const v = le(b);
  LONGS.forEach((name, i) => set64(v, i * 8, s[name]));
  v.setInt32(56, s.fsid[0], true);
  v.setInt32(60, s.fsid[1], true);
  set64(v, 64, s.namelen);
  set64(v, 72, s.frsize);
  set64(v, 80, s.flags);
  return b;
}

/** Decodes `struct statfs`. */
export function decodeStatfs(b: Uint8Array): StatfsData {
  const v = le(b);
  const [type, bsize, blocks, bfree, bavail, files, ffree] = LONGS.map((_, i) => getI64(v, i * 8)) as [number, number, number, number, number, number, number];
  return {
    type, bsize, blocks, bfree, bavail, files, ffree,
    fsid: [v.getInt32(56, true), v.getInt32(60, true)],
    namelen: getI64(v, 64),
    frsize: getI64(v, 72),
    flags: getI64(v, 80),
  };
}

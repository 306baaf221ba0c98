import { getI64, getU64, le, set64 } from "./bytes-view.js";

/** One `struct linux_dirent64` record of `getdents64`. */
export interface Dirent64 {
  /** `d_ino`: inode number. */
  ino: number;
  /** `d_off`: the position to continue reading after this entry. */
  off: number;
  /** `d_type` (`DT_REG`, `DT_DIR`…). */
  type: number;
  /** `d_name`. */
  name: string;
}

const HEADER = 19; // d_ino 8, d_off 8, d_reclen 2, d_type 1

/** The record length of an entry whose name is `nameBytes` long: header, name, NUL, 8-aligned. */
export function dirent64Length(nameBytes: number): number {
  return (HEADER + nameBytes + 1 + 7) & ~7;
}

/**
 * A directory record laid out with the name at `nameAt` and `d_type` at `typeAt` (negative:
 * from the end): `linux_dirent64` and the old `linux_dirent` differ only there.
 * @internal
 */
export function encodeDirentRecord(d: Dirent64, nameAt: number, typeAt: number): Uint8Array {
  const name = new TextEncoder().encode(d.name);
  const b = new Uint8Array(dirent64Length(name.length));
  const v = le(b);
  set64(v, 0, d.ino);
  set64(v, 8, d.off);
  v.setUint16(16, b.length, true);
  b.set(name, nameAt);
  b[typeAt < 0 ? b.length + typeAt : typeAt] = d.type;
  return b;
}

/** Encodes one record (its length is `d_reclen`). */
export function encodeDirent64(d: Dirent64): Uint8Array {
  return encodeDirentRecord(d, HEADER, 18);
}

/**
 * Decodes a `getdents64` buffer into its records.
 *
 * @throws RangeError when a record length is impossible (the buffer is not dirent data).
 */
export function decodeDirents64(b: Uint8Array): Dirent64[] {
  const v = le(b);
  const out: Dirent64[] = [];
  for (let at = 0; at < b.length; ) {
    const reclen = v.getUint16(at + 16, true);
    if (reclen < HEADER + 1 || at + reclen > b.length) throw new RangeError(`bad d_reclen ${reclen} at byte ${at}`);
    const nameField = b.subarray(at + HEADER, at + reclen);
    const nul = nameField.indexOf(0);
    out.push({ ino: getU64(v, at), off: getI64(v, at + 8), type: v.getUint8(at + 18), name: new TextDecoder().decode(nul < 0 ? nameField : nameField.subarray(0, nul)) });
    at += reclen;
  }
  return out;
}

import { dirent64Length, type Dirent64 } from "./dirent64.js";
import { le, set64 } from "./bytes-view.js";

/**
 * Encodes one record of the old `getdents` (`struct linux_dirent`): `d_ino`, `d_off`,
 * `d_reclen`, the name and its NUL, padding, and `d_type` in the record's last byte. A record
 * is exactly as long as its `linux_dirent64` twin.
 */
export function encodeDirent(d: Dirent64): Uint8Array {
  const name = new TextEncoder().encode(d.name);
  const b = new Uint8Array(dirent64Length(name.length));
  const v = le(b);
  set64(v, 0, d.ino);
  set64(v, 8, d.off);
  v.setUint16(16, b.length, true);
  b.set(name, 18);
  b[b.length - 1] = d.type;
  return b;
}

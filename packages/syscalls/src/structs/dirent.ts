import { encodeDirentRecord, type Dirent64 } from "./dirent64.js";

/**
 * Encodes one record of the old `getdents` (`struct linux_dirent`): `d_ino`, `d_off`,
 * `d_reclen`, the name and its NUL, padding, and `d_type` in the record's last byte. A record
 * is exactly as long as its `linux_dirent64` twin.
 */
export function encodeDirent(d: Dirent64): Uint8Array {
  return encodeDirentRecord(d, 18, -1);
}

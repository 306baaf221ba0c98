/** Bytes of the note {@link linuxNote} makes. */
export const LINUX_NOTE_SIZE = 24;

/**
 * The ELF note Linux puts in its vDSO: owner "Linux", type 0, and a 4-byte descriptor holding
 * LINUX_VERSION_CODE (`major << 16 | minor << 8 | patch`). Older glibc read it, in place of
 * uname, for its "kernel too old" check.
 */
export function linuxNote([major, minor, patch]: readonly [number, number, number]): Uint8Array {
  const bytes = new Uint8Array(LINUX_NOTE_SIZE);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 6, true); // n_namesz: "Linux\0"
  view.setUint32(4, 4, true); // n_descsz
  view.setUint32(8, 0, true); // n_type
  bytes.set(new TextEncoder().encode("Linux"), 12); // padded to 8 bytes
  view.setUint32(20, (major << 16) | (minor << 8) | patch, true);
  return bytes;
}

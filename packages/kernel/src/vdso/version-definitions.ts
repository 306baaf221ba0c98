import { VER_FLG_BASE, VERDAUX_SIZE, VERDEF_SIZE } from "./dynamic-constants.js";
import { elfHash } from "./symbol-hash.js";

/**
 * A DT_VERDEF table: one Elf64_Verdef with one Elf64_Verdaux per `[name, offset of the name
 * in the string table]`, at version index 1, 2, …; the first names the object itself
 * (VER_FLG_BASE, by convention its soname). `vd_hash` is the ELF hash of the name, which glibc
 * and Go compare before the name.
 */
export function versionDefinitions(names: readonly [string, number][]): Uint8Array {
  const entry = VERDEF_SIZE + VERDAUX_SIZE;
  const bytes = new Uint8Array(entry * names.length);
  const view = new DataView(bytes.buffer);
  names.forEach(([name, nameAt], i) => {
    const at = entry * i;
    view.setUint16(at, 1, true); // vd_version
    view.setUint16(at + 2, i === 0 ? VER_FLG_BASE : 0, true);
    view.setUint16(at + 4, i + 1, true); // vd_ndx
    view.setUint16(at + 6, 1, true); // vd_cnt
    view.setUint32(at + 8, elfHash(name), true);
    view.setUint32(at + 12, VERDEF_SIZE, true); // vd_aux
    view.setUint32(at + 16, i === names.length - 1 ? 0 : entry, true); // vd_next
    view.setUint32(at + VERDEF_SIZE, nameAt, true); // vda_name
    view.setUint32(at + VERDEF_SIZE + 4, 0, true); // vda_next
  });
  return bytes;
}
